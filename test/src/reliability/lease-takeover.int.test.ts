import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCorrelator } from '@faultline/correlator';
import {
  EVENTS_QUEUE,
  createLogger,
  eventsPartitionQueue,
  type Component,
  type EventBatch,
} from '@faultline/shared';
import { exampleConfigWithPartitions } from '../support/partitioned-config.js';
import { createTestDatabase, testSettings, type TestDatabase } from '../support/services.js';
import {
  addUntilMidway,
  expectEveryKeyTwice,
  keysTwiceBatches,
  faultConfig,
  startPart,
  type PartProcess,
} from './fault-world.js';

/** 120 batches of 100 events; every reduction key is in two batches. */
const JOBS = 120;
const EVENTS_PER_JOB = 100;
/** Partitions of the example config here (its lease: the default 5 s). */
const PARTITIONS = 8;
/** Issue #21's bound on a dead correlator's work waiting: 10 s. */
const TAKEOVER_BOUND_MS = 10_000;

describe('a correlator killed while it owns partitions', () => {
  let database: TestDatabase;
  const settings = testSettings();
  const queue = new Queue<EventBatch>(EVENTS_QUEUE, {
    connection: { url: settings.redisUrl },
    prefix: settings.prefix,
  });
  const redis = new Redis(settings.redisUrl);
  /** Each partition's queue, to read the batches in hand and their locks. */
  const partitionQueues = Array.from(
    { length: PARTITIONS },
    (_, partition) =>
      new Queue(eventsPartitionQueue(partition), {
        connection: { url: settings.redisUrl },
        prefix: settings.prefix,
      }),
  );
  const children: PartProcess[] = [];
  const inProcess: Component[] = [];

  let configFile: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    configFile = await exampleConfigWithPartitions(PARTITIONS);
  });

  afterAll(async () => {
    for (const child of children) await child.stop();
    for (const component of inProcess) await component.stop();
    await queue.obliterate({ force: true });
    await queue.close();
    for (const partitionQueue of partitionQueues) {
      await partitionQueue.obliterate({ force: true });
      await partitionQueue.close();
    }
    await redis.quit();
    await database.drop();
  });

  /** The owner of each partition's lease now (undefined: none). */
  async function owners(): Promise<(string | null)[]> {
    return Promise.all(
      Array.from({ length: PARTITIONS }, (_, partition) =>
        redis.get(`${settings.prefix}:correlators:lease:${String(partition)}`),
      ),
    );
  }

  interface InHand {
    readonly queue: Queue;
    readonly id: string;
    /** The token of the lock its holder took (BullMQ: the worker's id and a counter). */
    readonly token: string;
  }
  const lockKey = (queue: Queue, id: string): string => `${queue.toKey(id)}:lock`;

  /** The batches being applied in `partitions` now (active jobs with a lock), with their locks. */
  async function inHand(partitions: readonly number[]): Promise<InHand[]> {
    const held: InHand[] = [];
    for (const partition of partitions) {
      const partitionQueue = partitionQueues[partition];
      if (partitionQueue === undefined) throw new Error(`no queue ${String(partition)}`);
      for (const job of await partitionQueue.getActive()) {
        const id = job.id ?? '';
        const token = await redis.get(lockKey(partitionQueue, id));
        if (token !== null) held.push({ queue: partitionQueue, id, token });
      }
    }
    return held;
  }

  /**
   * Those of `jobs` still waiting on their dead holder: active under its lock, or active with the
   * lock expired and not yet found stalled. A job taken over is done, back in its queue, or
   * active under a lock of another token.
   */
  async function stillHeld(jobs: readonly InHand[]): Promise<string[]> {
    const held: string[] = [];
    for (const job of jobs) {
      const state = await job.queue.getJobState(job.id);
      const lock = await redis.get(lockKey(job.queue, job.id));
      if (state === 'active' && (lock === null || lock === job.token))
        held.push(`${job.queue.name}:${job.id}`);
    }
    return held;
  }

  const batches = keysTwiceBatches(JOBS, EVENTS_PER_JOB);

  it('has the survivor take its partitions within the bound, logged and counted, counts exact', async () => {
    // The victim: `node correlator/dist/main.js`, killed below.
    const victim = await startPart('correlator', {
      PATH: process.env.PATH,
      FAULTLINE_CONFIG: configFile,
      FAULTLINE_PREFIX: settings.prefix,
      REDIS_URL: settings.redisUrl,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
    });
    children.push(victim);
    await vi.waitFor(
      async () => {
        expect((await owners()).every((owner) => owner !== null)).toBe(true);
      },
      { timeout: 30_000, interval: 100 },
    );
    const victimId = (await owners())[0];

    // The survivor, in this process: its log and metrics are read below.
    const lines: { msg: string; partition?: number; from?: string }[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
            lines.push(JSON.parse(line) as { msg: string });
          done();
        },
      }),
    });
    const config = await faultConfig();
    const survivor = createCorrelator({
      runtime: {
        settings: { ...settings, databaseUrl: database.url },
        config: { ...config, correlation: { ...config.correlation, partitions: PARTITIONS } },
        logger,
      },
    });
    await survivor.start();
    inProcess.push(survivor);
    // The two share the partitions: the victim hands half back.
    await vi.waitFor(
      async () => {
        const held = await owners();
        expect(held.filter((owner) => owner === victimId)).toHaveLength(PARTITIONS / 2);
        expect(new Set(held).size).toBe(2);
      },
      { timeout: 30_000, interval: 100 },
    );
    const victimPartitions = (await owners())
      .map((owner, partition) => (owner === victimId ? partition : -1))
      .filter((partition) => partition >= 0);

    // Mid-way: some batches done, some being applied.
    await addUntilMidway(queue, batches, 5, 60_000);
    const victimsBatches = await inHand(victimPartitions);
    await victim.stop('SIGKILL');

    // Within the bound the survivor holds every partition, and the batches the victim had in
    // hand are taken from it: done, back in their queue, or being applied under a lock of the
    // survivor's. It says which partitions it took over, from whom.
    const survivorId = (await owners()).find((owner) => owner !== victimId);
    await vi.waitFor(
      async () => {
        expect(await owners()).toEqual(
          new Array<string | null | undefined>(PARTITIONS).fill(survivorId),
        );
        expect(await stillHeld(victimsBatches)).toEqual([]);
      },
      { timeout: TAKEOVER_BOUND_MS, interval: 100 },
    );
    const takeovers = lines.filter(
      (line) =>
        line.msg === 'partition taken over from a correlator that stopped renewing its lease',
    );
    expect(
      takeovers
        .map((line) => [line.partition, line.from])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual(victimPartitions.map((partition) => [partition, victimId]));
    const metric = (name: string) => survivor.metrics().find((m) => m.name === name)?.value;
    expect(metric('faultline_correlator_partitions_taken_over_total')).toBe(PARTITIONS / 2);
    expect(metric('faultline_correlator_partitions_owned')).toBe(PARTITIONS);

    await expectEveryKeyTwice(queue, database.url, batches);
  }, 200_000);
});
