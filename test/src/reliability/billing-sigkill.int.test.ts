import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BILLING_QUEUE, BILLING_RUN_JOB, type BillingRunRequest } from '@faultline/shared';
import { billingConfig, insertOutages, monthLines, writeLines } from '../billing/billing-data.js';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { queryRows, startPart, type PartProcess } from './fault-world.js';

describe('a billing bridge process killed with SIGKILL in the middle of a run', () => {
  const settings = testSettings();
  const queue = new Queue<BillingRunRequest>(BILLING_QUEUE, {
    connection: { url: settings.redisUrl },
    prefix: settings.prefix,
  });
  let database: TestDatabase;
  let influx: { name: string; drop(): Promise<void> };
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const children: PartProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    influx = await createInfluxDatabase();
    await writeLines(influx.name, monthLines());
    await insertOutages(database.url);
    dir = await mkdtemp(join(tmpdir(), 'faultline-billing-kill-'));
    // JSON is YAML: the validated config, defaults filled in, is a config file as it is.
    const configPath = join(dir, 'config.yaml');
    await writeFile(
      configPath,
      JSON.stringify(billingConfig(influx.name, '{ minCoveragePercent: 99.95, liveIntervalS: 0 }')),
    );
    env = {
      PATH: process.env.PATH,
      FAULTLINE_CONFIG: configPath,
      FAULTLINE_PREFIX: settings.prefix,
      REDIS_URL: settings.redisUrl,
      INFLUX_URL: settings.influxUrl,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
    };
  });

  afterAll(async () => {
    for (const child of children) await child.stop();
    await queue.obliterate({ force: true });
    await queue.close();
    await influx.drop();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function startBridge(): Promise<PartProcess> {
    const child = await startPart('billing-bridge', env);
    children.push(child);
    return child;
  }

  const runs = () =>
    queryRows<{ id: string; lines: number }>(
      database.url,
      `SELECT r.id, (SELECT count(*)::int FROM billing_lines l WHERE l.run_id = r.id) AS lines
       FROM billing_runs r ORDER BY r.id`,
    );

  it('retries the run: one run, the same as a fresh computation of the period', async () => {
    const first = await startBridge();
    const job = await queue.add(
      BILLING_RUN_JOB,
      { customerId: 'acme', period: '2026-04', requestedBy: 'test' },
      { attempts: 3 },
    );
    await vi.waitFor(
      async () => {
        expect(await job.getState()).toBe('active');
      },
      { timeout: 30_000, interval: 2 },
    );
    await first.stop('SIGKILL');
    // Killed in the run's middle: its transaction never committed.
    expect(await job.getState()).toBe('active');
    expect(await runs()).toEqual([]);

    await startBridge();
    await vi.waitFor(
      async () => {
        expect(await job.getState()).toBe('completed');
      },
      { timeout: 100_000, interval: 500 },
    );
    const stored = await runs();
    expect(stored).toEqual([{ id: 'acme/2026-04/v1', lines: expect.any(Number) as number }]);
    expect(stored[0]?.lines).toBeGreaterThan(0);

    // Run again: a closed period recomputed equal to what is stored makes no new version, so
    // the retried run has neither a line too many nor one missing.
    const again = await queue.add(BILLING_RUN_JOB, {
      customerId: 'acme',
      period: '2026-04',
      requestedBy: 'test',
    });
    await vi.waitFor(
      async () => {
        expect(await again.getState()).toBe('completed');
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(await runs()).toEqual(stored);
  }, 150_000);
});
