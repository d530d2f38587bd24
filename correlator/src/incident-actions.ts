import type pg from 'pg';
import type { Incident } from '@faultline/shared';
import { createIncidentStorePg } from './adapters/incident-store-pg.js';
import { createIncidentCommands, type ActionOutcome } from './app/incident-commands.js';

export type { ActionOutcome } from './app/incident-commands.js';

/*
 * The incident commands on a PostgreSQL pool, for callers that hold one (the commands worker,
 * tools, tests): each composes the PostgreSQL incident store with the use-case.
 */

/** Acknowledges an open incident (see `createIncidentCommands`). */
export function acknowledgeIncident(
  pool: pg.Pool,
  input: { readonly incidentId: string; readonly actor: string },
): Promise<ActionOutcome> {
  return commands(pool, []).acknowledge(input);
}

/** Assigns an unresolved incident (and its ticket) to someone. */
export function assignIncident(
  pool: pg.Pool,
  input: { readonly incidentId: string; readonly actor: string; readonly assignee: string },
): Promise<ActionOutcome> {
  return commands(pool, []).assign(input);
}

/** Resolves an incident by hand; every webhook target gets the resolve. */
export function resolveIncident(
  pool: pg.Pool,
  input: {
    readonly incidentId: string;
    readonly actor: string;
    readonly note?: string;
    /** The configured webhook target names (`config.notify.webhooks[].name`). */
    readonly webhookTargets: readonly string[];
  },
): Promise<ActionOutcome> {
  return commands(pool, input.webhookTargets).resolve(input);
}

/** Adds a comment to an incident's ticket timeline, idempotent by `requestId`. */
export function commentOnIncident(
  pool: pg.Pool,
  input: {
    readonly incidentId: string;
    readonly actor: string;
    readonly text: string;
    readonly requestId: string;
  },
): Promise<{ ok: true } | { ok: false; error: 'not-found' | 'bad-request-id' }> {
  return commands(pool, []).comment(input);
}

/** Reads one incident, or undefined. */
export function getIncident(pool: pg.Pool, incidentId: string): Promise<Incident | undefined> {
  return createIncidentStorePg(pool).getIncident(incidentId);
}

/** Lists incidents, unresolved first, newest first. */
export function listIncidents(
  pool: pg.Pool,
  filter: { readonly state: 'unresolved' | 'all'; readonly limit: number },
): Promise<Incident[]> {
  return createIncidentStorePg(pool).listIncidents(filter);
}

function commands(pool: pg.Pool, webhookTargets: readonly string[]) {
  return createIncidentCommands({ store: createIncidentStorePg(pool), webhookTargets });
}
