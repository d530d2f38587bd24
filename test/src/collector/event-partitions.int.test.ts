import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createEventQueue } from '@faultline/collector';
import {
  EVENTS_QUEUE,
  batchJobId,
  createLogger,
  eventsPartitionQueue,
  partitionOf,
  redisOptions,
  type EventBatch,
  type FaultEvent,
} from '@faultline/shared';
import { testSettings } from '../support/services.js';

const PARTITIONS = 4;
const EVENTS = 1000;
const MAX_BATCH_EVENTS = 100;

/** A linkDown of one of 60 ports, or the linkUp that clears it (every third event). */
function event(index: number): FaultEvent {
  const ifIndex = (index % 60) + 1;
  const key = `linkDown:core-1:ifIndex=${String(ifIndex)}`;
  const up = index % 3 === 2;
  return {
    id: `ev-${String(index)}`,
    source: 'trap',
    device: 'core-1',
    deviceKnown: true,
    component: `ge-0/0/${String(ifIndex)}`,
    type: up ? 'linkUp' : 'linkDown',
    severity: up ? 'cleared' : 'major',
    timeMs: Date.UTC(2026, 0, 1) + index,
    reductionKey: up ? `linkUp:core-1:ifIndex=${String(ifIndex)}` : key,
    ...(up ? { clearKey: key } : {}),
    description: `port ${String(ifIndex)}`,
    details: {},
  };
}

describe("the collector's event queue routes each event to its partition", () => {
  const settings = testSettings();
  const connection = { url: settings.redisUrl };
  const queues = Array.from(
    { length: PARTITIONS },
    (_, partition) =>
      new Queue<EventBatch>(eventsPartitionQueue(partition), {
        connection,
        prefix: settings.prefix,
      }),
  );
  const shared = new Queue<EventBatch>(EVENTS_QUEUE, { connection, prefix: settings.prefix });

  afterAll(async () => {
    for (const queue of [...queues, shared]) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('writes jobs of one partition each, in order, counted exactly, none to the shared queue', async () => {
    const producer = createEventQueue({
      connection: redisOptions(settings),
      prefix: settings.prefix,
      logger: createLogger({ level: 'silent' }),
      partitions: PARTITIONS,
      maxBatchEvents: MAX_BATCH_EVENTS,
    });
    const sent = Array.from({ length: EVENTS }, (_, index) => event(index));
    for (const each of sent) expect(producer.enqueue(each)).toBe(true);
    await producer.close();

    let jobs = 0;
    for (const [partition, queue] of queues.entries()) {
      // Oldest first: the order the producer added them.
      const added = (await queue.getJobs(['waiting'])).reverse();
      jobs += added.length;
      // Every partition took more than a job's worth: its first job is full, the others at most.
      expect(added[0]?.data.events.length).toBe(MAX_BATCH_EVENTS);
      for (const job of added) {
        expect(job.data.events.length).toBeLessThanOrEqual(MAX_BATCH_EVENTS);
        // Its id is the digest of its events: a retried add finds it, the correlator skips it.
        expect(job.id).toBe(batchJobId(job.data.events));
        expect(job.opts.attempts).toBe(10);
      }
      const events = added.flatMap((job) => job.data.events);
      // A linkUp goes where the linkDown it clears goes.
      expect(events.every((each) => partitionOf(each, PARTITIONS) === partition)).toBe(true);
      // Every event of the partition, in the order it was taken.
      expect(events.map((each) => each.id)).toEqual(
        sent.filter((each) => partitionOf(each, PARTITIONS) === partition).map((each) => each.id),
      );
    }
    expect(await shared.count()).toBe(0);
    expect(producer.counters).toMatchObject({
      enqueued: EVENTS,
      batches: jobs,
      dropped: 0,
      addErrors: 0,
    });
    expect(producer.pending()).toBe(0);
  });
});
