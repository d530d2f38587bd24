import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BILLING_QUEUE,
  BILLING_RUN_JOB,
  createLogger,
  billingLineFromRow,
  billingRunFromRow,
  renderBillingCsv,
  SELECT_BILLING_LINES,
  SELECT_BILLING_RUN,
  type BillingRunRequest,
} from '@faultline/shared';
import {
  createBillingBridge,
  type BillingBridge,
  type Reconciliation,
} from '@faultline/billing-bridge';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { billingConfig, insertOutages, monthLines, writeLines } from './billing-data.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
/** The BSS push is retried after a backoff of 1 s and more: waiting for it takes longer. */
const PUSH_RETRIED = { timeout: 10_000 };
// Set to regenerate the fixtures; they are then checked by hand (see fixtures/README.md).
const WRITE_FIXTURES = process.env.WRITE_BILLING_FIXTURES === '1';

async function expectFixture(name: string, actual: string): Promise<void> {
  const url = new URL(name, FIXTURES);
  if (WRITE_FIXTURES) await writeFile(url, actual);
  expect(actual).toBe(await readFile(url, 'utf8'));
}

describe('billing runs of a month (InfluxDB usage, PostgreSQL outages)', () => {
  let database: TestDatabase;
  let influx: { name: string; drop(): Promise<void> };
  let bridge: BillingBridge;
  let pool: pg.Pool;
  let queue: Queue;
  let events: QueueEvents;
  let redis: Redis;
  let bss: Server;
  /** Every POST the BSS webhook got: its idempotency key, run id and the status answered. */
  const deliveries: { key: string; runId: string; status: number }[] = [];
  const settings = { ...testSettings() };

  beforeAll(async () => {
    database = await createTestDatabase();
    influx = await createInfluxDatabase();
    await writeLines(influx.name, monthLines());
    await insertOutages(database.url);
    // The BSS answers 503 to the first delivery of each run, then 200.
    bss = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const runId = (JSON.parse(body) as { run: { id: string } }).run.id;
        const status = deliveries.some((d) => d.runId === runId) ? 200 : 503;
        deliveries.push({ key: String(request.headers['idempotency-key']), runId, status });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => bss.listen(0, '127.0.0.1', resolve));
    const { port } = bss.address() as AddressInfo;
    const billing = `{ minCoveragePercent: 99.95, liveIntervalS: 0, webhook: { url: 'http://127.0.0.1:${String(port)}/bss', attempts: 3 } }`;
    bridge = createBillingBridge({
      runtime: {
        settings: { ...settings, databaseUrl: database.url },
        config: billingConfig(influx.name, billing),
        logger: createLogger({ level: 'silent' }),
      },
      now: () => Date.UTC(2026, 4, 2),
    });
    await bridge.start();
    pool = new pg.Pool({ connectionString: database.url });
    redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    queue = new Queue(BILLING_QUEUE, { connection: redis, prefix: settings.prefix });
    queue.on('error', () => undefined);
    events = new QueueEvents(BILLING_QUEUE, {
      connection: { url: settings.redisUrl },
      prefix: settings.prefix,
    });
    events.on('error', () => undefined);
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await events.close();
    await queue.close();
    await redis.quit();
    await bridge.stop();
    await pool.end();
    await new Promise((resolve) => bss.close(resolve));
    await influx.drop();
    await database.drop();
  });

  /** Asks for a run through the `billing` queue, as the api does, and waits for it. */
  async function requestRun(
    request: BillingRunRequest = { period: '2026-04', customerId: 'acme', requestedBy: 'test' },
  ): Promise<string> {
    const job = await queue.add(BILLING_RUN_JOB, request, {
      removeOnComplete: true,
      removeOnFail: true,
    });
    const result = (await job.waitUntilFinished(events)) as { runId: string }[];
    const runId = result[0]?.runId;
    if (runId === undefined) throw new Error(`no run: ${JSON.stringify(result)}`);
    return runId;
  }

  async function csvOf(runId: string): Promise<string> {
    const run = await pool.query(SELECT_BILLING_RUN, [runId]);
    const lines = await pool.query(SELECT_BILLING_LINES, [runId]);
    const row = run.rows[0] as Record<string, unknown> | undefined;
    if (row === undefined) throw new Error(`run ${runId} not stored`);
    // Read as the api does: the shared queries and mappers, then the shared renderer.
    return renderBillingCsv(
      billingRunFromRow(row),
      lines.rows.map((line) => billingLineFromRow(line as Record<string, unknown>)),
    );
  }

  it('schedules each customer after its period closes, and bills the last closed period', async () => {
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([
      ['billing-close-acme', '0 1 1 * *', 'UTC'],
    ]);
    // What the scheduled job asks for: no period, so the last closed one (the clock is 2 May).
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM billing_runs',
    );
    expect(rows[0]?.n).toBe('0');
    await requestRun({ customerId: 'acme', requestedBy: 'schedule' });
    const runs = await pool.query('SELECT id, requested_by FROM billing_runs');
    expect(runs.rows).toEqual([{ id: 'acme/2026-04/v1', requested_by: 'schedule' }]);
  });

  it('rates the month into the expected lines, holds thin usage, and is idempotent', async () => {
    const runId = await requestRun();
    expect(runId).toBe('acme/2026-04/v1');
    await expectFixture('acme-2026-04-v1.csv', await csvOf(runId));

    const { rows } = await pool.query<{
      content_hash: string;
      total_billed: string;
      total_held: string;
      reconciliation: Reconciliation;
    }>(
      'SELECT content_hash, total_billed::text, total_held::text, reconciliation FROM billing_runs',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ total_billed: '978.85', total_held: '429.72' });
    const hash = rows[0]?.content_hash;
    const report = rows[0]?.reconciliation;
    if (report === undefined) throw new Error('no reconciliation');
    expect(report.totals).toEqual({
      currency: 'EUR',
      billed: '978.85',
      held: '429.72',
      byKind: { charge: '1000.00', credit: '-225.00', overage: '203.85' },
    });
    // acme-backup: bucket 999 (the reboot) and 2000..2005 (the gap) have no rate: 8,633 of 8,640.
    expect(report.usage.find((u) => u.serviceId === 'acme-backup')).toMatchObject({
      inOctets: '3239625000000',
      outOctets: '1619812500000',
      coveragePercent: '99.92',
      gapMinutes: 35,
      resets: 1,
      previous: null,
    });
    expect(report.held).toEqual([
      {
        lineKey: 'acme-backup/overage/volume-4tb/1775001600000',
        amount: '429.72',
        coveragePercent: '99.92',
      },
    ]);
    const transit = report.credits.find((c) => c.serviceId === 'acme-transit');
    expect(transit?.downtimeMinutes).toBe(70);
    expect(transit?.outages.map((o) => [o.ticketId, o.counted])).toEqual([
      ['T-1', true],
      ['T-2', true],
      ['M-1', false],
      ['T-3', true],
    ]);

    // The same data again: the same run, lines and hash; nothing new is written.
    expect(await requestRun()).toBe(runId);
    const again = await pool.query('SELECT id, content_hash FROM billing_runs');
    expect(again.rows).toEqual([{ id: runId, content_hash: hash }]);
    expect(bridge.metrics().find((m) => m.labels?.outcome === 'unchanged')?.value).toBe(2);

    // The BSS got the run once (after one retry), with the run's idempotency key.
    await vi.waitFor(async () => {
      const pushed = await pool.query('SELECT run_id, status FROM billing_pushes');
      expect(pushed.rows).toEqual([{ run_id: runId, status: 200 }]);
    }, PUSH_RETRIED);
    expect(deliveries).toEqual([
      { key: `${runId}#${String(hash)}`, runId, status: 503 },
      { key: `${runId}#${String(hash)}`, runId, status: 200 },
    ]);
  });

  it('turns late data into adjustment lines in a new version, never rewriting the first', async () => {
    const before = await csvOf('acme/2026-04/v1');
    await writeLines(influx.name, monthLines(true));
    const runId = await requestRun();
    expect(runId).toBe('acme/2026-04/v2');
    await expectFixture('acme-2026-04-v2.csv', await csvOf(runId));
    const v2 = await pool.query<{ reconciliation: Reconciliation }>(
      'SELECT reconciliation FROM billing_runs WHERE id = $1',
      [runId],
    );
    const report = v2.rows[0]?.reconciliation;
    expect(report?.totals).toEqual({
      currency: 'EUR',
      billed: '429.72',
      held: '0.00',
      byKind: { adjustment: '429.72' },
    });
    // Same octets as v1 saw (the gap's volume was counted), but full coverage now.
    expect(report?.usage.find((u) => u.serviceId === 'acme-backup')).toMatchObject({
      coveragePercent: '99.99',
      previousRun: { runId: 'acme/2026-04/v1', inOctets: '3239625000000' },
      changeSincePreviousRunPercent: '0',
    });
    expect(await csvOf('acme/2026-04/v1')).toBe(before);
    // And the re-run of the late data is itself idempotent.
    expect(await requestRun()).toBe(runId);
    await vi.waitFor(() => {
      expect(deliveries.filter((d) => d.status === 200).map((d) => d.runId)).toEqual([
        'acme/2026-04/v1',
        runId,
      ]);
    }, PUSH_RETRIED);
  });
});
