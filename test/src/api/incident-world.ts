import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import {
  createLogger,
  type Alarm,
  type AlarmChange,
  type ClientToServerEvents,
  type Config,
  type Incident,
  type IncidentChange,
  type ServerToClientEvents,
} from '@faultline/shared';
import { buildApp, createApi, type ApiComponent } from '@faultline/api';
import { createIncidentHarness, type IncidentHarness } from '../correlator/incident-harness.js';

/** Tokens of the incident world: one per role, named after the person holding it. */
export const TOKENS = {
  viewer: 'wall-token-for-incident-tests',
  engineer: 'alice-token-for-incident-tests',
  billing: 'bob-token-for-incident-tests',
  admin: 'admin-token-for-incident-tests',
  metrics: 'prometheus-token-for-incident-tests',
  care: 'carol-token-for-incident-tests',
} as const;

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The example network's config with one token per role (admin from the environment setting). */
export function withTokens(config: Config): Config {
  return {
    ...config,
    api: {
      tokens: [
        { name: 'wall', role: 'viewer', sha256: digest(TOKENS.viewer) },
        { name: 'alice', role: 'engineer', sha256: digest(TOKENS.engineer) },
        { name: 'bob', role: 'billing', sha256: digest(TOKENS.billing) },
        { name: 'prometheus', role: 'metrics', sha256: digest(TOKENS.metrics) },
        { name: 'carol', role: 'care', sha256: digest(TOKENS.care) },
      ],
      trustedProxies: config.api.trustedProxies,
    },
  };
}

/** A correlator world (example network, real correlator) with an api in front of it. */
export interface IncidentWorld {
  readonly harness: IncidentHarness;
  readonly config: Config;
  readonly pool: pg.Pool;
  readonly redis: Redis;
  /** An in-process app for `inject()`. */
  app(options?: { commandTimeoutMs?: number }): Promise<FastifyInstance>;
  /** A listening api, for sockets and browsers. */
  listen(options?: {
    dashboardDir?: string | null;
    /** The InfluxDB database the api reads polled traffic from (default the config's). */
    influxDatabase?: string;
  }): Promise<{ api: ApiComponent; baseUrl: string }>;
  close(): Promise<void>;
}

/** Builds the world; call `harness.startCorrelator()` when the test needs one. */
export async function createIncidentWorld(
  options: { paging?: Partial<Config['paging']> } = {},
): Promise<IncidentWorld> {
  const harness = await createIncidentHarness({ holdS: 0.2, ...options });
  const config = withTokens(harness.config);
  const pool = new pg.Pool({ connectionString: harness.settings.databaseUrl, max: 4 });
  const redis = new Redis(harness.settings.redisUrl);
  redis.on('error', () => undefined);
  const settings = { ...harness.settings, adminToken: TOKENS.admin, httpPort: 0 };
  const apps: FastifyInstance[] = [];
  const apis: ApiComponent[] = [];
  return {
    harness,
    config,
    pool,
    redis,
    async app(options = {}) {
      const app = await buildApp({
        pool,
        redis,
        config,
        settings,
        logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
        dashboardDir: null,
        commandTimeoutMs: options.commandTimeoutMs,
        maxAuthFailuresPerMinute: 1000,
      });
      apps.push(app);
      return app;
    },
    async listen(options = {}) {
      const api = createApi({
        runtime: {
          settings,
          config:
            options.influxDatabase === undefined
              ? config
              : { ...config, influx: { ...config.influx, database: options.influxDatabase } },
          logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
        },
        dashboardDir: options.dashboardDir,
      });
      await api.start();
      apis.push(api);
      const address = api.address();
      if (address === undefined) throw new Error('api started but has no address');
      return { api, baseUrl: `http://127.0.0.1:${String(address.port)}` };
    },
    async close() {
      for (const app of apps) await app.close();
      for (const api of apis) await api.stop();
      await redis.quit();
      await pool.end();
      await harness.close();
    },
  };
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What a live client has received so far. */
export interface LiveRecord {
  readonly socket: ClientSocket;
  readonly alarmSnapshots: Alarm[][];
  readonly incidentSnapshots: Incident[][];
  readonly alarmChanges: AlarmChange[];
  readonly incidentChanges: IncidentChange[];
  readonly errors: string[];
}

/** Connects a socket.io client and records everything it receives. */
export function connectLive(baseUrl: string, token: string): LiveRecord {
  const socket: ClientSocket = io(baseUrl, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const record: LiveRecord = {
    socket,
    alarmSnapshots: [],
    incidentSnapshots: [],
    alarmChanges: [],
    incidentChanges: [],
    errors: [],
  };
  socket.on('alarms:snapshot', (alarms) => record.alarmSnapshots.push(alarms));
  socket.on('incidents:snapshot', (incidents) => record.incidentSnapshots.push(incidents));
  socket.on('alarms:changed', (changes) => record.alarmChanges.push(...changes));
  socket.on('incidents:changed', (changes) => record.incidentChanges.push(...changes));
  socket.on('connect_error', (error) => record.errors.push(error.message));
  return record;
}
