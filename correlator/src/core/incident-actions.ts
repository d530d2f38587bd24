import type { Incident, IncidentChange } from '@faultline/shared';
import { jobsForChanges, TICKETS_QUEUE, type OutboxJob } from './jobs.js';

/** What a person does to an incident (through the api's commands). */
export type IncidentCommand =
  | { readonly kind: 'acknowledge'; readonly actor: string }
  | { readonly kind: 'assign'; readonly actor: string; readonly assignee: string }
  | { readonly kind: 'resolve'; readonly actor: string; readonly note?: string };

/** What a command means for the incident. */
export type IncidentCommandDecision =
  | { readonly kind: 'notFound' }
  | { readonly kind: 'alreadyResolved' }
  /** Nothing to change (acknowledged twice, assigned to the same person). */
  | { readonly kind: 'unchanged' }
  | {
      readonly kind: 'acknowledged' | 'assigned' | 'resolved';
      /** The incident as it stands after the command: `updatedAt` now, version bumped. */
      readonly change: IncidentChange;
      /** Said on the ticket with the change, when there is something to say. */
      readonly ticketNote?: string;
    };

/**
 * One command against the incident it names (undefined when there is none), at `nowIso`. A
 * resolved incident takes no command. Acknowledging an acknowledged incident, or assigning it to
 * its assignee, changes nothing. A resolve states who resolved it and why (`resolution`).
 */
export function decideIncidentCommand(
  incident: Incident | undefined,
  command: IncidentCommand,
  nowIso: string,
): IncidentCommandDecision {
  if (incident === undefined) return { kind: 'notFound' };
  if (incident.state === 'resolved') return { kind: 'alreadyResolved' };
  const changed = (edited: Incident, kind: IncidentChange['kind']): IncidentChange => ({
    kind,
    incident: { ...edited, updatedAt: nowIso, version: incident.version + 1 },
  });
  switch (command.kind) {
    case 'acknowledge':
      return incident.state === 'acknowledged'
        ? { kind: 'unchanged' }
        : {
            kind: 'acknowledged',
            change: changed(
              { ...incident, state: 'acknowledged', acknowledgedBy: command.actor },
              'acknowledged',
            ),
          };
    case 'assign':
      return incident.assignee === command.assignee
        ? { kind: 'unchanged' }
        : {
            kind: 'assigned',
            change: changed({ ...incident, assignee: command.assignee }, 'updated'),
            ticketNote: `Assigned to ${command.assignee} by ${command.actor}`,
          };
    case 'resolve': {
      const resolution = `resolved by ${command.actor}${command.note === undefined ? '' : `: ${command.note}`}`;
      return {
        kind: 'resolved',
        change: changed(
          { ...incident, state: 'resolved', resolvedAt: nowIso, resolution },
          'resolved',
        ),
      };
    }
  }
}

/**
 * The jobs of a change a person made: its ticket update (saying who, and the note) and, for a
 * resolve, its pushes to the webhook targets (only a resolve is pushed). An incident never announced (in maintenance
 * throughout) has no ticket and no push to answer.
 */
export function commandJobs(
  change: IncidentChange,
  actor: string,
  ticketNote: string | undefined,
  webhookTargets: readonly string[],
): OutboxJob[] {
  if (!change.incident.announced) return [];
  return jobsForChanges([change], change.kind === 'resolved' ? webhookTargets : []).map((job) =>
    job.queue === TICKETS_QUEUE
      ? {
          ...job,
          payload: {
            ...job.payload,
            actor,
            ...(ticketNote === undefined ? {} : { note: ticketNote }),
          },
        }
      : job,
  );
}

/** A comment's request id: letters, digits, '-' and '_', 1 to 100 of them. */
export function isCommentRequestId(requestId: string): boolean {
  return /^[A-Za-z0-9_-]{1,100}$/.test(requestId);
}

/** The ticket job of a comment: idempotent by its request id (the same request adds one comment). */
export function commentJob(
  incident: Incident,
  comment: { readonly actor: string; readonly text: string; readonly requestId: string },
  nowIso: string,
): OutboxJob {
  return {
    jobId: `ticket-comment-${incident.id}-${comment.requestId}`,
    queue: TICKETS_QUEUE,
    name: 'comment',
    payload: { kind: 'comment', incident, actor: comment.actor, note: comment.text, at: nowIso },
  };
}
