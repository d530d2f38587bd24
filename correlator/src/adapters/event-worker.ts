import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  EVENTS_QUEUE,
  EventBatchSchema,
  createValidator,
  formatProblems,
  type EventBatch,
  type Logger,
} from '@faultline/shared';

/** What the events worker needs. */
export interface EventWorkerDeps {
  /** A connection with `maxRetriesPerRequest: null`, as BullMQ requires for workers. */
  readonly connection: Redis;
  readonly prefix: string;
  /** Batches processed at once by this process. */
  readonly concurrency: number;
  readonly logger: Logger;
  /** Applies one valid batch; its result becomes the job's return value. */
  readonly process: (batch: EventBatch) => Promise<unknown>;
}

/** How many problems of an invalid batch are logged and kept in the job's failure reason. */
const MAX_PROBLEMS_SHOWN = 10;

/**
 * A BullMQ worker on the `events` queue. A batch that does not match `EventBatchSchema` fails with
 * `UnrecoverableError`: retrying cannot fix it, so it is not retried and the worker moves on.
 * Any other failure is retried as the job's producer configured.
 */
export function createEventWorker(deps: EventWorkerDeps): Worker {
  const validator = createValidator(EventBatchSchema);
  const { logger } = deps;
  const worker = new Worker(
    EVENTS_QUEUE,
    async (job) => {
      const checked = validator.check(job.data);
      if (!checked.ok) {
        const problems = checked.problems.slice(0, MAX_PROBLEMS_SHOWN);
        logger.warn({ jobId: job.id, problems }, 'invalid event batch rejected');
        throw new UnrecoverableError(`invalid event batch:\n${formatProblems(problems)}`);
      }
      return deps.process(checked.value);
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency,
      // Defaults for producers that set none: keep some history for inspection, never grow forever.
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 10_000 },
    },
  );
  worker.on('error', (error) => {
    logger.error({ err: error }, 'events worker error');
  });
  worker.on('failed', (job, error) => {
    if (error instanceof UnrecoverableError) return;
    logger.warn(
      { err: error, jobId: job?.id, attemptsMade: job?.attemptsMade },
      'event batch failed; it will be retried if attempts remain',
    );
  });
  return worker;
}
