import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import {
  EVENTS_QUEUE,
  EVENT_BATCH_JOB,
  type EventBatch,
  type FaultEvent,
  type Logger,
} from '@faultline/shared';
import { createCounters, type Counters, type EventSink } from '../ports.js';

/** What the event queue counts. */
export const EVENT_QUEUE_COUNTER_NAMES = [
  /** Events written to the queue. */
  'enqueued',
  /** Jobs (batches) written. */
  'batches',
  /** Failed attempts to add a batch (each is retried). */
  'addErrors',
  /** Events given up: over capacity, or still unsent when stopping. */
  'dropped',
] as const;
/** An event queue counter. */
export type EventQueueCounterName = (typeof EVENT_QUEUE_COUNTER_NAMES)[number];

export interface EventQueueOptions {
  readonly redisUrl: string;
  /** BullMQ key prefix: the deployment's `settings.prefix`. */
  readonly prefix: string;
  readonly logger: Logger;
  /** Most events in one job. */
  readonly maxBatchEvents?: number;
  /** Longest an event waits for its batch to fill. */
  readonly maxBatchDelayMs?: number;
  /** Events held at most (buffered and in flight) before new ones are dropped. */
  readonly maxPendingEvents?: number;
  /** How long `close` waits for batches being written. */
  readonly closeTimeoutMs?: number;
}

export interface EventQueue extends EventSink {
  readonly counters: Readonly<Counters<EventQueueCounterName>>;
  /** Events buffered or being written. */
  pending(): number;
}

/**
 * Defaults, from measurements (docs/benchmarks.md): jobs of up to 2,000 events drain through the
 * correlator about a third faster than jobs of 500 (fewer round trips, repeats folded per batch).
 */
export const EVENT_BATCH_DEFAULTS = {
  maxBatchEvents: 2000,
  maxBatchDelayMs: 20,
  maxPendingEvents: 200_000,
} as const;

/** Attempts to add one batch when stopping, before its events are counted as dropped. */
const ATTEMPTS_WHEN_STOPPING = 3;

/**
 * The job id of a batch: a digest of its event ids. Adding the same batch again (a retry after a
 * lost reply) finds the existing job instead of duplicating it. BullMQ rejects ids with `:` or
 * made of digits only; a hex digest behind a letter prefix is neither.
 */
export function batchJobId(events: readonly Pick<FaultEvent, 'id'>[]): string {
  const hash = createHash('sha256');
  for (const event of events) hash.update(event.id).update('\n');
  return `eb-${hash.digest('hex').slice(0, 40)}`;
}

/**
 * The producer side of the `events` queue. Events are micro-batched: a job carries up to
 * `maxBatchEvents` events and no event waits longer than `maxBatchDelayMs` for its batch. A batch
 * that cannot be added is retried with backoff under the same job id; past `maxPendingEvents` new
 * events are dropped and counted rather than growing memory without bound.
 */
export function createEventQueue(options: EventQueueOptions): EventQueue {
  const maxBatchEvents = options.maxBatchEvents ?? EVENT_BATCH_DEFAULTS.maxBatchEvents;
  const maxBatchDelayMs = options.maxBatchDelayMs ?? EVENT_BATCH_DEFAULTS.maxBatchDelayMs;
  const maxPendingEvents = options.maxPendingEvents ?? EVENT_BATCH_DEFAULTS.maxPendingEvents;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  const logger = options.logger;
  const counters = createCounters(EVENT_QUEUE_COUNTER_NAMES);
  const queue = new Queue<EventBatch, unknown, typeof EVENT_BATCH_JOB>(EVENTS_QUEUE, {
    connection: { url: options.redisUrl },
    prefix: options.prefix,
  });
  queue.on('error', (error) => {
    logger.error({ err: error }, 'event queue connection error');
  });

  let buffer: FaultEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlightEvents = 0;
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let closed = false;

  const add = async (events: FaultEvent[]): Promise<void> => {
    const jobId = batchJobId(events);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await queue.add(
          EVENT_BATCH_JOB,
          { events },
          {
            jobId,
            // A batch failing on a transient error (a PostgreSQL deadlock or restart) is retried:
            // without attempts BullMQ fails it for good and its events are lost. Retries are safe,
            // the correlator counts each event id once.
            attempts: 10,
            backoff: { type: 'exponential', delay: 1000 },
            // A completed job is kept for the same id to find it again, not for correctness (the
            // correlator counts each event id once): at most 1,000, as a storm's jobs hold
            // hundreds of KiB each in Redis.
            removeOnComplete: { age: 3600, count: 1000 },
            removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
          },
        );
        counters.enqueued += events.length;
        counters.batches += 1;
        return;
      } catch (error) {
        counters.addErrors += 1;
        if (stopping && attempt >= ATTEMPTS_WHEN_STOPPING) {
          counters.dropped += events.length;
          logger.error({ err: error, jobId, events: events.length }, 'event batch dropped at stop');
          return;
        }
        logger.warn({ err: error, jobId, attempt }, 'event batch not added; retrying');
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(5000, 100 * 2 ** Math.min(attempt, 6))),
        );
      }
    }
  };

  const send = (events: FaultEvent[]): void => {
    inFlightEvents += events.length;
    const sending = add(events).finally(() => {
      inFlightEvents -= events.length;
      inFlight.delete(sending);
    });
    inFlight.add(sending);
  };

  const flushBuffer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    while (buffer.length > 0) {
      const batch = buffer.length <= maxBatchEvents ? buffer : buffer.slice(0, maxBatchEvents);
      buffer = buffer.length <= maxBatchEvents ? [] : buffer.slice(maxBatchEvents);
      send(batch);
    }
  };

  return {
    counters,
    pending: () => buffer.length + inFlightEvents,
    enqueue(event) {
      if (stopping || buffer.length + inFlightEvents >= maxPendingEvents) {
        counters.dropped += 1;
        return false;
      }
      buffer.push(event);
      if (buffer.length >= maxBatchEvents) flushBuffer();
      else timer ??= setTimeout(flushBuffer, maxBatchDelayMs);
      return true;
    },
    async close() {
      if (closed) return;
      closed = true;
      stopping = true;
      flushBuffer();
      // A batch stuck on an unreachable Redis must not hold the process forever.
      let timeout: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timeout = setTimeout(() => {
          resolve('timeout');
        }, closeTimeoutMs);
      });
      const drained = (async () => {
        while (inFlight.size > 0) await Promise.all([...inFlight]);
        return 'drained' as const;
      })();
      const outcome = await Promise.race([drained, timedOut]);
      clearTimeout(timeout);
      if (outcome === 'timeout') {
        counters.dropped += inFlightEvents;
        logger.error({ events: inFlightEvents }, 'event batches still unsent at stop');
      }
      await queue.close();
    },
  };
}
