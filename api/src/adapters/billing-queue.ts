import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  BILLING_QUEUE,
  BILLING_RUN_JOB,
  type BillingRunRequest,
  type Logger,
} from '@faultline/shared';
import type { BillingRunRequester } from '../ports.js';

/** BullMQ job ids may not contain ':'; everything outside a safe set is percent-encoded. */
function jobPart(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
}

/**
 * The job id of a request: the same period and customer give the same id, so asking twice while
 * a run waits adds it once. Finished jobs are removed, so a later request runs again.
 */
export function billingJobId(request: BillingRunRequest): string {
  return [
    'billing-run',
    jobPart(request.period ?? 'last-closed'),
    jobPart(request.customerId ?? 'all'),
  ].join('_');
}

/** Adds billing jobs to the `billing` queue, which the billing bridge works. */
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
      const jobId = billingJobId(request);
      const job = await queue.add(BILLING_RUN_JOB, request, {
        jobId,
        removeOnComplete: true,
        removeOnFail: true,
      });
      return job.id ?? jobId;
    },
    async close() {
      await queue.close();
    },
  };
}
