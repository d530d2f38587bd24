import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsPartitionQueue, type EventBatch } from '@faultline/shared';
import { createTestDatabase, testSettings, type TestDatabase } from '../support/services.js';
import {
  EXAMPLE_CONFIG,
  addUntilMidway,
  expectEveryKeyTwice,
  keysTwiceBatches,
  queryRows,
  startPart,
  type PartProcess,
} from './fault-world.js';

/** 200 batches of 100 events; every reduction key is in two batches, 20 batches apart. */
const JOBS = 200;
const EVENTS_PER_JOB = 100;

describe('a correlator process killed with SIGKILL in the middle of its batches', () => {
  let database: TestDatabase;
  const settings = testSettings();
  // Batches straight to the partition's queue, as the collector writes them (the example config
  // has one partition); lease-takeover and postgres-restart send theirs through the router.
  const queue = new Queue<EventBatch>(eventsPartitionQueue(0), {
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
  async function startCorrelator(): Promise<PartProcess> {
    const child = await startPart('correlator', {
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
    const batches = keysTwiceBatches(JOBS, EVENTS_PER_JOB);
    const first = await startCorrelator();
    // Mid-way: some batches done, some being applied.
    await addUntilMidway(queue, batches, 10, 30_000);
    await first.stop('SIGKILL');
    // The batches it was applying stay active, locked by a process that is gone.
    const { active } = await queue.getJobCounts('active');
    expect(active).toBeGreaterThan(0);

    // A new process takes the rest; the killed one's batches are retried once their lock expires
    // (with its partition leases, found by the next stalled-jobs check).
    await startCorrelator();
    await expectEveryKeyTwice(queue, database.url, batches);
    // Each batch applied once (the example config has one partition), however often delivered.
    const applied = await queryRows<{ n: number }>(
      database.url,
      'SELECT count(*)::int AS n FROM applied_batches',
    );
    expect(applied).toEqual([{ n: JOBS }]);
  }, 150_000);
});
