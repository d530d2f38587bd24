import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import {
  AlarmChangeSchema,
  BillingLiveSchema,
  IncidentChangeSchema,
  TimelineGrewSchema,
  channels,
  createClientAddressing,
  createRedisAuthFailureGuard,
  createTokenVerifier,
  influxReadDatabase,
  type Config,
  type Logger,
  type Settings,
} from '@faultline/shared';

import { createMqttSimulatorControl } from './adapters/simulator-control-mqtt.js';
import { createBillingQueue } from './adapters/billing-queue.js';
import { createDiscoveryDesk } from './adapters/discovery-desk.js';
import { createCommandQueue } from './adapters/command-queue.js';
import { createPostgresAlarmReader, createPostgresProbe } from './adapters/postgres-alarms.js';
import { createPostgresBillingRunReader } from './adapters/postgres-billing.js';
import { createPostgresBillingReview } from './adapters/postgres-billing-review.js';
import { createPostgresOutageClaims } from './adapters/postgres-outage-claims.js';
import { createPostgresIncidentReader } from './adapters/postgres-incidents.js';
import { createRedisFeed, createRedisProbe } from './adapters/redis-feed.js';
import { createLiveUpdates } from './adapters/live-updates.js';
import { createApiMetrics } from './app/api-metrics.js';

import { createAccessCheck, registerAuth } from './plugins/auth.js';
import { registerDashboard } from './plugins/dashboard.js';
import { registerErrorHandler } from './plugins/errors.js';
import { MAX_PARAM_LENGTH, createFrameworkErrorHandler } from './plugins/framework-errors.js';
import { buildRequestValidator } from './plugins/validation.js';
import { registerValueGuard } from './plugins/value-guard.js';
import { adminRoutes } from './routes/admin.js';
import { alarmRoutes } from './routes/alarms.js';
import { billingRoutes } from './routes/billing.js';
import { billingReviewRoutes } from './routes/billing-review.js';
import { outageClaimRoutes } from './routes/outage-claims.js';
import { commandRoutes } from './routes/commands.js';
import { onCallRoutes } from './routes/oncall.js';
import { pagingRoutes } from './routes/paging.js';
import { createPostgresPaging } from './adapters/postgres-paging.js';
import { deviceRoutes } from './routes/devices.js';
import { discoveryRoutes } from './routes/discovery.js';
import { docsRoutes } from './routes/docs.js';
import { healthRoutes } from './routes/health.js';
import { incidentRoutes } from './routes/incidents.js';
import { liveCostRoutes } from './routes/live-cost.js';
import { careRoutes } from './routes/care.js';
import { statusRoutes } from './routes/status.js';
import { createPostgresCare } from './adapters/postgres-care.js';
import { createCustomerViews } from './app/customer-views.js';
import { createRedisLiveBilling } from './adapters/redis-live-billing.js';
import { sessionRoutes } from './routes/session.js';
import { systemRoutes } from './routes/system.js';
import { topologyRoutes } from './routes/topology.js';
import { networkRoutes } from './routes/network.js';
import { createInfluxTraffic } from './adapters/influx-traffic.js';

/** Everything the api app needs; the caller owns (and closes) the pool and the Redis client. */
export interface AppDeps {
  readonly pool: pg.Pool;
  /** A command connection; the app duplicates it for its subscriptions and closes those. */
  readonly redis: Redis;
  readonly config: Config;
  readonly settings: Settings;
  readonly logger: Logger;
  /** Extra Prometheus text appended to the api's own metrics at `GET /metrics`. */
  readonly metrics?: (() => string) | undefined;
  /** The built dashboard; defaults to dashboard/dist of this repository. `null` serves none. */
  readonly dashboardDir?: string | null | undefined;
  /** How often live alarm changes are pushed to browsers (default 200 ms). */
  readonly liveFlushIntervalMs?: number | undefined;
  /** How long a command waits for a correlator before answering 503 (default 10 s). */
  readonly commandTimeoutMs?: number | undefined;
  /** Refused tokens one address may present per minute before it gets 429s (default 20). */
  readonly maxAuthFailuresPerMinute?: number | undefined;
  /** How long the admin routes wait for the simulator's answer before 503 (default 5 s). */
  readonly simulatorTimeoutMs?: number | undefined;
}

/** The default location of the built dashboard, the same from api/src and api/dist. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(
  new URL('../../dashboard/dist', import.meta.url),
);

/** Requests carry small JSON at most; anything bigger is refused before it is read. */
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Authentication as every entry point uses it (routes, the router's own errors, socket.io): the
 * token verifier, the refused-token guard and who a client is. Built from the deps alone, so the
 * process (`buildApp`) and the plugin get the same behaviour; the guard's counts live in Redis.
 */
function createEdgeAuth(deps: AppDeps) {
  const verify = createTokenVerifier({
    tokens: deps.config.api.tokens,
    adminToken: deps.settings.adminToken,
    viewerToken: deps.settings.viewerToken,
  });
  const guard = createRedisAuthFailureGuard({
    redis: deps.redis,
    prefix: deps.settings.prefix,
    maxFailures: deps.maxAuthFailuresPerMinute ?? 20,
    windowMs: 60_000,
    logger: deps.logger.child({ part: 'auth-failures' }),
  });
  const clients = createClientAddressing(deps.config.api.trustedProxies);
  return {
    verify,
    guard,
    clients,
    check: createAccessCheck({ verify, guard, clientAddress: clients.of }),
  };
}

/**
 * The api as a fastify plugin, apart from the process that listens: external plugins first
 * (security headers, rate limit, OpenAPI), then the app's own (errors, auth, dashboard, live
 * alarms and incidents, the commands queue), then the routes.
 */
export async function faultlineApp(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { settings, config, logger } = deps;
  const metrics = createApiMetrics();
  const { verify, guard, clients, check } = createEdgeAuth(deps);
  const alarms = createPostgresAlarmReader({ pool: deps.pool });
  const incidents = createPostgresIncidentReader({ pool: deps.pool });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // The api is often reached over plain HTTP on a NOC network or behind a TLS proxy;
        // upgrading would break the former and is the proxy's job in the latter.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(rateLimit, {
    global: true,
    max: 600,
    timeWindow: '1 minute',
    // Counted in Redis so several api nodes share one budget per client.
    redis: deps.redis,
    nameSpace: `${settings.prefix}:rate-limit:`,
    // A Redis outage must not take the API (and its health answer) down with it.
    skipOnError: true,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Faultline API',
        description: 'Alarms, inventory and live updates of Faultline. See docs/api.md.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  registerErrorHandler(app);
  registerAuth(app, check);
  registerValueGuard(app);
  await registerDashboard(app, {
    root: deps.dashboardDir === null ? undefined : (deps.dashboardDir ?? DEFAULT_DASHBOARD_DIR),
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? '(unmatched)';
    metrics.countRequest(request.method, route, reply.statusCode);
    // Logged without the query string: a wall display signs in with `/?token=…`.
    const path = request.url.split('?', 1)[0] ?? '';
    const fields = {
      method: request.method,
      path,
      route,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime),
    };
    // At debug: a dashboard polls several routes a second, which would bury everything else.
    request.log.debug(fields, 'request completed');
  });

  const live = createLiveUpdates({
    server: app.server,
    redis: deps.redis,
    prefix: settings.prefix,
    verify,
    guard,
    clientAddress: clients.of,
    alarms,
    incidents,
    alarmFeed: createRedisFeed({
      redis: deps.redis,
      channel: channels(settings.prefix).alarms,
      schema: AlarmChangeSchema,
      logger: logger.child({ part: 'alarm-feed' }),
    }),
    incidentFeed: createRedisFeed({
      redis: deps.redis,
      channel: channels(settings.prefix).incidents,
      schema: IncidentChangeSchema,
      logger: logger.child({ part: 'incident-feed' }),
    }),
    billingFeed: createRedisFeed({
      redis: deps.redis,
      channel: channels(settings.prefix).billing,
      schema: BillingLiveSchema,
      logger: logger.child({ part: 'billing-feed' }),
    }),
    timelineFeed: createRedisFeed({
      redis: deps.redis,
      channel: channels(settings.prefix).timelines,
      schema: TimelineGrewSchema,
      logger: logger.child({ part: 'timeline-feed' }),
    }),
    metrics,
    logger: logger.child({ part: 'live' }),
    flushIntervalMs: deps.liveFlushIntervalMs,
  });
  // Subscribe before the server listens, so no change published after start is missed.
  app.addHook('onReady', async () => {
    await live.start();
  });
  // Before the HTTP server closes: open WebSockets would otherwise hold its close forever.
  app.addHook('preClose', async () => {
    await live.close();
  });
  const commands = createCommandQueue({
    redis: deps.redis,
    prefix: settings.prefix,
    timeoutMs: deps.commandTimeoutMs ?? 10_000,
    logger: logger.child({ part: 'commands' }),
  });
  app.addHook('onClose', async () => {
    await commands.close();
  });
  // One MQTT connection per app, made in the background: the api starts without a broker.
  const simulator = createMqttSimulatorControl({
    url: settings.mqttUrl,
    prefix: settings.prefix,
    timeoutMs: deps.simulatorTimeoutMs ?? 5_000,
    logger: logger.child({ part: 'simulator-control' }),
  });
  app.addHook('onClose', async () => {
    await simulator.close();
  });
  const billingQueue = createBillingQueue({
    redis: deps.redis,
    prefix: settings.prefix,
    logger: logger.child({ part: 'billing-queue' }),
  });
  app.addHook('onClose', async () => {
    await billingQueue.close();
  });

  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  await typed.register(healthRoutes, {
    probes: {
      postgres: createPostgresProbe({ pool: deps.pool }),
      redis: createRedisProbe({ redis: deps.redis }),
    },
    probeTimeoutMs: 2000,
  });
  await typed.register(alarmRoutes, { alarms });
  await typed.register(incidentRoutes, { incidents, customers: () => config.customers });
  const liveBilling = createRedisLiveBilling({
    redis: deps.redis,
    prefix: settings.prefix,
    logger: logger.child({ part: 'live-billing' }),
  });
  await typed.register(liveCostRoutes, { live: liveBilling, customers: () => config.customers });
  const care = createPostgresCare({ pool: deps.pool });
  const customerViews = createCustomerViews({
    store: care,
    live: liveBilling,
    customers: () => config.customers,
    nowMs: Date.now,
  });
  await typed.register(careRoutes, {
    views: customerViews,
    store: care,
    customers: () => config.customers,
  });
  await typed.register(statusRoutes, {
    views: customerViews,
    store: care,
    guard,
    clientAddress: clients.of,
  });
  await typed.register(commandRoutes, { commands });
  const paging = createPostgresPaging({ pool: deps.pool });
  await typed.register(pagingRoutes, {
    paging,
    commands,
    allowLoopbackHttp: config.paging.webPush.allowLoopbackHttp,
    nowMs: Date.now,
  });
  await typed.register(onCallRoutes, { paging, config: () => config, nowMs: Date.now });
  await typed.register(deviceRoutes, { devices: () => config.devices });
  await typed.register(topologyRoutes, { config: () => config, alarms, incidents });
  await typed.register(networkRoutes, {
    config: () => config,
    alarms,
    incidents,
    traffic: createInfluxTraffic({
      influxUrl: settings.influxUrl,
      database: influxReadDatabase(config.influx),
      token: settings.influxToken,
      answerTimeoutMs: 10_000,
    }),
    nowMs: Date.now,
  });
  await typed.register(sessionRoutes);
  await typed.register(billingRoutes, {
    runs: createPostgresBillingRunReader({ pool: deps.pool }),
    requester: billingQueue,
    config: () => config,
  });
  await typed.register(billingReviewRoutes, {
    review: createPostgresBillingReview({ pool: deps.pool }),
  });
  await typed.register(outageClaimRoutes, {
    claims: createPostgresOutageClaims({ pool: deps.pool }),
    config: () => config,
    nowMs: Date.now,
  });
  await typed.register(adminRoutes, { simulator });
  const discoveryDesk = createDiscoveryDesk({
    redis: deps.redis,
    pool: deps.pool,
    prefix: deps.settings.prefix,
    logger: deps.logger.child({ part: 'discovery' }),
  });
  app.addHook('onClose', async () => {
    await discoveryDesk.close();
  });
  await typed.register(discoveryRoutes, { desk: discoveryDesk, config: () => config });
  await typed.register(docsRoutes);
  await typed.register(systemRoutes, {
    renderMetrics: () => metrics.render() + (deps.metrics?.() ?? ''),
  });
}

/**
 * Builds the fastify instance with the app registered and ready, not listening: tests call
 * `inject()` on it, `createApi` calls `listen()`.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const edge = createEdgeAuth(deps);
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'api' }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Bodies validated as sent (no coercion, undeclared fields refused), query integers only
    // as plain decimal text: see buildRequestValidator.
    schemaController: { compilersFactory: { buildValidator: buildRequestValidator } },
    // fastify's own request lines include the full URL, query string and all; the app logs its
    // own line without it (see the onResponse hook).
    logController: new LogController({ disableRequestLogging: true }),
    // X-Forwarded-For is believed only from the configured proxies (`api.trustedProxies`), the
    // same way as in the access check and the socket.io handshake.
    trustProxy: edge.clients.trust,
    // Path ids up to the longest any route takes (run ids: 300) reach the access check and then
    // their schema; the router refuses longer ones, answered by the framework error handler.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: createFrameworkErrorHandler(edge.check),
    // A browser keeps HTTP connections open between requests; on stop they are cut rather than
    // waited for, so a stop (SIGTERM, a test) ends within a bound whatever dashboards are open.
    forceCloseConnections: true,
  });
  await app.register(faultlineApp, deps);
  await app.ready();
  return app as unknown as FastifyInstance;
}
