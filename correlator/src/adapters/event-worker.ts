import { UnrecoverableError, Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  EventBatchSchema,
  createValidator,
  formatProblems,
  type EventBatch,
  type Logger,
} from '@faultline/shared';

/** What the events worker counts, for the correlator's /metrics. */
export interface EventWorkerCounters {
  /** Batches applied (their job completed). */
  applied: number;
  /** Attempts that failed and will be retried. */
  retried: number;
  /** Batches refused as invalid: never retried, their events are lost. */
  rejected: number;
  /** Batches that failed their last attempt: left in the failed set, not applied. */
  exhausted: number;
}

/** Counters at zero. */
export function eventWorkerCounters(): EventWorkerCounters {
  return { applied: 0, retried: 0, rejected: 0, exhausted: 0 };
}

/** What the events worker needs. */
export interface EventWorkerDeps {
  /** The queue: `events` (routed to partitions) or one partition's. */
  readonly queue: string;
  /** A connection with `maxRetriesPerRequest: null`, as BullMQ requires for workers. */
  readonly connection: Redis;
  readonly prefix: string;
  /** Batches processed at once by this worker. */
  readonly concurrency: number;
  /**
   * How soon a batch held by a dead process is handed to another (`lockDuration`,
   * `stalledInterval`, ms): the partition lease's bound.
   */
  readonly takeover: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval'>;
  readonly logger: Logger;
  /** Applies one valid batch of the job `jobId`; its result becomes the job's return value. */
  readonly process: (batch: EventBatch, jobId: string) => Promise<unknown>;
  /**
   * Counted into as batches complete and fail: the shared queue's, whose batches are the ones
   * producers sent (a partition's parts are not counted again).
   */
  readonly counters?: EventWorkerCounters;
}

/** How many problems of an invalid batch are logged and kept in the job's failure reason. */
const MAX_PROBLEMS_SHOWN = 10;

/**
 * A BullMQ worker on an events queue. A batch that does not match `EventBatchSchema` fails with
 * `UnrecoverableError`: retrying cannot fix it, so it is not retried and the worker moves on.
 * Any other failure is retried as the job's producer configured. A batch whose process died is
 * redelivered however often that happens (each batch is applied once whatever the deliveries).
 */
export function createEventWorker(deps: EventWorkerDeps): Worker {
  const validator = createValidator(EventBatchSchema);
  const { logger } = deps;
  const worker = new Worker(
    deps.queue,
    async (job) => {
      const checked = validator.check(job.data);
      if (!checked.ok) {
        const problems = checked.problems.slice(0, MAX_PROBLEMS_SHOWN);
        logger.warn({ jobId: job.id, problems }, 'invalid event batch rejected');
        throw new UnrecoverableError(`invalid event batch:\n${formatProblems(problems)}`);
      }
      const result = await deps.process(checked.value, job.id ?? '');
      if (deps.counters) deps.counters.applied += 1;
      return result;
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency,
      ...deps.takeover,
      maxStalledCount: 1000,
      // Defaults for producers that set none: keep some history for inspection, never grow forever.
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 10_000 },
    },
  );
  worker.on('error', (error) => {
    logger.error({ err: error, queue: deps.queue }, 'events worker error');
  });
  worker.on('failed', (job, error) => {
    if (error instanceof UnrecoverableError) {
      if (deps.counters) deps.counters.rejected += 1;
      return;
    }
    const lastAttempt = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    if (deps.counters === undefined) return;
    if (lastAttempt) deps.counters.exhausted += 1;
    else deps.counters.retried += 1;
    logger.warn(
      { err: error, queue: deps.queue, jobId: job?.id, attemptsMade: job?.attemptsMade },
      'event batch failed; it will be retried if attempts remain',
    );
  });
  return worker;
}
