import {
  EVENTS_QUEUE,
  type EventBatch,
  type Incident,
  type IncidentChange,
} from '@faultline/shared';

/** The BullMQ queue whose worker keeps tickets and their timelines. */
export const TICKETS_QUEUE = 'tickets';
/** The BullMQ queue whose worker POSTs incident pushes to the configured webhooks. */
export const NOTIFICATIONS_QUEUE = 'notifications';

/** Payload of a `tickets` job: the incident as it stands after one change. */
export interface TicketJob {
  readonly kind: IncidentChange['kind'] | 'comment';
  readonly incident: Incident;
  /** Who made the change: `system` for the correlator, else the api user. */
  readonly actor?: string;
  /** The text of a comment (kind `comment`) or a note on a manual change. */
  readonly note?: string;
  /** When it happened, if not the incident's `updatedAt` (comments). */
  readonly at?: string;
}

/** Payload of a `notifications` job: one push to one webhook target. */
export interface NotifyJob {
  readonly target: string;
  /** `reminder`: the incident is still open and nobody acknowledged it. */
  readonly kind: 'opened' | 'resolved' | 'reminder';
  /** Sent as the `Idempotency-Key` header and in the body; the receiver dedups on it. */
  readonly idempotencyKey: string;
  readonly incident: Incident;
}

/** One job to enqueue after a correlation commit. */
export interface OutboxJob {
  /** Deterministic: a retry or a replay of the same decision adds the same id (never ':' nor all digits). */
  readonly jobId: string;
  readonly queue: typeof TICKETS_QUEUE | typeof NOTIFICATIONS_QUEUE | typeof EVENTS_QUEUE;
  readonly name: string;
  readonly payload: TicketJob | NotifyJob | EventBatch;
}

/** Job ids may not contain ':' (BullMQ's key separator); incident ids and target names have none. */
function safe(id: string): string {
  return id.replaceAll(':', '_');
}

/** The idempotency key of one push of one incident to one target. */
export function notifyKey(
  target: string,
  incidentId: string,
  kind: 'opened' | 'resolved' | `reminder-${number}`,
): string {
  return safe(`notify-${target}-${incidentId}-${kind}`);
}

/** The pushes of reminder number `reminder` of an incident, one per target. */
export function reminderJobs(
  incident: Incident,
  reminder: number,
  webhookTargets: readonly string[],
): OutboxJob[] {
  return webhookTargets.map((target) => {
    const key = notifyKey(target, incident.id, `reminder-${reminder}`);
    return {
      jobId: key,
      queue: NOTIFICATIONS_QUEUE,
      name: 'reminder',
      payload: { target, kind: 'reminder', idempotencyKey: key, incident },
    };
  });
}

/**
 * The jobs of a set of incident changes: one ticket job per change (create on open, update,
 * resolve), keyed by incident and version; one push per webhook target for each opened and each
 * resolved incident, keyed by target, incident and kind. An incident is pushed when it opens, so
 * every resolve has a push to answer.
 */
export function jobsForChanges(
  changes: readonly IncidentChange[],
  webhookTargets: readonly string[],
): OutboxJob[] {
  const jobs: OutboxJob[] = [];
  for (const change of changes) {
    const { incident } = change;
    jobs.push({
      jobId: safe(`ticket-${incident.id}-v${String(incident.version)}`),
      queue: TICKETS_QUEUE,
      name: change.kind === 'opened' ? 'create' : change.kind === 'resolved' ? 'resolve' : 'update',
      payload: { kind: change.kind, incident },
    });
    if (change.kind !== 'opened' && change.kind !== 'resolved') continue;
    for (const target of webhookTargets) {
      const key = notifyKey(target, incident.id, change.kind);
      jobs.push({
        jobId: key,
        queue: NOTIFICATIONS_QUEUE,
        name: change.kind,
        payload: { target, kind: change.kind, idempotencyKey: key, incident },
      });
    }
  }
  return jobs;
}
