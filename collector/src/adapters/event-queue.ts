import { Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import {
  EVENT_BATCH_JOB,
  batchJobId,
  eventsPartitionQueue,
  keyOf,
  partitionOfKey,
  type EventBatch,
  type FaultEvent,
  type Logger,
} from '@faultline/shared';
import { flushDecision } from '../core/batch-flush.js';
import { emptyNewsKeys, noteKey } from '../core/news-keys.js';
import { createCounters, type Counters, type EventSink } from '../ports.js';

/** What the event queue counts. */
export const EVENT_QUEUE_COUNTER_NAMES = [
  /** Events written to their partitions' queues. */
  'enqueued',
  /** Jobs (batches, each of one partition) written. */
  'batches',
  /** Failed attempts to add a batch (each is retried). */
  'addErrors',
  /** Events given up: over capacity, or still unsent when stopping. */
  'dropped',
] as const;
/** An event queue counter. */
export type EventQueueCounterName = (typeof EVENT_QUEUE_COUNTER_NAMES)[number];

export interface EventQueueOptions {
  /** How to reach Redis (`redisOptions` of the settings). */
  readonly connection: RedisOptions;
  /** BullMQ key prefix: the deployment's `settings.prefix`. */
  readonly prefix: string;
  readonly logger: Logger;
  /**
   * Event partitions (`correlation.partitions`, the count the correlators use): each event goes
   * to the queue of its reduction key's partition (`partitionOf`), `events-p<n>`.
   */
  readonly partitions: number;
  /** Most events in one job (of one partition). */
  readonly maxBatchEvents?: number;
  /** Longest a repeat waits for its batch (its partition's) to fill. */
  readonly maxBatchDelayMs?: number;
  /**
   * The least time between two flushes of one partition for news (an event whose key was not
   * sent in `newsWindowMs`, or was sent with another severity): news goes out at once, or this
   * long after the partition's last flush for news.
   */
  readonly newsGapMs?: number;
  /** How long a sent key is remembered: past it, the key's next event is news again. */
  readonly newsWindowMs?: number;
  /** Sent keys remembered at most (the least recently sent are forgotten first). */
  readonly newsMaxKeys?: number;
  /** Events held at most (buffered and in flight) before new ones are dropped. */
  readonly maxPendingEvents?: number;
  /**
   * Replicas each batch must reach before it counts as queued (Redis `WAIT`; default 0). A batch
   * that reaches fewer in `replicaWaitMs` is added again under its id, which finds the job if it
   * is there: acknowledged by a primary that then failed before replicating it, it is not.
   */
  readonly waitReplicas?: number;
  /** How long one `WAIT` for the replicas lasts at most (default 1 s). */
  readonly replicaWaitMs?: number;
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
 * correlator about a third faster than jobs of 500 (fewer round trips, repeats folded per batch),
 * and with 8 partitions jobs of 2,000 events of one partition cost the correlator about a third
 * less CPU per event than jobs of 250 (a partition's share of 2,000): BullMQ's work per job
 * (fetching, decoding, completing) is spread over more events.
 */
export const EVENT_BATCH_DEFAULTS = {
  maxBatchEvents: 2000,
  maxBatchDelayMs: 20,
  maxPendingEvents: 200_000,
  newsGapMs: 10,
  newsWindowMs: 5 * 60_000,
  newsMaxKeys: 50_000,
} as const;

/** Completed jobs kept over all partitions' queues (each keeps its share, at least 100). */
const KEPT_COMPLETED_JOBS = 1000;

/** Attempts to add one batch when stopping, before its events are counted as dropped. */
const ATTEMPTS_WHEN_STOPPING = 3;

/**
 * The producer side of the events partitions' queues. Each event goes to the queue of its
 * partition (`partitionOf`: the one the correlators apply it in), so no correlator has to route it
 * again. Events are micro-batched per partition: a job carries up to `maxBatchEvents` events of
 * one partition, in the order they were taken. A repeat (a key sent
 * lately, with the same severity) waits up to `maxBatchDelayMs` for its batch to fill; news (a new
 * key: a new alarm, or a known key's clear, re-raise or escalation) is what people wait for, so it
 * takes its partition's buffer out as soon as the current task ends, repeats before it included
 * (at most once per `newsGapMs` per partition, so a storm of new alarms still makes batches). A
 * batch that cannot be added is retried with backoff under the same job id; past
 * `maxPendingEvents` (all partitions together) new events are dropped and counted rather than
 * growing memory without bound.
 */
export function createEventQueue(options: EventQueueOptions): EventQueue {
  const maxBatchEvents = options.maxBatchEvents ?? EVENT_BATCH_DEFAULTS.maxBatchEvents;
  const maxBatchDelayMs = options.maxBatchDelayMs ?? EVENT_BATCH_DEFAULTS.maxBatchDelayMs;
  const maxPendingEvents = options.maxPendingEvents ?? EVENT_BATCH_DEFAULTS.maxPendingEvents;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  const waitReplicas = options.waitReplicas ?? 0;
  const replicaWaitMs = options.replicaWaitMs ?? 1000;
  const newsGapMs = options.newsGapMs ?? EVENT_BATCH_DEFAULTS.newsGapMs;
  const { logger, partitions } = options;
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new Error(`event partitions must be a positive integer, not ${String(partitions)}`);
  const keptPerPartition = Math.max(100, Math.ceil(KEPT_COMPLETED_JOBS / partitions));
  const counters = createCounters(EVENT_QUEUE_COUNTER_NAMES);
  // The queues' one connection, so that WAIT on it covers the batches it just added.
  const redis = new Redis({ ...options.connection, connectionName: 'faultline-collector-events' });
  redis.on('error', (error) => {
    logger.error({ err: error }, 'event queue connection error');
  });
  const queues = Array.from({ length: partitions }, (_, partition) => {
    const queue = new Queue<EventBatch, unknown, typeof EVENT_BATCH_JOB>(
      eventsPartitionQueue(partition),
      { connection: redis, prefix: options.prefix },
    );
    queue.on('error', (error) => {
      logger.error({ err: error, partition }, 'event queue error');
    });
    return queue;
  });

  /**
   * Each partition's events waiting for their batch; the timer that flushes them and when it is
   * due (performance.now() ms); whether a flush for news waits for the current task to end, and
   * when the last one was decided.
   */
  const buffers = queues.map(() => ({
    events: [] as FaultEvent[],
    timer: undefined as NodeJS.Timeout | undefined,
    dueMs: 0,
    newsQueued: false,
    lastNewsFlushMs: undefined as number | undefined,
  }));
  const sentKeys = emptyNewsKeys({
    windowMs: options.newsWindowMs ?? EVENT_BATCH_DEFAULTS.newsWindowMs,
    maxKeys: options.newsMaxKeys ?? EVENT_BATCH_DEFAULTS.newsMaxKeys,
  });
  let bufferedEvents = 0;
  let inFlightEvents = 0;
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let closed = false;

  const add = async (partition: number, events: FaultEvent[]): Promise<void> => {
    const jobId = batchJobId(events);
    const queue = queues[partition];
    if (queue === undefined) throw new Error(`no queue for partition ${String(partition)}`);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await queue.add(
          EVENT_BATCH_JOB,
          { events },
          {
            jobId,
            // A batch failing on a transient error (a PostgreSQL deadlock or restart) is retried:
            // without attempts BullMQ fails it for good and its events are lost. Retries are safe,
            // the correlator applies each batch (by the digest of its event ids) once.
            attempts: 10,
            backoff: { type: 'exponential', delay: 1000 },
            // A completed job is kept for the same id to find it again, not for correctness (the
            // correlator applies each batch once): about 1,000 over all partitions, as a storm's
            // jobs hold hundreds of KiB each in Redis.
            removeOnComplete: { age: 3600, count: keptPerPartition },
            removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
          },
        );
        if (waitReplicas > 0) {
          const reached = Number(await redis.call('WAIT', waitReplicas, replicaWaitMs));
          if (reached < waitReplicas) {
            throw new Error(
              `batch reached ${String(reached)} of ${String(waitReplicas)} Redis replicas`,
            );
          }
        }
        counters.enqueued += events.length;
        counters.batches += 1;
        return;
      } catch (error) {
        counters.addErrors += 1;
        if (stopping && attempt >= ATTEMPTS_WHEN_STOPPING) {
          counters.dropped += events.length;
          logger.error(
            { err: error, jobId, partition, events: events.length },
            'event batch dropped at stop',
          );
          return;
        }
        logger.warn({ err: error, jobId, partition, attempt }, 'event batch not added; retrying');
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(5000, 100 * 2 ** Math.min(attempt, 6))),
        );
      }
    }
  };

  const send = (partition: number, events: FaultEvent[]): void => {
    inFlightEvents += events.length;
    const sending = add(partition, events).finally(() => {
      inFlightEvents -= events.length;
      inFlight.delete(sending);
    });
    inFlight.add(sending);
  };

  /** Sends a partition's buffered events as one job (a buffer never exceeds a batch). */
  const flush = (partition: number): void => {
    const buffer = buffers[partition];
    if (buffer === undefined) return;
    if (buffer.timer !== undefined) clearTimeout(buffer.timer);
    buffer.timer = undefined;
    if (buffer.events.length === 0) return;
    const batch = buffer.events;
    buffer.events = [];
    bufferedEvents -= batch.length;
    send(partition, batch);
  };

  /** Flushes a partition in `delayMs`, unless a flush is due sooner. */
  const flushIn = (partition: number, delayMs: number, nowMs: number): void => {
    const buffer = buffers[partition];
    if (buffer === undefined) return;
    if (buffer.timer !== undefined) {
      if (buffer.dueMs <= nowMs + delayMs) return;
      clearTimeout(buffer.timer);
    }
    buffer.dueMs = nowMs + delayMs;
    buffer.timer = setTimeout(() => {
      flush(partition);
    }, delayMs);
  };

  return {
    counters,
    pending: () => bufferedEvents + inFlightEvents,
    enqueue(event) {
      if (stopping || bufferedEvents + inFlightEvents >= maxPendingEvents) {
        counters.dropped += 1;
        return false;
      }
      const key = keyOf(event);
      const partition = partitionOfKey(key, partitions);
      const buffer = buffers[partition];
      if (buffer === undefined) throw new Error(`no buffer for partition ${String(partition)}`);
      buffer.events.push(event);
      bufferedEvents += 1;
      const nowMs = performance.now();
      const decision = flushDecision(
        {
          bufferedEvents: buffer.events.length,
          batchEvents: maxBatchEvents,
          news: noteKey(sentKeys, key, event.severity, nowMs),
          lastNewsFlushMs: buffer.lastNewsFlushMs,
          newsGapMs,
        },
        nowMs,
      );
      switch (decision.kind) {
        case 'full':
          flush(partition);
          break;
        case 'news':
          buffer.lastNewsFlushMs = nowMs;
          // On a microtask, not a 0 ms timer: under load a timer waits a turn of the event loop,
          // and the events decoded in the same task still join the batch.
          if (!buffer.newsQueued) {
            buffer.newsQueued = true;
            queueMicrotask(() => {
              buffer.newsQueued = false;
              flush(partition);
            });
          }
          break;
        case 'at':
          flushIn(partition, decision.atMs - nowMs, nowMs);
          break;
        case 'linger':
          flushIn(partition, maxBatchDelayMs, nowMs);
          break;
      }
      return true;
    },
    async close() {
      if (closed) return;
      closed = true;
      stopping = true;
      buffers.forEach((_, partition) => {
        flush(partition);
      });
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
      await Promise.all(queues.map((queue) => queue.close()));
      await redis.quit();
    },
  };
}
