import { Queue } from 'bullmq';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createEventQueue } from '@faultline/collector';
import {
  createLogger,
  eventsPartitionQueue,
  redisOptions,
  type EventBatch,
  type FaultEvent,
} from '@faultline/shared';
import { testSettings } from '../support/services.js';

/** Longer than the test runs: a batch that waited for it would never be seen. */
const LINGER_MS = 10 * 60_000;

function linkDown(id: string, ifIndex: number): FaultEvent {
  return {
    id,
    source: 'trap',
    device: 'core-1',
    deviceKnown: true,
    component: `ge-0/0/${String(ifIndex)}`,
    type: 'linkDown',
    severity: 'major',
    timeMs: Date.UTC(2026, 0, 1),
    reductionKey: `linkDown:core-1:ifIndex=${String(ifIndex)}`,
    description: `port ${String(ifIndex)}`,
    details: {},
  };
}

describe("the collector's event queue sends news without the linger", () => {
  const settings = testSettings();
  const queue = new Queue<EventBatch>(eventsPartitionQueue(0), {
    connection: { url: settings.redisUrl },
    prefix: settings.prefix,
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  /** The events of each job added so far, oldest job first, by id. */
  async function jobs(): Promise<string[][]> {
    const added = (await queue.getJobs(['waiting'])).reverse();
    return added.map((job) => job.data.events.map((event) => event.id));
  }

  it('adds a new alarm at once, with the repeats before it, and keeps lone repeats for the linger', async () => {
    const producer = createEventQueue({
      connection: redisOptions(settings),
      prefix: settings.prefix,
      logger: createLogger({ level: 'silent' }),
      partitions: 1,
      maxBatchDelayMs: LINGER_MS,
    });
    try {
      // A new alarm: its job is added without waiting for the linger.
      producer.enqueue(linkDown('first', 1));
      await vi.waitFor(async () => {
        expect(await jobs()).toEqual([['first']]);
      });
      // A repeat waits for the batch to fill; the next new alarm takes it along, in order.
      producer.enqueue(linkDown('repeat-1', 1));
      producer.enqueue(linkDown('second', 2));
      await vi.waitFor(async () => {
        expect(await jobs()).toEqual([['first'], ['repeat-1', 'second']]);
      });
      // A lone repeat stays buffered: the round trips of `jobs()` outlast any flush but the linger.
      producer.enqueue(linkDown('repeat-2', 2));
      expect(await jobs()).toHaveLength(2);
      expect(producer.pending()).toBe(1);
    } finally {
      await producer.close();
    }
    // Closing sends it: every event counted once.
    expect(await jobs()).toEqual([['first'], ['repeat-1', 'second'], ['repeat-2']]);
    expect(producer.counters).toMatchObject({ enqueued: 4, batches: 3, dropped: 0 });
  });
});
