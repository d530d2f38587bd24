import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  guardPoolClients,
  migrate,
  redisOptions,
  waitForServer,
  type Component,
  type Runtime,
} from '@faultline/shared';
import { buildApp } from './app.js';

/** What `createApi` needs. */
export interface ApiDeps {
  readonly runtime: Runtime;
  /** Prometheus text of the other components in this process, appended at `GET /metrics`. */
  readonly metrics?: (() => string) | undefined;
  /** The built dashboard folder; default dashboard/dist; `null` serves none. */
  readonly dashboardDir?: string | null | undefined;
}

/** The api component; `address` tells where it listens once started (useful with port 0). */
export interface ApiComponent extends Component {
  address(): AddressInfo | undefined;
}

/**
 * The api as a component: on start it connects to PostgreSQL (applying pending migrations) and
 * Redis, builds the app and listens on `settings.httpHost:httpPort`; stop closes socket.io,
 * fastify, Redis and the pool.
 */
export function createApi(deps: ApiDeps): ApiComponent {
  const { settings, config } = deps.runtime;
  const logger = deps.runtime.logger.child({ component: 'api' });
  let running: { app: FastifyInstance; pool: pg.Pool; redis: Redis } | undefined;

  return {
    name: 'api',
    async start() {
      const pool = new pg.Pool({
        connectionString: settings.databaseUrl,
        max: 10,
        connectionTimeoutMillis: 5000,
        application_name: 'faultline-api',
      });
      pool.on('error', (error) => {
        logger.warn({ err: error }, 'idle postgres connection failed');
      });
      guardPoolClients(pool);
      const redis = new Redis({ ...redisOptions(settings), maxRetriesPerRequest: 3 });
      redis.on('error', (error: unknown) => {
        logger.warn({ err: error }, 'redis connection error');
      });
      try {
        // Every PostgreSQL user migrates at start (idempotent, serialized by an advisory lock),
        // so the api can start first on a fresh database; before PostgreSQL is up it waits for it.
        await waitForServer({
          server: 'PostgreSQL',
          attempt: async () => {
            const client = await pool.connect();
            try {
              await migrate(client);
            } finally {
              client.release();
            }
          },
          logger,
        });
        // Likewise for Redis: the live feeds subscribe while the app gets ready, within fastify's
        // plugin timeout, so Redis must answer first.
        await waitForServer({ server: 'Redis', attempt: () => redis.ping(), logger });
        const app = await buildApp({
          pool,
          redis,
          config,
          settings,
          logger: deps.runtime.logger,
          metrics: deps.metrics,
          dashboardDir: deps.dashboardDir,
        });
        running = { app, pool, redis };
        await app.listen({ host: settings.httpHost, port: settings.httpPort });
      } catch (error) {
        await running?.app.close();
        running = undefined;
        redis.disconnect();
        await pool.end();
        throw new Error('api failed to start', { cause: error });
      }
    },
    async stop() {
      if (running === undefined) return;
      const { app, pool, redis } = running;
      running = undefined;
      try {
        await app.close();
      } finally {
        await redis.quit().catch(() => {
          redis.disconnect();
        });
        await pool.end();
      }
    },
    address() {
      const address = running?.app.server.address();
      return address !== null && typeof address === 'object' ? address : undefined;
    },
  };
}
