/** Name of the BullMQ queue that carries event batches from collectors to correlators. */
export const EVENTS_QUEUE = 'events';
/** Name of the BullMQ job that carries one batch of events. */
export const EVENT_BATCH_JOB = 'batch';

/** Redis pub/sub channels, under the deployment prefix. */
export function channels(prefix: string) {
  return {
    /** Alarm changes (`AlarmChange` JSON). */
    alarms: `${prefix}:alarms`,
    /** Incident changes (`IncidentChange` JSON). */
    incidents: `${prefix}:incidents`,
    /**
     * An incident's timeline grew after the change that made it (a ticket entry, a page):
     * `TimelineGrew` JSON, so open incident pages read it again.
     */
    timelines: `${prefix}:timelines`,
    /** Live billing per customer (`BillingLive` JSON). */
    billing: `${prefix}:billing`,
  } as const;
}

/**
 * The Redis key holding a customer's latest live billing view (`BillingLive` JSON), so a reader
 * (the api's live cost, care desk and status pages) need not wait for the next publication. It
 * expires if the billing bridge stops publishing.
 */
export function liveBillingKey(prefix: string, customerId: string): string {
  return `${prefix}:billing-live:${customerId}`;
}
