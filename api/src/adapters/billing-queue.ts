import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  BILLING_QUEUE,
  BILLING_RUN_JOB,
  BillingJobOutcomeSchema,
  BillingRunProgressSchema,
  createValidator,
  type BillingRunRequest,
  type Logger,
} from '@faultline/shared';
import type { BillingJobStatus, BillingRunRequester } from '../ports.js';

/** BullMQ job ids may not contain ':'; everything outside a safe set is percent-encoded. */
function jobPart(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
}

/**
 * The deduplication id of a request: the same period and customer give the same id, so asking
 * twice while a run waits (or runs) adds it once.
 */
export function billingJobId(request: BillingRunRequest): string {
  return [
    'billing-run',
    jobPart(request.period ?? 'last-closed'),
    jobPart(request.customerId ?? 'all'),
  ].join('_');
}

const progressValidator = createValidator(BillingRunProgressSchema);
const outcomesValidator = createValidator(Type.Array(BillingJobOutcomeSchema));

/** Finished jobs stay this long (and at most 1,000 of each), so the page that asked sees the end. */
const KEEP_DONE = { age: 24 * 3600, count: 1000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 1000 };

function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined || ms === 0 ? null : new Date(ms).toISOString();
}

/** BullMQ's state of a job as the billing desk tells it; undefined for a job that is gone. */
function stateOf(state: string): BillingJobStatus['state'] | undefined {
  switch (state) {
    case 'completed':
      return 'done';
    case 'failed':
      return 'failed';
    case 'active':
      return 'running';
    case 'unknown':
      return undefined;
    default:
      // waiting, delayed, prioritized, waiting-children
      return 'queued';
  }
}

/** Adds billing jobs to the `billing` queue, which the billing bridge works, and reads them back. */
export function createBillingQueue(deps: {
  readonly redis: Redis;
  readonly prefix: string;
  readonly logger: Logger;
}): BillingRunRequester {
  const queue = new Queue<BillingRunRequest>(BILLING_QUEUE, {
    connection: deps.redis,
    prefix: deps.prefix,
  });
  queue.on('error', (error) => {
    deps.logger.warn({ err: error }, 'billing queue error');
  });
  return {
    async request(request) {
      const deduplication = billingJobId(request);
      const job = await queue.add(BILLING_RUN_JOB, request, {
        jobId: `${deduplication}_${randomUUID()}`,
        deduplication: { id: deduplication },
        removeOnComplete: KEEP_DONE,
        removeOnFail: KEEP_FAILED,
      });
      if (job.id === undefined) throw new Error('the billing queue gave no job id');
      return job.id;
    },
    async status(jobId) {
      // The state first, then the job's hash: the bridge finishes a job in one step (its result
      // and its move to completed together), so a hash read after a finished state always holds
      // the result. Read the other way round, a job finishing between the two reads showed as
      // done with the result it had before (none), and the page stopped asking.
      const state = stateOf(await queue.getJobState(jobId));
      if (state === undefined) return undefined;
      const job = await queue.getJob(jobId);
      if (job?.name !== BILLING_RUN_JOB) return undefined;
      const progress = progressValidator.check(job.progress);
      const outcomes = outcomesValidator.check(job.returnvalue);
      return {
        id: jobId,
        state,
        request: {
          ...(job.data.period === undefined ? {} : { period: job.data.period }),
          ...(job.data.customerId === undefined ? {} : { customer: job.data.customerId }),
        },
        progress: progress.ok ? progress.value : null,
        outcomes: state === 'done' && outcomes.ok ? outcomes.value : [],
        error: state === 'failed' ? job.failedReason || 'the billing run failed' : null,
        enqueuedAt: new Date(job.timestamp).toISOString(),
        startedAt: isoOrNull(job.processedOn),
        finishedAt: isoOrNull(job.finishedOn),
      };
    },
    async close() {
      await queue.close();
    },
  };
}
