import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createLogger,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  webhookSignature,
  type Config,
} from '@faultline/shared';
import { createBillingBridge, type BillingBridge } from '@faultline/billing-bridge';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { billingConfig, insertOutages, monthLines, START_MS, writeLines } from './billing-data.js';

const SECRET = 'budget-warning-secret-0001';

interface Delivery {
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A generic webhook on loopback that records what it is sent. */
async function startReceiver(): Promise<{ server: Server; url: string; got: Delivery[] }> {
  const got: Delivery[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      got.push({ body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${String(port)}/hook`, got };
}

/** The acceptance month's config, acme's contact on the webhook channel, every second a view. */
function configWith(influx: string, url: string): Config {
  const config = billingConfig(influx, '{ liveIntervalS: 1, budgetWarningPercent: 80 }');
  return {
    ...config,
    paging: {
      ...config.paging,
      channels: [{ name: 'acme-hook', type: 'webhook', url, secret: SECRET }],
    },
    customers: config.customers.map((customer) => ({
      ...customer,
      contact: { channels: ['acme-hook'] },
    })),
  };
}

describe('budget warnings', () => {
  let database: TestDatabase;
  let influx: { name: string; drop(): Promise<void> };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let pool: pg.Pool;
  let bridge: BillingBridge | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    influx = await createInfluxDatabase();
    await writeLines(influx.name, monthLines());
    await insertOutages(database.url);
    receiver = await startReceiver();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });

  afterAll(async () => {
    await bridge?.stop();
    receiver.server.close();
    await pool.end();
    await influx.drop();
    await database.drop();
  });

  it('warns the contact once when the service has used 80 % of its budget before the next tier', async () => {
    // The hour of the 10th puts the transit in Gold's 25 % tier; the next, 99.5 %, allows 216
    // minutes. A running outage since 22:00 makes 170 minutes at 23:50 (78.70 % used: below the
    // share) and 180 minutes at 00:00 on the 11th (83.33 %: crossed).
    await pool.query(
      `INSERT INTO outages (customer_id, service_id, incident_id, ticket_id, root_alarm_id,
         root_cause, started_at, ended_at, in_maintenance)
       VALUES ('acme', 'acme-transit', 'inc-T-1', 'R-1', '00000000-0000-4000-8000-000000000001',
         'linkDown access-1', '2026-04-10T22:00:00Z', NULL, false)`,
    );
    const settings = { ...testSettings(), databaseUrl: database.url };
    let nowMs = START_MS + 10 * 86_400_000 - 10 * 60_000;
    bridge = createBillingBridge({
      runtime: {
        settings,
        config: configWith(influx.name, receiver.url),
        logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      },
      now: () => nowMs,
    });
    await bridge.start();
    const metric = (name: string) => bridge?.metrics().find((m) => m.name === name)?.value ?? 0;
    const views = () => metric('faultline_billing_live_views_total');
    // Views below the share: nothing is sent.
    await vi.waitFor(
      () => {
        expect(views()).toBeGreaterThanOrEqual(2);
      },
      { timeout: 100_000, interval: 200 },
    );
    expect(receiver.got).toHaveLength(0);
    expect(metric('faultline_billing_budget_warnings_total')).toBe(0);
    // The clock passes the crossing; several views with the share crossed: one warning.
    nowMs = START_MS + 10 * 86_400_000;
    const before = views();
    await vi.waitFor(
      () => {
        expect(views()).toBeGreaterThanOrEqual(before + 3);
      },
      { timeout: 100_000, interval: 200 },
    );
    expect(receiver.got).toHaveLength(1);
    expect(metric('faultline_billing_budget_warnings_total')).toBe(1);
    const [delivery] = receiver.got;
    if (delivery === undefined) throw new Error('no delivery');
    const timestamp = Number(delivery.headers[TIMESTAMP_HEADER]);
    expect(delivery.headers[SIGNATURE_HEADER]).toBe(
      webhookSignature(SECRET, timestamp, delivery.body),
    );
    const body = JSON.parse(delivery.body) as { kind: string; id: string; text: string };
    expect(body).toMatchObject({
      kind: 'budget-warning',
      id: 'acme/acme-transit/2026-04/below-99.5',
      warning: {
        usedPercent: 83.33,
        minutesLeft: 36,
        tierCreditMinor: '45000',
        creditMinor: '22500',
      },
    });
    expect(body.text).toContain('ACME Logistics');
    const { rows } = await pool.query(
      'SELECT service_id, period, tier_below_percent FROM budget_warnings',
    );
    expect(rows).toEqual([
      { service_id: 'acme-transit', period: '2026-04', tier_below_percent: '99.5' },
    ]);
  }, 120_000);
});
