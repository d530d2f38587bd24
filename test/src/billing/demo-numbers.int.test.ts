import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBillingBridge,
  periodContaining,
  periodLabel,
  previousPeriod,
  type BillingBridge,
} from '@faultline/billing-bridge';
import { createLogger, type Config, type Runtime } from '@faultline/shared';
import { createDemoHistory } from '@faultline/system';
import { isolatedExampleConfig } from '../simulator/example-network.js';
import {
  createInfluxDatabase,
  createTestDatabase,
  influxQuery,
  testSettings,
  type TestDatabase,
} from '../support/services.js';

/**
 * The demo as a first `npm start` leaves it: the demo history (usage and past incidents), then
 * the billing bridge asked for the first start's runs, against real PostgreSQL and InfluxDB.
 * The desk then shows every customer's last closed period, and the numbers are ones a clerk
 * would believe: no port above its speed, every bill near what its plans charge.
 */

const WAIT = { timeout: 240_000, interval: 500 };

interface InfluxSeries {
  readonly tags: Record<string, string>;
  readonly values: [string, number | null, number | null][];
}

let config: Config;
let database: TestDatabase;
let influx: { name: string; drop(): Promise<void> };
let bridge: BillingBridge;
let pool: pg.Pool;
let runtime: Runtime;
/** The instant the demo history and the runs are computed at. */
const now = Date.now();

beforeAll(async () => {
  const example = await isolatedExampleConfig();
  influx = await createInfluxDatabase();
  database = await createTestDatabase();
  config = {
    ...example,
    influx: { ...example.influx, database: influx.name },
    billing: { ...example.billing, liveIntervalS: 0 },
  };
  runtime = {
    settings: testSettings({ databaseUrl: database.url }),
    config,
    logger: createLogger({ level: 'silent' }),
  };
  bridge = createBillingBridge({ runtime, now: () => now });
  await bridge.start();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
}, 120_000);

afterAll(async () => {
  await bridge.stop();
  await pool.end();
  await influx.drop();
  await database.drop();
});

interface RunRow {
  id: string;
  customer_id: string;
  period: string;
  version: number;
  requested_by: string;
  total_billed: string;
  held_count: number;
}

async function runs(): Promise<RunRow[]> {
  const { rows } = await pool.query<RunRow>(
    `SELECT id, customer_id, period, version, requested_by, total_billed::text, held_count
     FROM billing_runs ORDER BY customer_id`,
  );
  return rows;
}

describe('the demo after a first start', () => {
  it("bills every customer's last closed period once the history is in place", async () => {
    let asked: string | null | undefined;
    await createDemoHistory(
      runtime,
      async () => {
        asked = await bridge.requestFirstRuns();
      },
      () => now,
    ).start();
    expect(asked).toBe('billing-run_last-closed_all_first-start');
    await expect.poll(async () => (await runs()).length, WAIT).toBe(config.customers.length);
    const expected = config.customers
      .map((customer) => {
        const closed = previousPeriod(
          periodContaining(now, customer.billingAnchorDay, customer.timeZone),
        );
        return {
          customer_id: customer.id,
          period: periodLabel(closed),
          version: 1,
          requested_by: 'first start',
          // The history covers the period in full: nothing is held for want of data.
          held_count: 0,
        };
      })
      .sort((a, b) => a.customer_id.localeCompare(b.customer_id));
    expect(await runs()).toMatchObject(expected);
    // A later start finds runs and asks for nothing.
    expect(await bridge.requestFirstRuns()).toBeNull();
  });

  it('runs no interface above its speed', async () => {
    const answer = (await influxQuery(
      'SELECT max(in_bps), max(out_bps) FROM interface GROUP BY device, interface',
      influx.name,
    )) as { results: { series?: InfluxSeries[] }[] };
    const series = answer.results[0]?.series ?? [];
    expect(series.length).toBe(config.customers.flatMap((c) => c.services).length);
    for (const one of series) {
      const device = config.devices.find((d) => d.name === one.tags.device);
      const speedBps =
        (device?.interfaces.find((i) => i.name === one.tags.interface)?.speedMbps ?? 0) * 1e6;
      const [, inBps, outBps] = one.values[0] ?? ['', null, null];
      expect(
        Math.max(inBps ?? 0, outBps ?? 0),
        `${one.tags.device} ${one.tags.interface}`,
      ).toBeLessThanOrEqual(speedBps);
    }
  });

  it("bills each customer within a believable range of its plans' charges", async () => {
    const billed = await runs();
    const report = billed.map((run) => {
      const customer = config.customers.find((c) => c.id === run.customer_id);
      const charges = (customer?.services ?? []).reduce((sum, service) => {
        const planId = service.planChanges?.at(-1)?.plan ?? service.plan;
        const plan = config.pricePlans.find((p) => p.id === planId);
        return sum + Number(plan?.monthlyCharge ?? 0);
      }, 0);
      return { customer: run.customer_id, billed: Number(run.total_billed), charges };
    });
    for (const { customer, billed: total, charges } of report) {
      // Credits take at most half (the gold SLA's cap); usage adds at most half again.
      expect(total, `${customer}: ${JSON.stringify(report)}`).toBeGreaterThanOrEqual(charges * 0.5);
      expect(total, `${customer}: ${JSON.stringify(report)}`).toBeLessThanOrEqual(charges * 1.5);
    }
    // The volume plan's customer used about its allowance: a small overage at most.
    const { rows } = await pool.query<{ quantity: string }>(
      "SELECT quantity FROM billing_lines WHERE customer_id = 'globex' AND kind = 'overage'",
    );
    for (const row of rows) expect(Number(row.quantity)).toBeLessThan(300);
  });
});
