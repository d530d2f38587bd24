import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createRedisAuthFailureGuard } from './access/auth-failures-redis.js';
import { createClientAddressing } from './access/client-address.js';
import { bearerToken, createTokenVerifier } from './access/token-verifier.js';
import type { Component, Runtime } from './component.js';
import type { Role } from './config/schema.js';
import { redisOptions } from './redis-connection.js';

/**
 * The roles that may read /metrics: the Prometheus scrape role and admin. The api grants
 * `metrics:read` to exactly these (a test in the api holds the two together).
 */
export const METRICS_ROLES: readonly Role[] = ['metrics', 'admin'];

/** Default /metrics ports of the standalone parts (`FAULTLINE_METRICS_PORT` overrides). */
export const DEFAULT_METRICS_PORTS = {
  collector: 9101,
  correlator: 9102,
  'billing-bridge': 9103,
} as const;

/** A standalone part's /metrics server. */
export interface MetricsServer extends Component {
  /** Where it listens, once started. */
  address(): AddressInfo | undefined;
}

/** What a part's /metrics server needs. */
export interface MetricsServerDeps {
  readonly runtime: Runtime;
  readonly part: keyof typeof DEFAULT_METRICS_PORTS;
  /** The part's metrics in the Prometheus text format. */
  readonly render: () => string;
}

/** Refused tokens one address may present per minute before it gets 429s, as at the api. */
const MAX_AUTH_FAILURES_PER_MINUTE = 20;

function answer(response: ServerResponse, statusCode: number, error: string, message: string) {
  response.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ statusCode, error, message }));
}

/**
 * `GET /metrics` of a part run on its own (collector, correlator, billing bridge), on
 * `FAULTLINE_METRICS_HOST:FAULTLINE_METRICS_PORT`, under the api's rule for its own /metrics: a
 * bearer token of the `metrics` or admin role; refused tokens counted per client address in Redis
 * (shared with the api), 429 for a minute past 20; a client behind `api.trustedProxies` known by
 * its X-Forwarded-For. Everything else answers 404.
 */
export function createMetricsServer(deps: MetricsServerDeps): MetricsServer {
  const { settings, config } = deps.runtime;
  const logger = deps.runtime.logger.child({ component: `${deps.part}-metrics` });
  const verify = createTokenVerifier({
    tokens: config.api.tokens,
    adminToken: settings.adminToken,
    viewerToken: settings.viewerToken,
  });
  const clients = createClientAddressing(config.api.trustedProxies);
  let running: { server: ReturnType<typeof createServer>; redis: Redis } | undefined;

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    guard: ReturnType<typeof createRedisAuthFailureGuard>,
  ): Promise<void> => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== '/metrics') {
      answer(response, 404, 'Not Found', 'only /metrics is served here');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      answer(response, 405, 'Method Not Allowed', 'use GET');
      return;
    }
    const client = clients.of(request);
    if (await guard.isBlocked(client)) {
      response.setHeader('retry-after', '60');
      answer(
        response,
        429,
        'Too Many Requests',
        'too many refused tokens from this address; try again in a minute',
      );
      return;
    }
    const token = bearerToken(request.headers.authorization);
    const principal = verify(token);
    if (principal === undefined) {
      if (token !== undefined) await guard.recordFailure(client);
      response.setHeader('www-authenticate', 'Bearer');
      answer(
        response,
        401,
        'Unauthorized',
        'a valid bearer token is required (Authorization: Bearer <token>)',
      );
      return;
    }
    if (!METRICS_ROLES.includes(principal.role)) {
      answer(response, 403, 'Forbidden', `role "${principal.role}" may not read metrics`);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    response.end(request.method === 'HEAD' ? undefined : deps.render());
  };

  return {
    name: `${deps.part}-metrics`,
    async start() {
      if (running) throw new Error('metrics server already started');
      // Fails open while Redis is away (logged by the guard): the token check still holds.
      const redis = new Redis({
        ...redisOptions(settings),
        connectionName: `faultline-${deps.part}-metrics`,
        maxRetriesPerRequest: 1,
      });
      let failures = 0;
      redis.on('error', (error) => {
        if (failures++ === 0) logger.warn({ err: error }, 'metrics auth counter connection error');
      });
      redis.on('ready', () => {
        failures = 0;
      });
      const guard = createRedisAuthFailureGuard({
        redis,
        prefix: settings.prefix,
        maxFailures: MAX_AUTH_FAILURES_PER_MINUTE,
        windowMs: 60_000,
        logger,
      });
      const server = createServer((request, response) => {
        handle(request, response, guard).catch((error: unknown) => {
          logger.error({ err: error }, 'metrics request failed');
          if (!response.headersSent) answer(response, 500, 'Internal Server Error', 'failed');
          else response.destroy();
        });
      });
      const host = settings.metricsHost;
      const port = settings.metricsPort ?? DEFAULT_METRICS_PORTS[deps.part];
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        redis.disconnect();
        throw new Error(`metrics could not listen on ${host}:${String(port)}`, { cause: error });
      }
      running = { server, redis };
      logger.info({ host, port }, 'metrics listening');
    },
    async stop() {
      const parts = running;
      running = undefined;
      if (!parts) return;
      await new Promise<void>((resolve) => {
        parts.server.close(() => {
          resolve();
        });
        parts.server.closeAllConnections();
      });
      await parts.redis.quit().catch(() => undefined);
    },
    address() {
      const address = running?.server.address();
      return address === null || typeof address === 'string' ? undefined : address;
    },
  };
}
