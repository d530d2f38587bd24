import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { expect, vi } from 'vitest';
import { createLogger, type Config, type Settings } from '@faultline/shared';
import { buildApp, createApi, type ApiComponent } from '@faultline/api';
import { createBillingBridge, type BillingBridge } from '@faultline/billing-bridge';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { billingConfig, insertOutages, monthLines, writeLines } from '../billing/billing-data.js';
import { TOKENS, withTokens } from './incident-world.js';

/**
 * The billing acceptance month (April 2026 of customer acme, see billing/billing-data.ts) in a
 * fresh database, InfluxDB database and key prefix, with the real billing bridge working the
 * `billing` queue (its clock on 2 May 2026) and an api in front of the same services.
 */
export interface BillingWorld {
  readonly settings: Settings;
  readonly config: Config;
  readonly pool: pg.Pool;
  readonly redis: Redis;
  /** An in-process app for `inject()`. */
  app(): Promise<FastifyInstance>;
  /** A listening api serving the built dashboard, for browsers. */
  listen(): Promise<{ api: ApiComponent; baseUrl: string }>;
  close(): Promise<void>;
}

/** Builds the world: seeds usage and outages, starts the billing bridge. */
export async function createBillingWorld(): Promise<BillingWorld> {
  const database: TestDatabase = await createTestDatabase();
  const influx = await createInfluxDatabase();
  await writeLines(influx.name, monthLines());
  await insertOutages(database.url);
  const settings: Settings = {
    ...testSettings({ databaseUrl: database.url, httpHost: '127.0.0.1', httpPort: 0 }),
    adminToken: TOKENS.admin,
  };
  const config = withTokens(
    billingConfig(influx.name, '{ minCoveragePercent: 99.95, liveIntervalS: 0 }'),
  );
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const bridge: BillingBridge = createBillingBridge({
    runtime: { settings, config, logger },
    now: () => Date.UTC(2026, 4, 2),
  });
  await bridge.start();
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const redis = new Redis(settings.redisUrl);
  redis.on('error', () => undefined);
  const apps: FastifyInstance[] = [];
  const apis: ApiComponent[] = [];
  return {
    settings,
    config,
    pool,
    redis,
    async app() {
      const app = await buildApp({
        pool,
        redis,
        config,
        settings,
        logger,
        dashboardDir: null,
        maxAuthFailuresPerMinute: 1000,
      });
      apps.push(app);
      return app;
    },
    async listen() {
      const api = createApi({ runtime: { settings, config, logger } });
      await api.start();
      apis.push(api);
      const address = api.address();
      if (address === undefined) throw new Error('api started but has no address');
      return { api, baseUrl: `http://127.0.0.1:${String(address.port)}` };
    },
    async close() {
      for (const app of apps) await app.close();
      for (const api of apis) await api.stop();
      await bridge.stop();
      await redis.quit();
      await pool.end();
      await influx.drop();
      await database.drop();
    },
  };
}

/** Calls to an in-process app with a role's bearer token (the billing role's by default). */
export interface BillingCalls {
  readonly post: (
    url: string,
    payload: object,
    token?: string,
  ) => Promise<{ status: number; body: Record<string, unknown> }>;
  /** A GET that must answer 200, as JSON. */
  readonly get: <T>(url: string) => Promise<T>;
  /** Asks for acme's April through the api and waits until version `version` is listed. */
  readonly runApril: (version: number) => Promise<void>;
}

/** The authorization header of a bearer token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** The calls the billing api tests make to `app`. */
export function billingCalls(app: FastifyInstance): BillingCalls {
  const as = bearer;
  const calls: BillingCalls = {
    async post(url, payload, token = TOKENS.billing) {
      const response = await app.inject({ method: 'POST', url, headers: as(token), payload });
      return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
    },
    async get<T>(url: string) {
      const response = await app.inject({ url, headers: as(TOKENS.billing) });
      expect(response.statusCode, url).toBe(200);
      return response.json<T>();
    },
    async runApril(version) {
      const posted = await calls.post('/api/billing/runs', { period: '2026-04', customer: 'acme' });
      expect(posted.status).toBe(202);
      await vi.waitFor(
        async () => {
          const list = await calls.get<{ runs: { version: number }[] }>(
            '/api/billing/runs?customer=acme',
          );
          expect(list.runs.map((run) => run.version)).toContain(version);
        },
        { timeout: 60_000, interval: 200 },
      );
    },
  };
  return calls;
}

/** The world, an app in front of it, the calls to it, and acme's April (v1) already run. */
export async function createAprilWorld(): Promise<{
  world: BillingWorld;
  app: FastifyInstance;
  calls: BillingCalls;
}> {
  const world = await createBillingWorld();
  const app = await world.app();
  const calls = billingCalls(app);
  await calls.runApril(1);
  return { world, app, calls };
}
