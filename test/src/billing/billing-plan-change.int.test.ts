import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInfluxDatabase,
  createTestDatabase,
  type TestDatabase,
} from '../support/services.js';
import {
  billingConfig,
  insertOutages,
  monthLines,
  testBillingRuns,
  writeLines,
} from './billing-data.js';

/**
 * A real run of the acceptance month (billing-data.ts) in which acme-transit is on flat-100m
 * (150.00) until 2026-04-11 and on burst-95-1g (900.00, commit 200 Mbps) from then: a third and
 * two thirds of April's 720 hours.
 */
describe('a billing run with a mid-period plan change from config', () => {
  let database: TestDatabase;
  let influx: { name: string; drop(): Promise<void> };
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    influx = await createInfluxDatabase();
    await writeLines(influx.name, monthLines());
    await insertOutages(database.url);
    pool = new pg.Pool({ connectionString: database.url });
  });

  afterAll(async () => {
    await pool.end();
    await influx.drop();
    await database.drop();
  });

  it('bills each plan over its segment and credits the pro-rated recurring charge', async () => {
    const config = billingConfig(
      influx.name,
      '{ minCoveragePercent: 99 }',
      `plan: flat-100m, planChanges: [{ from: '2026-04-11', plan: burst-95-1g }]`,
    );
    const runs = testBillingRuns(config, pool);
    const [outcome] = await runs.run({ period: '2026-04', customerId: 'acme' });
    if (outcome?.kind !== 'run') throw new Error(`no run: ${JSON.stringify(outcome)}`);
    const change = String(Date.UTC(2026, 3, 11));
    const transit = outcome.stored.lines
      .filter((line) => line.serviceId === 'acme-transit')
      .map((line) => [line.lineKey, line.periodFraction, line.description, line.amount]);
    expect(transit).toEqual([
      [
        'acme-transit/charge/flat-100m/1775001600000',
        '1/3',
        'flat-100m monthly charge (pro-rated 1/3 of the period)',
        '50.00',
      ],
      [
        `acme-transit/charge/burst-95-1g/${change}`,
        '2/3',
        'burst-95-1g monthly charge (pro-rated 2/3 of the period)',
        '600.00',
      ],
      // The 900 Mbps bursts (buckets 1000..1431) fell under flat-100m: the 95th of the 5,760
      // buckets from the change is 100 Mbps (the one 245.3 Mbps bucket is dropped).
      [
        `acme-transit/overage/burst-95-1g/${change}`,
        '2/3',
        'burst-95-1g 95th percentile (max) 100 Mbps, commit 200 Mbps (pro-rated 2/3 of the period)',
        '0.00',
      ],
      // 70 minutes down: 99.838 % → 25 % of the recurring 650.00.
      [
        'acme-transit/credit/gold',
        '1',
        'SLA gold: availability 99.838% below 99.9%, credit 25%',
        '-162.50',
      ],
    ]);
    const evidence = await pool.query<{ evidence: { sampleCount: number; fromBucket: number } }>(
      `SELECT evidence FROM billing_lines WHERE run_id = $1 AND line_key = $2`,
      [outcome.stored.run.id, `acme-transit/overage/burst-95-1g/${change}`],
    );
    expect(evidence.rows[0]?.evidence).toMatchObject({ sampleCount: 5760, fromBucket: 2880 });
    // The reconciliation names both plans of the period, in order.
    const report = await pool.query<{
      reconciliation: { usage: { serviceId: string; planId: string }[] };
    }>('SELECT reconciliation FROM billing_runs WHERE id = $1', [outcome.stored.run.id]);
    expect(report.rows[0]?.reconciliation.usage.map((u) => [u.serviceId, u.planId])).toEqual([
      ['acme-transit', 'flat-100m → burst-95-1g'],
      ['acme-backup', 'volume-4tb'],
    ]);
  });
});
