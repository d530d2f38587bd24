import type { Logger } from '@faultline/shared';
import type { DeliveryJob } from '../core/jobs.js';
import type { Destination } from '../core/paging/destinations.js';
import type { Notifier, PageRecord, PagingStore } from '../ports.js';

/** What delivering pages needs. */
export interface PageDeliveryDeps {
  readonly store: Pick<PagingStore, 'record'> & {
    pageSettled(incidentId: string, destination: Destination): Promise<boolean>;
  };
  /** The sender of each kind of destination. */
  readonly notifiers: Readonly<Record<Destination['kind'], Notifier>>;
  readonly logger: Logger;
}

/** Which attempt of a delivery job this is. */
export interface Attempt {
  readonly jobId: string;
  /** 1 for the first. */
  readonly number: number;
  readonly last: boolean;
}

/** A follow-up that must wait: the page it follows up is still being delivered to the same place. */
export class PageNotSettledError extends Error {
  constructor() {
    super('the page this follows up is still being delivered');
  }
}

/**
 * Delivers one page or follow-up and records the outcome on the incident's paging timeline:
 * delivered, gone (a removed subscription), or failed (to be retried while attempts remain). A
 * follow-up waits (is retried) until the page to the same destination has settled, so a PagerDuty
 * resolve does not overtake its trigger. Throws to have the job retried.
 */
export function createPageDelivery(deps: PageDeliveryDeps) {
  const logger = deps.logger.child({ component: 'page-delivery' });
  const channelOf = (d: Destination): string => (d.kind === 'channel' ? d.type : d.kind);

  function entry(
    job: DeliveryJob,
    attempt: Attempt,
    status: PageRecord['status'],
    detail: string,
  ): PageRecord {
    return {
      incidentId: job.incidentId,
      dedupKey: `${attempt.jobId}-${String(attempt.number)}-${status}`,
      jobId: attempt.jobId,
      action: job.action,
      step: job.step,
      person: job.person,
      channel: channelOf(job.destination),
      destination: job.destination,
      status,
      detail,
    };
  }

  return async function deliver(job: DeliveryJob, attempt: Attempt): Promise<string> {
    // On its last attempt a follow-up goes anyway: better a resolve out of order than none.
    if (
      job.action !== 'page' &&
      !attempt.last &&
      !(await deps.store.pageSettled(job.incidentId, job.destination))
    )
      throw new PageNotSettledError();
    try {
      const outcome = await deps.notifiers[job.destination.kind].send(job);
      await deps.store.record([entry(job, attempt, outcome.kind, outcome.detail)]);
      return outcome.kind;
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'delivery failed';
      await deps.store.record([entry(job, attempt, attempt.last ? 'failed' : 'retrying', detail)]);
      logger.warn(
        { incidentId: job.incidentId, jobId: attempt.jobId, attempt: attempt.number, detail },
        attempt.last ? 'page delivery failed for good' : 'page delivery failed; retrying',
      );
      throw error;
    }
  };
}
