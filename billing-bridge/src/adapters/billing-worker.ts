/**
 * The `billing` queue: a BullMQ worker that runs what the api (or a schedule) asks for, and the
 * job schedulers that ask for each customer's run once their period has closed.
 */
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  BILLING_QUEUE,
  BILLING_RUN_JOB,
  BillingRunRequestSchema,
  createValidator,
  type BillingRunProgress,
  type BillingRunRequest,
  type Customer,
  type Logger,
} from '@faultline/shared';

const validator = createValidator(BillingRunRequestSchema);

/** The bridge's own job: push one run to the BSS webhook (`{ runId }`). */
export const BILLING_PUSH_JOB = 'push';

/** Asks for the push of a run; the job id makes a second request for the same run a no-op. */
export async function enqueuePush(queue: Queue, runId: string, attempts: number): Promise<void> {
  await queue.add(
    BILLING_PUSH_JOB,
    { runId },
    {
      jobId: `push/${runId}`,
      attempts,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: 1000,
      removeOnFail: 1000,
    },
  );
}

/** The job id of the first start's runs: one such job ever waits or runs at a time. */
export const FIRST_START_JOB_ID = 'billing-run_last-closed_all_first-start';

/**
 * Asks for every customer's last closed period, requested by `first start`: what a fresh demo
 * shows on the billing desk. Kept a day once done, like the api's requests.
 */
export async function enqueueFirstStartRuns(queue: Queue): Promise<string> {
  const request: BillingRunRequest = { requestedBy: 'first start' };
  const job = await queue.add(BILLING_RUN_JOB, request, {
    jobId: FIRST_START_JOB_ID,
    removeOnComplete: { age: 86_400 },
    removeOnFail: { age: 7 * 86_400 },
  });
  return String(job.id);
}

/** Ids of the job schedulers this bridge owns start with this. */
export const SCHEDULER_PREFIX = 'billing-close-';

/**
 * The cron pattern (in the customer's time zone) of a customer's scheduled run: 01:00 local on
 * the anchor day, one hour after the period closed, so the collector's last polls and late
 * writes are in.
 */
export function closePattern(customer: Customer): string {
  return `0 1 ${String(customer.billingAnchorDay)} * *`;
}

/** Makes the schedulers match the customers: one per customer, stale ones removed. */
export async function syncSchedulers(
  queue: Queue,
  customers: readonly Customer[],
): Promise<string[]> {
  const wanted = new Map(customers.map((c) => [`${SCHEDULER_PREFIX}${c.id}`, c]));
  const existing = await queue.getJobSchedulers();
  for (const scheduler of existing) {
    if (scheduler.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(scheduler.key)) {
      await queue.removeJobScheduler(scheduler.key);
    }
  }
  for (const [id, customer] of wanted) {
    const request: BillingRunRequest = { customerId: customer.id, requestedBy: 'schedule' };
    await queue.upsertJobScheduler(
      id,
      { pattern: closePattern(customer), tz: customer.timeZone },
      {
        name: BILLING_RUN_JOB,
        data: request,
        opts: {
          removeOnComplete: 100,
          removeOnFail: 1000,
          attempts: 5,
          backoff: { type: 'exponential', delay: 60_000 },
        },
      },
    );
  }
  return [...wanted.keys()];
}

/** Creates the queue the schedulers live on. */
export function createBillingQueue(deps: {
  connection: Redis;
  prefix: string;
  logger: Logger;
}): Queue {
  const queue = new Queue(BILLING_QUEUE, { connection: deps.connection, prefix: deps.prefix });
  queue.on('error', (error) => {
    deps.logger.warn({ err: error }, 'billing queue error');
  });
  return queue;
}

/** Creates the worker; `handle` runs one validated request. */
export function createBillingWorker(deps: {
  connection: Redis;
  prefix: string;
  logger: Logger;
  /** Runs one request; `progress` records how far it has come on the job. */
  handle: (
    request: BillingRunRequest,
    progress: (progress: BillingRunProgress) => Promise<void>,
  ) => Promise<unknown>;
  push: (runId: string) => Promise<unknown>;
}): Worker {
  const worker = new Worker(
    BILLING_QUEUE,
    async (job) => {
      if (job.name === BILLING_PUSH_JOB) {
        const runId = (job.data as { runId?: unknown }).runId;
        if (typeof runId !== 'string') throw new UnrecoverableError('push job without a run id');
        return deps.push(runId);
      }
      if (job.name !== BILLING_RUN_JOB) throw new UnrecoverableError(`unknown job ${job.name}`);
      const checked = validator.check(job.data);
      if (!checked.ok) {
        throw new UnrecoverableError(
          `invalid billing request: ${JSON.stringify(checked.problems)}`,
        );
      }
      return deps.handle(checked.value, (progress) => job.updateProgress(progress));
    },
    // One run at a time per process: a run reads a month of samples per service.
    { connection: deps.connection, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on('error', (error) => {
    deps.logger.warn({ err: error }, 'billing worker error');
  });
  worker.on('failed', (job, error) => {
    deps.logger.error({ err: error, jobId: job?.id }, 'billing job failed');
  });
  return worker;
}
