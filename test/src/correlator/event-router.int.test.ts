import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  EVENT_BATCH_JOB,
  createLogger,
  eventsPartitionQueue,
  redisOptions,
  type EventBatch,
} from '@faultline/shared';
import { countDecisions, createEventRouter } from '@faultline/correlator';
import { testSettings } from '../support/services.js';
import { linkDown } from './correlator-harness.js';

// A routed batch waits for its part on the partition's queue. Issue #22: a Redis failover can
// take a part added a moment before (the router's adds do not wait for replicas); the batch then
// waited for ever, holding its lock, its events never applied. Here the part is removed by hand.
describe('the event router, a part its queue lost', () => {
  const settings = testSettings();
  const connection = new Redis({ ...redisOptions(settings), maxRetriesPerRequest: null });
  const name = eventsPartitionQueue(0);
  const queue = new Queue(name, { connection, prefix: settings.prefix });
  let queueEvents: QueueEvents;
  let worker: Worker | undefined;

  beforeAll(async () => {
    queueEvents = new QueueEvents(name, {
      connection: new Redis({ ...redisOptions(settings), maxRetriesPerRequest: null }),
      prefix: settings.prefix,
    });
    await queueEvents.waitUntilReady();
  });

  afterAll(async () => {
    await worker?.close();
    await queueEvents.close();
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  });

  it('adds it again and finishes the batch once the part is applied', async () => {
    const readded = { count: 0 };
    const route = createEventRouter({
      queues: [queue],
      queueEvents: [queueEvents],
      jobOptions: {},
      partWaitMs: 200,
      readded,
      logger: createLogger({ level: 'silent' }),
    });
    const routed = route({ events: [linkDown('e-1'), linkDown('e-2')] }, 'batch-1');
    // The part is on its queue; then it is gone, as a failover to a replica it had not reached.
    await vi.waitFor(async () => {
      expect(await queue.getJobState('batch-1-p0')).toBe('waiting');
    });
    await queue.remove('batch-1-p0');
    expect(await queue.getJobState('batch-1-p0')).toBe('unknown');
    await vi.waitFor(() => {
      expect(readded.count).toBe(1);
    });
    const applied: string[] = [];
    worker = new Worker(
      name,
      (job: Job<EventBatch>) => {
        applied.push(`${job.id ?? ''}:${String(job.data.events.length)}`);
        return Promise.resolve({ ...countDecisions([]), raised: 1, repeated: 1 });
      },
      { connection: connection.duplicate(), prefix: settings.prefix },
    );
    expect(await routed).toEqual({ ...countDecisions([]), raised: 1, repeated: 1 });
    expect(applied).toEqual(['batch-1-p0:2']);
    expect(readded.count).toBe(1);
    expect((await queue.getJob('batch-1-p0'))?.name).toBe(EVENT_BATCH_JOB);
  });
});
