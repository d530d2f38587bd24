import type pg from 'pg';
import {
  incidentFromRow,
  type Incident,
  type IncidentChange,
  type IncidentRow,
} from '@faultline/shared';
import { CORRELATION_LOCK } from './correlation-pg.js';
import { UPSERT_INCIDENT, incidentParams } from './incident-rows.js';
import { addToOutbox } from './outbox.js';
import { jobsForChanges, TICKETS_QUEUE } from '../core/jobs.js';

/**
 * What people do to incidents, for the api: acknowledge, assign, comment, resolve. Each runs in one
 * transaction under the correlation lock (so it never races a correlation step), bumps the
 * incident's version, and leaves its ticket job (and, for a resolve, its pushes) in the outbox,
 * which a running correlator enqueues within a moment. Each returns the change, for the caller to
 * publish, or an error outcome.
 */
export type ActionOutcome =
  | { readonly ok: true; readonly change: IncidentChange | undefined }
  | { readonly ok: false; readonly error: 'not-found' | 'resolved' };

async function inLockedTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient, now: string) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [CORRELATION_LOCK]);
    const clock = await client.query<{ now: Date }>('SELECT now() AS now');
    const now = (clock.rows[0]?.now ?? new Date()).toISOString();
    const result = await work(client, now);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = new Error('incident action failed', { cause: error });
    await client.query('ROLLBACK').catch(() => undefined);
    throw failure;
  } finally {
    client.release(failure);
  }
}

async function loadOpen(
  client: pg.PoolClient,
  incidentId: string,
): Promise<Incident | 'not-found' | 'resolved'> {
  const rows = await client.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1 FOR UPDATE', [
    incidentId,
  ]);
  const row = rows.rows[0];
  if (row === undefined) return 'not-found';
  const incident = incidentFromRow(row);
  return incident.state === 'resolved' ? 'resolved' : incident;
}

async function change(
  pool: pg.Pool,
  incidentId: string,
  actor: string,
  edit: (
    incident: Incident,
    now: string,
  ) => { incident: Incident; kind: IncidentChange['kind'] } | undefined,
  options: { note?: string; webhookTargets?: readonly string[] } = {},
): Promise<ActionOutcome> {
  return inLockedTransaction(pool, async (client, now) => {
    const current = await loadOpen(client, incidentId);
    if (typeof current === 'string') return { ok: false, error: current };
    const edited = edit(current, now);
    if (edited === undefined) return { ok: true, change: undefined };
    const next: Incident = { ...edited.incident, updatedAt: now, version: current.version + 1 };
    await client.query(UPSERT_INCIDENT, incidentParams(next));
    const changeMade: IncidentChange = { kind: edited.kind, incident: next };
    // An incident never announced (in maintenance throughout) has no ticket and no push to answer.
    const announced = next.announced ? [changeMade] : [];
    const jobs = jobsForChanges(announced, options.webhookTargets ?? []).map((job) =>
      job.queue === TICKETS_QUEUE
        ? {
            ...job,
            payload: {
              ...job.payload,
              actor,
              ...(options.note === undefined ? {} : { note: options.note }),
            },
          }
        : job,
    );
    await addToOutbox(client, jobs);
    if (next.state === 'resolved') {
      await client.query(
        'UPDATE outages SET ended_at = greatest($2::timestamptz, started_at) WHERE incident_id = $1 AND ended_at IS NULL',
        [incidentId, now],
      );
    }
    return { ok: true, change: changeMade };
  });
}

/** Acknowledges an open incident: someone is on it. Acknowledging twice changes nothing. */
export function acknowledgeIncident(
  pool: pg.Pool,
  input: { readonly incidentId: string; readonly actor: string },
): Promise<ActionOutcome> {
  return change(pool, input.incidentId, input.actor, (incident) =>
    incident.state === 'acknowledged'
      ? undefined
      : {
          kind: 'acknowledged',
          incident: { ...incident, state: 'acknowledged', acknowledgedBy: input.actor },
        },
  );
}

/** Assigns an unresolved incident (and its ticket) to someone. */
export function assignIncident(
  pool: pg.Pool,
  input: { readonly incidentId: string; readonly actor: string; readonly assignee: string },
): Promise<ActionOutcome> {
  return change(
    pool,
    input.incidentId,
    input.actor,
    (incident) =>
      incident.assignee === input.assignee
        ? undefined
        : { kind: 'updated', incident: { ...incident, assignee: input.assignee } },
    { note: `Assigned to ${input.assignee} by ${input.actor}` },
  );
}

/**
 * Resolves an incident by hand. Its outages end now and every webhook gets the resolve. If its
 * alarms are still open, the correlator opens a new incident for them after the hold window: a
 * person resolving a fault the network still reports gets told again.
 */
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
  const resolution = `resolved by ${input.actor}${input.note === undefined ? '' : `: ${input.note}`}`;
  return change(
    pool,
    input.incidentId,
    input.actor,
    (incident, now) => ({
      kind: 'resolved',
      incident: { ...incident, state: 'resolved', resolvedAt: now, resolution },
    }),
    { webhookTargets: input.webhookTargets },
  );
}

/**
 * Adds a comment to an incident's ticket timeline. `requestId` makes it idempotent: the same
 * request twice adds one comment. Comments on resolved incidents are allowed (post-mortems).
 */
export async function commentOnIncident(
  pool: pg.Pool,
  input: {
    readonly incidentId: string;
    readonly actor: string;
    readonly text: string;
    /** Letters, digits, '-' and '_' only. */
    readonly requestId: string;
  },
): Promise<{ ok: true } | { ok: false; error: 'not-found' | 'bad-request-id' }> {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(input.requestId))
    return { ok: false, error: 'bad-request-id' };
  return inLockedTransaction(pool, async (client, now) => {
    const rows = await client.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [
      input.incidentId,
    ]);
    const row = rows.rows[0];
    if (row === undefined) return { ok: false as const, error: 'not-found' as const };
    const incident = incidentFromRow(row);
    await addToOutbox(client, [
      {
        jobId: `ticket-comment-${incident.id}-${input.requestId}`,
        queue: TICKETS_QUEUE,
        name: 'comment',
        payload: { kind: 'comment', incident, actor: input.actor, note: input.text, at: now },
      },
    ]);
    return { ok: true as const };
  });
}

/** Reads one incident, or undefined. */
export async function getIncident(
  pool: pg.Pool,
  incidentId: string,
): Promise<Incident | undefined> {
  const rows = await pool.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [incidentId]);
  const row = rows.rows[0];
  return row === undefined ? undefined : incidentFromRow(row);
}

/** Lists incidents, unresolved first, newest first. */
export async function listIncidents(
  pool: pg.Pool,
  filter: { readonly state: 'unresolved' | 'all'; readonly limit: number },
): Promise<Incident[]> {
  const rows = await pool.query<IncidentRow>(
    `SELECT * FROM incidents WHERE ($1 = 'all' OR state <> 'resolved')
     ORDER BY (state = 'resolved'), opened_at DESC, id LIMIT $2`,
    [filter.state, filter.limit],
  );
  return rows.rows.map(incidentFromRow);
}
