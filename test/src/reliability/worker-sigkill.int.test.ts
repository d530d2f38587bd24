import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENTS_QUEUE, EVENT_BATCH_JOB, type EventBatch } from '@faultline/shared';
import { linkDown } from '../correlator/correlator-harness.js';
import { createTestDatabase, testSettings, type TestDatabase } from '../support/services.js';
import {
  EXAMPLE_CONFIG,
  alarmCounts,
  queryRows,
  startPart,
  type PartProcess,
} from './fault-world.js';

/** 200 batches of 100 events; every reduction key is in two batches, 20 batches apart. */
const JOBS = 200;
const EVENTS_PER_JOB = 100;
const KEYS = (JOBS / 2) * EVENTS_PER_JOB;

describe('a correlator process killed with SIGKILL in the middle of its batches', () => {
  let database: TestDatabase;
  const settings = testSettings();
  const queue = new Queue<EventBatch>(EVENTS_QUEUE, {
    connection: { url: settings.redisUrl },
    prefix: settings.prefix,
  });
  const children: PartProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    for (const child of children) await child.stop();
    await queue.obliterate({ force: true });
    await queue.close();
    await database.drop();
  });

  /** `node correlator/dist/main.js`, the correlator's own process entry. */
  function startCorrelator(): PartProcess {
    const child = startPart('correlator', {
      PATH: process.env.PATH,
      FAULTLINE_CONFIG: EXAMPLE_CONFIG,
      FAULTLINE_PREFIX: settings.prefix,
      REDIS_URL: settings.redisUrl,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
    });
    children.push(child);
    return child;
  }

  it('retries the killed batches: every event counted once, none missing', async () => {
    await queue.addBulk(
      Array.from({ length: JOBS }, (_, job) => ({
        name: EVENT_BATCH_JOB,
        data: {
          events: Array.from({ length: EVENTS_PER_JOB }, (_, n) => {
            const key = (job % (JOBS / 2)) * EVENTS_PER_JOB + n;
            return linkDown(`e-${String(job)}-${String(n)}`, { reductionKey: `k-${String(key)}` });
          }),
        },
        opts: { attempts: 3 },
      })),
    );
    const first = startCorrelator();
    // Mid-way: some batches done, some being applied.
    await vi.waitFor(
      async () => {
        const counts = await queue.getJobCounts('completed', 'active');
        expect(counts.completed).toBeGreaterThanOrEqual(10);
        expect(counts.active).toBeGreaterThan(0);
      },
      { timeout: 30_000, interval: 5 },
    );
    await first.stop('SIGKILL');
    // The batches it was applying stay active, locked by a process that is gone.
    const { active } = await queue.getJobCounts('active');
    expect(active).toBeGreaterThan(0);

    // A new process takes the rest; the killed one's batches are retried once their lock expires
    // (BullMQ's 30 s lock, found by the next stalled-jobs check).
    startCorrelator();
    await vi.waitFor(
      async () => {
        expect(await queue.getJobCounts('completed', 'failed')).toEqual({
          completed: JOBS,
          failed: 0,
        });
      },
      { timeout: 100_000, interval: 500 },
    );
    const counts = await alarmCounts(database.url);
    expect(counts.size).toBe(KEYS);
    expect([...counts.values()].filter((count) => count !== 2)).toEqual([]);
    const processed = await queryRows<{ n: number }>(
      database.url,
      'SELECT count(*)::int AS n FROM processed_events',
    );
    expect(processed).toEqual([{ n: JOBS * EVENTS_PER_JOB }]);
  }, 150_000);
});
