import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
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
