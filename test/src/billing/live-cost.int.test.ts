import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createLogger,
  formatMinor,
  liveBillingKey,
  type ServiceLiveCost,
  type Settings,
} from '@faultline/shared';
import { buildApp } from '@faultline/api';
import { createBillingBridge, type BillingBridge } from '@faultline/billing-bridge';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { TOKENS, withTokens } from '../api/incident-world.js';
import {
  END_MS,
  billingConfig,
  insertOutages,
  monthLines,
  testBillingRuns,
  writeLines,
} from './billing-data.js';

/**
 * A transit outage still running at the end of April 2026 (it started on the evening of the 30th
 * and has no end yet), on top of the month's outages (billing-data.ts): the live cost the bridge
 * computes a millisecond before the period ends, served by the api, is the credit the month's
 * run writes for it.
 */
async function insertRunningOutage(pool: pg.Pool, startedAt: string): Promise<void> {
  await pool.query(
    `INSERT INTO incidents (id, state, title, severity, primary_alarm_id, root_alarm_ids,
       alarm_ids, cut_off_devices, impacted_services, ticket_id, opened_at, updated_at, version)
     VALUES ('inc-R-1', 'open', 'linkDown access-1', 'critical',
       '00000000-0000-4000-8000-000000000001',
       ARRAY['00000000-0000-4000-8000-000000000001']::uuid[],
       ARRAY['00000000-0000-4000-8000-000000000001']::uuid[], '{}',
       '[{"customerId":"acme","serviceId":"acme-transit"}]', 'R-1', $1, $1, 1)`,
    [startedAt],
  );
  await pool.query(
    `INSERT INTO outages (customer_id, service_id, incident_id, ticket_id, root_alarm_id,
       root_cause, started_at, ended_at, in_maintenance)
     VALUES ('acme', 'acme-transit', 'inc-R-1', 'R-1', '00000000-0000-4000-8000-000000000001',
       'linkDown access-1', $1, NULL, false)`,
    [startedAt],
  );
}

describe('the live cost of a running outage', () => {
  let influx: { name: string; drop(): Promise<void> };
  let database: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  let redis: Redis | undefined;
  let bridge: BillingBridge | undefined;
  let app: FastifyInstance | undefined;

  beforeAll(async () => {
    influx = await createInfluxDatabase();
    await writeLines(influx.name, monthLines());
  });

  afterEach(async () => {
    await app?.close();
    await bridge?.stop();
    await redis?.quit();
    await pool?.end();
    await database?.drop();
    app = undefined;
    bridge = undefined;
    redis = undefined;
    pool = undefined;
    database = undefined;
  });

  afterAll(async () => {
    await influx.drop();
  });

  // Gold over April's 43,200 minutes allows 21.6 minutes before 99.95 %, 43.2 before 99.9 % and
  // 216 before 99.5 %; the credit is a step of the downtime, so the second case sits one minute
  // below a step: a run and a live view that counted the running outage differently by a minute
  // or more (say, the run until its own clock on 2 May rather than the period's end) disagree.
  it.each([
    {
      // 60 minutes on the 10th, then 21:00 to the period's end (180 minutes, T-3 inside it):
      // 240 minutes, below 99.5 %, so Gold's deepest tier, 50 % of 900.00 EUR.
      startedAt: '2026-04-30T21:00:00Z',
      downtimeMinutes: 240,
      tier: { belowPercent: '99.5', creditPercent: '50' },
      nextTierBelowPercent: null,
      slaBudgetMinutes: null,
      creditMinor: '45000',
    },
    {
      // 60 + 155 minutes (21:25 to the end): one minute short of the 216 allowed before 99.5 %,
      // so the 25 % tier (225.00 EUR), not the 50 % one.
      startedAt: '2026-04-30T21:25:00Z',
      downtimeMinutes: 215,
      tier: { belowPercent: '99.9', creditPercent: '25' },
      nextTierBelowPercent: '99.5',
      slaBudgetMinutes: 1,
      creditMinor: '22500',
    },
  ])(
    "started at $startedAt: equals, to the cent, the credit the month's run then writes",
    async (expected) => {
      database = await createTestDatabase();
      await insertOutages(database.url);
      pool = new pg.Pool({ connectionString: database.url, max: 4 });
      await insertRunningOutage(pool, expected.startedAt);
      const settings: Settings = {
        ...testSettings({ databaseUrl: database.url, httpHost: '127.0.0.1', httpPort: 0 }),
        adminToken: TOKENS.admin,
      };
      redis = new Redis(settings.redisUrl);
      redis.on('error', () => undefined);
      const live = redis;

      const config = withTokens(billingConfig(influx.name, '{ liveIntervalS: 3600 }'));
      const logger = createLogger({ level: 'silent' });
      // The bridge's clock a millisecond before April ends: its live view is the last of the month.
      bridge = createBillingBridge({
        runtime: { settings, config, logger },
        now: () => END_MS - 1,
      });
      await bridge.start();
      await vi.waitFor(
        async () => {
          expect(await live.exists(liveBillingKey(settings.prefix, 'acme'))).toBe(1);
        },
        { timeout: 30_000, interval: 100 },
      );
      await bridge.stop();
      bridge = undefined;

      app = await buildApp({ pool, redis, config, settings, logger, dashboardDir: null });
      const answer = await app.inject({
        method: 'GET',
        url: '/api/live-cost',
        headers: { authorization: `Bearer ${TOKENS.viewer}` },
      });
      expect(answer.statusCode).toBe(200);
      const services = answer.json<{ services: ServiceLiveCost[] }>().services;
      const transit = services.find((service) => service.serviceId === 'acme-transit');
      expect(transit).toMatchObject({
        customerName: 'ACME Logistics',
        period: '2026-04',
        currency: 'EUR',
        slaBudgetMinutes: expected.slaBudgetMinutes,
        sla: {
          slaId: 'gold',
          tier: expected.tier,
          nextTierBelowPercent: expected.nextTierBelowPercent,
          creditMinor: expected.creditMinor,
        },
      });
      expect(transit?.downtimeMinutes).toBeCloseTo(expected.downtimeMinutes, 3);
      // The backup service has no SLA: no cost, but its downtime is still shown.
      expect(services.find((service) => service.serviceId === 'acme-backup')?.sla).toBeNull();

      // The month's run (its clock on 2 May, the outage still open) credits the same amount, from
      // the same tier.
      const outcomes = await testBillingRuns(config, pool).run({
        customerId: 'acme',
        period: '2026-04',
      });
      const outcome = outcomes[0];
      if (outcome?.kind !== 'run') throw new Error('the run was skipped');
      const credits = outcome.stored.lines.filter(
        (line) => line.kind === 'credit' && line.serviceId === 'acme-transit',
      );
      expect(credits).toHaveLength(1);
      const liveCredit = transit?.sla?.creditMinor;
      if (liveCredit === undefined) throw new Error('no live credit for acme-transit');
      expect(credits[0]?.amount).toBe(formatMinor(-BigInt(liveCredit), 'EUR'));
      expect(credits[0]?.description).toContain(
        `below ${expected.tier.belowPercent}%, credit ${expected.tier.creditPercent}%`,
      );
    },
  );
});
