import {
  EVENTS_QUEUE,
  PAGING_QUEUE,
  type EventBatch,
  type Incident,
  type IncidentChange,
} from '@faultline/shared';
import { destinationKey, type Destination } from './paging/destinations.js';
import type { PageMessage } from './paging/messages.js';
import { pageActionOf, type DeliveryAction, type PageAction } from './paging/page-actions.js';

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
  /**
   * `reminder`: the incident is still open and nobody acknowledged it; `repage`: it pages again
   * (re-opened, or it became critical although acknowledged), and `reasons` say why.
   */
  readonly kind: 'opened' | 'resolved' | 'reminder' | 'repage';
  /** Sent as the `Idempotency-Key` header and in the body; the receiver dedups on it. */
  readonly idempotencyKey: string;
  readonly incident: Incident;
  /** What changed, in words, when the change said it (`IncidentChange.reasons`). */
  readonly reasons?: readonly string[];
}

/**
 * Payload of a `paging` job: a change of an incident that pages (or follows a page up), or the
 * next step of an incident's escalation (added delayed, under a deterministic id).
 */
export type PagingJob =
  | { readonly kind: 'change'; readonly action: PageAction; readonly incident: Incident }
  | {
      readonly kind: 'escalate';
      readonly incidentId: string;
      /** The incident's version when the escalation began (a re-open starts another). */
      readonly trigger: number;
      readonly policy: string;
      readonly step: number;
    };

/** Payload of a `page-deliveries` job: one page or follow-up, to one destination. */
export interface DeliveryJob {
  readonly incidentId: string;
  /** The incident's version of the change that started it (its escalation's, for a step). */
  readonly trigger: number;
  readonly action: DeliveryAction;
  /** The escalation step of a page; null for a follow-up. */
  readonly step: number | null;
  /** The person it reaches, if it reaches one (not a team channel). */
  readonly person: string | null;
  readonly destination: Destination;
  readonly message: PageMessage;
}

/** The deterministic id of a delivery: one per incident, trigger, action, step and destination. */
export function deliveryJobId(job: Omit<DeliveryJob, 'message' | 'person'>): string {
  const step = job.step === null ? '' : `-s${String(job.step)}`;
  const key = destinationKey(job.destination);
  return safe(`deliver-${job.incidentId}-v${String(job.trigger)}-${job.action}${step}-${key}`);
}

/** The deterministic id of an escalation step. */
export function escalationJobId(job: Extract<PagingJob, { kind: 'escalate' }>): string {
  return safe(`escalate-${job.incidentId}-v${String(job.trigger)}-s${String(job.step)}`);
}

/** One job to enqueue after a correlation commit. */
export interface OutboxJob {
  /** Deterministic: a retry or a replay of the same decision adds the same id (never ':' nor all digits). */
  readonly jobId: string;
  readonly queue:
    typeof TICKETS_QUEUE | typeof NOTIFICATIONS_QUEUE | typeof EVENTS_QUEUE | typeof PAGING_QUEUE;
  readonly name: string;
  readonly payload: TicketJob | NotifyJob | EventBatch | PagingJob;
}

/** Job ids may not contain ':' (BullMQ's key separator); incident ids and target names have none. */
export function safe(id: string): string {
  return id.replaceAll(':', '_');
}

/** The idempotency key of one push of one incident to one target. */
export function notifyKey(
  target: string,
  incidentId: string,
  kind: 'opened' | `resolved-v${number}` | `repage-v${number}` | `reminder-${number}`,
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

/** Which push, if any, a change makes: an open, a resolve, and a change that pages again. */
function pushOf(change: IncidentChange): 'opened' | 'resolved' | 'repage' | undefined {
  if (change.kind === 'opened' || change.kind === 'resolved') return change.kind;
  return change.repage === true ? 'repage' : undefined;
}

/**
 * The jobs of a set of incident changes: one ticket job per change (create on open, update,
 * resolve), keyed by incident and version, its reasons the timeline's note; one push per webhook
 * target for each opened incident, each resolve and each change that pages again (a re-open, a
 * critical acknowledged incident), keyed by target, incident and kind (and version, since an
 * incident re-opened by a flap resolves again). An incident is pushed when it opens, so every
 * later push has one to follow.
 * A change that pages (see `pageActionOf`) also gets one `paging` job, keyed by incident, action
 * and version; the paging worker routes it.
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
      payload: {
        kind: change.kind,
        incident,
        ...(change.reasons === undefined ? {} : { note: change.reasons.join('; ') }),
      },
    });
    const action = pageActionOf(change);
    if (action !== undefined) {
      jobs.push({
        jobId: safe(`paging-${incident.id}-${action}-v${String(incident.version)}`),
        queue: PAGING_QUEUE,
        name: action,
        payload: { kind: 'change', action, incident },
      });
    }
    const push = pushOf(change);
    if (push === undefined) continue;
    const version = incident.version;
    for (const target of webhookTargets) {
      const key = notifyKey(
        target,
        incident.id,
        push === 'opened'
          ? 'opened'
          : push === 'resolved'
            ? `resolved-v${version}`
            : `repage-v${version}`,
      );
      jobs.push({
        jobId: key,
        queue: NOTIFICATIONS_QUEUE,
        name: push,
        payload: {
          target,
          kind: push,
          idempotencyKey: key,
          incident,
          ...(change.reasons === undefined ? {} : { reasons: change.reasons }),
        },
      });
    }
  }
  return jobs;
}
