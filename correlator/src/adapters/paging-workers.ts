import { Worker, type JobsOptions, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { PAGE_DELIVERIES_QUEUE, PAGING_QUEUE, type Logger } from '@faultline/shared';
import type { Attempt } from '../app/page-delivery.js';
import type { Paging } from '../app/paging.js';
import { deliveryJobId, escalationJobId, type DeliveryJob, type PagingJob } from '../core/jobs.js';
import type { PagingQueues } from '../ports.js';

/** Paging's queues on BullMQ: deliveries and escalation steps under deterministic ids. */
export function createPagingQueues(deps: {
  readonly paging: Queue;
  readonly deliveries: Queue;
  readonly pagingOptions: JobsOptions;
  readonly deliveryOptions: JobsOptions;
}): PagingQueues {
  return {
    async deliver(jobs) {
      await deps.deliveries.addBulk(
        jobs.map((job) => ({
          name: job.action,
          data: job,
          opts: { ...deps.deliveryOptions, jobId: deliveryJobId(job) },
        })),
      );
    },
    async escalateLater(job, delayMs) {
      // The delayed job is kept in Redis: a restart (or another correlator) runs it when due.
      await deps.paging.add('escalate', job, {
        ...deps.pagingOptions,
        jobId: escalationJobId(job),
        delay: delayMs,
      });
    },
  };
}

function listen(worker: Worker, logger: Logger, what: string): void {
  worker.on('error', (error) => {
    logger.error({ err: error }, `${what} worker error`);
  });
}

/** The worker of the `paging` queue: changes that page, and due escalation steps. */
export function createPagingWorker(deps: {
  readonly connection: Redis;
  readonly prefix: string;
  readonly paging: Paging;
  readonly logger: Logger;
}): Worker {
  const worker = new Worker<PagingJob>(
    PAGING_QUEUE,
    (job) =>
      job.data.kind === 'change'
        ? deps.paging.onChange(job.data.action, job.data.incident)
        : deps.paging.onEscalate(job.data),
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
  );
  listen(worker, deps.logger, 'paging');
  worker.on('failed', (job, error) => {
    deps.logger.warn({ err: error, jobId: job?.id }, 'paging step failed; it will be retried');
  });
  return worker;
}

/**
 * The worker of the `page-deliveries` queue. Each delivery is its own job with its own retries and
 * backoff, taken several at once, so a channel that fails or hangs delays no other.
 */
export function createDeliveryWorker(deps: {
  readonly connection: Redis;
  readonly prefix: string;
  readonly deliver: (job: DeliveryJob, attempt: Attempt) => Promise<string>;
  readonly concurrency: number;
  readonly logger: Logger;
}): Worker {
  const worker = new Worker<DeliveryJob, string>(
    PAGE_DELIVERIES_QUEUE,
    (job) => {
      const number = job.attemptsMade + 1;
      return deps.deliver(job.data, {
        jobId: job.id ?? deliveryJobId(job.data),
        number,
        last: number >= (job.opts.attempts ?? 1),
      });
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: deps.concurrency },
  );
  listen(worker, deps.logger, 'page deliveries');
  return worker;
}
