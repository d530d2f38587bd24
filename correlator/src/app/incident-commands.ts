import type { IncidentChange } from '@faultline/shared';
import {
  commandJobs,
  commentJob,
  decideIncidentCommand,
  isCommentRequestId,
  type IncidentCommand,
} from '../core/incident-actions.js';
import type { IncidentStore } from '../ports.js';

/** The outcome of an incident command: the change, for the caller to publish, or an error. */
export type ActionOutcome =
  | { readonly ok: true; readonly change: IncidentChange | undefined }
  | { readonly ok: false; readonly error: 'not-found' | 'resolved' };

/**
 * What people do to incidents: acknowledge, assign, comment, resolve. Each runs in one transaction
 * under the correlation lock (so it never races a correlation step): the incident is decided on
 * (`decideIncidentCommand`), saved with its version bumped, and its ticket job (and, for a
 * resolve, its pushes) left in the outbox, which a running correlator enqueues within a moment.
 */
export function createIncidentCommands(deps: {
  readonly store: IncidentStore;
  /** The configured webhook target names (`config.notify.webhooks[].name`): a resolve goes to each. */
  readonly webhookTargets: readonly string[];
}) {
  const { store } = deps;

  function run(incidentId: string, command: IncidentCommand): Promise<ActionOutcome> {
    return store.inLock(async (tx, nowIso) => {
      const decision = decideIncidentCommand(await tx.lockIncident(incidentId), command, nowIso);
      switch (decision.kind) {
        case 'notFound':
          return { ok: false, error: 'not-found' };
        case 'alreadyResolved':
          return { ok: false, error: 'resolved' };
        case 'unchanged':
          return { ok: true, change: undefined };
        default: {
          const { change } = decision;
          await tx.saveIncident(change.incident);
          await tx.addJobs(
            commandJobs(change, command.actor, decision.ticketNote, deps.webhookTargets),
          );
          if (decision.kind === 'resolved') await tx.endOutages(incidentId, nowIso);
          return { ok: true, change };
        }
      }
    });
  }

  return {
    /** Acknowledges an open incident: someone is on it. Acknowledging twice changes nothing. */
    acknowledge: (input: { readonly incidentId: string; readonly actor: string }) =>
      run(input.incidentId, { kind: 'acknowledge', actor: input.actor }),
    /** Assigns an unresolved incident (and its ticket) to someone. */
    assign: (input: {
      readonly incidentId: string;
      readonly actor: string;
      readonly assignee: string;
    }) => run(input.incidentId, { kind: 'assign', actor: input.actor, assignee: input.assignee }),
    /**
     * Resolves an incident by hand. Its outages end now and every webhook gets the resolve. If its
     * alarms are still open, the correlator opens a new incident for them after the hold window:
     * a person resolving a fault the network still reports gets told again.
     */
    resolve: (input: {
      readonly incidentId: string;
      readonly actor: string;
      readonly note?: string;
    }) =>
      run(input.incidentId, {
        kind: 'resolve',
        actor: input.actor,
        ...(input.note === undefined ? {} : { note: input.note }),
      }),
    /**
     * Adds a comment to an incident's ticket timeline. `requestId` makes it idempotent: the same
     * request twice adds one comment. Comments on resolved incidents are allowed (post-mortems).
     */
    async comment(input: {
      readonly incidentId: string;
      readonly actor: string;
      readonly text: string;
      /** Letters, digits, '-' and '_' only. */
      readonly requestId: string;
    }): Promise<{ ok: true } | { ok: false; error: 'not-found' | 'bad-request-id' }> {
      if (!isCommentRequestId(input.requestId)) return { ok: false, error: 'bad-request-id' };
      return store.inLock(async (tx, nowIso) => {
        const incident = await tx.readIncident(input.incidentId);
        if (incident === undefined) return { ok: false as const, error: 'not-found' as const };
        await tx.addJobs([commentJob(incident, input, nowIso)]);
        return { ok: true as const };
      });
    },
  };
}

/** The incident commands. */
export type IncidentCommands = ReturnType<typeof createIncidentCommands>;
