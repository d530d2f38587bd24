import type pg from 'pg';
import { incidentFromRow, severityOf, type Alarm, type IncidentRow } from '@faultline/shared';
import type {
  AlarmAnnotation,
  CorrelationAlarm,
  CorrelationPlan,
  OpenOutage,
} from '../core/incidents.js';
import type { StalePolicy } from '../core/auto-clean.js';
import type { OutboxJob } from '../core/jobs.js';
import type { CorrelationStore, CorrelationTx, StoredCorrelationInput } from '../ports.js';
import { LOCK_ALARM_ROWS, rowToRecord, type AlarmRow } from './alarm-rows.js';
import { cleanStaleAlarms, remindUnacknowledged } from './housekeeping-pg.js';
import { UPSERT_INCIDENT, incidentParams } from './incident-rows.js';
import { addToOutbox } from './outbox.js';

/** What the PostgreSQL correlation store needs (housekeeping reads its part). */
export interface CorrelationPgDeps {
  readonly pool: pg.Pool;
  /** Names of the configured webhook targets: reminders go to each. */
  readonly webhookTargets: readonly string[];
  /** The flap window: raises of a key within it are loaded. */
  readonly flapWindowMs: number;
  /** How long symptoms recover under their incident: incidents resolved within it are loaded. */
  readonly recoveryMs: number;
  /** Reminders for open, unacknowledged incidents after this long (doubling); none if absent. */
  readonly ackTimeoutMs?: number;
  /** Open alarms nothing repeated for as long as this says are cleared (through the events queue). */
  readonly stalePolicy: StalePolicy;
}

/** An arbitrary constant: the transaction advisory lock that serializes correlation steps. */
export const CORRELATION_LOCK = 7_310_425_002;

const CORRELATION_ALARM_COLUMNS = `id, type, device, component, severity, description, first_seen,
  raised_at, caused_by, explanation, incident_id, maintenance, reduction_key, flap_count`;

const LOAD_ALARMS = `SELECT ${CORRELATION_ALARM_COLUMNS} FROM alarms WHERE state <> 'cleared'`;

// Earlier flaps: alarms of the keys in play (open alarms' that flapped, incidents' roots') raised
// within the flap window and cleared before any incident took them (no step saw them open).
const EARLIER_FLAPS = `
  SELECT ${CORRELATION_ALARM_COLUMNS} FROM alarms
  WHERE state = 'cleared' AND incident_id IS NULL AND raised_at > $1::timestamptz
    AND reduction_key = ANY($2::text[])`;

interface CorrelationAlarmRow {
  id: string;
  type: string;
  device: string;
  component: string | null;
  severity: string;
  description: string;
  first_seen: Date;
  raised_at: Date;
  caused_by: string | null;
  explanation: string | null;
  incident_id: string | null;
  maintenance: string | null;
  reduction_key: string;
  flap_count: number;
}

const ANNOTATE = `
  UPDATE alarms AS a SET caused_by = u.caused_by, explanation = u.explanation,
    incident_id = u.incident_id, ticket_id = u.ticket_id, maintenance = u.maintenance,
    flap_count = u.flap_count
  FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
    AS u(id, caused_by, explanation, incident_id, ticket_id, maintenance, flap_count)
  WHERE a.id = u.id`;

// The raises of each key within the flap window, by the correlator's clock: every key raised
// twice or more, and the root keys of flapping incidents (whose quiet window runs from the last).
const KEY_FLAPS = `
  SELECT reduction_key, count(*)::int AS raises, max(raised_at) AS last_raised FROM alarms
  WHERE raised_at > $1::timestamptz
  GROUP BY reduction_key HAVING count(*) >= 2 OR reduction_key = ANY($2::text[])`;

// Resolved incidents that still matter: a root raised again within the flap window re-opens its
// incident, and symptoms still open recover under the incident they were in.
const RESOLVED_INCIDENTS = `
  SELECT * FROM incidents
  WHERE state = 'resolved' AND (resolved_at > $1::timestamptz OR id = ANY($2::text[]))`;

// The cleared root alarms of the incidents open and resolved: what they explain still comes late.
const CLEARED_ROOT_ALARMS = `
  SELECT id, type, device, component, first_seen, cleared_at FROM alarms
  WHERE id = ANY($1::uuid[]) AND state = 'cleared' AND cleared_at IS NOT NULL`;

interface ClearedRootRow {
  id: string;
  type: string;
  device: string;
  component: string | null;
  first_seen: Date;
  cleared_at: Date;
}

const INCIDENT_ROOT_KEYS = `
  SELECT i.id, array_agg(DISTINCT a.reduction_key) AS keys
  FROM incidents i JOIN alarms a ON a.id = ANY (i.root_alarm_ids)
  WHERE i.id = ANY($1::text[])
  GROUP BY i.id`;

const CLOSE_OUTAGE = `
  UPDATE outages SET ended_at = greatest($3::timestamptz, started_at)
  WHERE incident_id = $1 AND service_id = $2 AND ended_at IS NULL`;

const OPEN_OUTAGE = `
  INSERT INTO outages (customer_id, service_id, incident_id, ticket_id, root_alarm_id, root_cause,
    started_at, in_maintenance)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT DO NOTHING`;

/**
 * The correlation step's state on PostgreSQL: `inLock` takes a transaction advisory lock (one step
 * at a time across every correlator; a process that finds it taken skips, the holder sees its
 * changes or the next tick does), and the step loads, writes and housekeeps in that transaction.
 */
export function createCorrelationStorePg(deps: CorrelationPgDeps): CorrelationStore {
  const { pool } = deps;

  async function load(client: pg.PoolClient): Promise<StoredCorrelationInput> {
    const clock = await client.query<{ now: Date }>('SELECT now() AS now');
    const nowMs = clock.rows[0]?.now.getTime() ?? Date.now();
    const alarms = await client.query<CorrelationAlarmRow>(LOAD_ALARMS);
    const incidents = await client.query<IncidentRow>(
      "SELECT * FROM incidents WHERE state <> 'resolved'",
    );
    const windowStart = new Date(nowMs - deps.flapWindowMs).toISOString();
    const namedByAlarms = [
      ...new Set(alarms.rows.flatMap((row) => (row.incident_id === null ? [] : [row.incident_id]))),
    ];
    const resolved = await client.query<IncidentRow>(RESOLVED_INCIDENTS, [
      new Date(nowMs - Math.max(deps.flapWindowMs, deps.recoveryMs)).toISOString(),
      namedByAlarms,
    ]);
    const clearedRoots = await client.query<ClearedRootRow>(CLEARED_ROOT_ALARMS, [
      [...incidents.rows, ...resolved.rows].flatMap((row) => row.root_alarm_ids),
    ]);
    const outages = await client.query<{
      incident_id: string;
      customer_id: string;
      service_id: string;
    }>('SELECT incident_id, customer_id, service_id FROM outages WHERE ended_at IS NULL');
    const rootKeys = await client.query<{ id: string; keys: string[] }>(INCIDENT_ROOT_KEYS, [
      [...incidents.rows, ...resolved.rows].map((row) => row.id),
    ]);
    const keysByIncident = new Map(rootKeys.rows.map((row) => [row.id, row.keys]));
    const flappingKeys = incidents.rows
      .filter((row) => row.flap_count > 1)
      .flatMap((row) => keysByIncident.get(row.id) ?? []);
    const flaps = await client.query<{
      reduction_key: string;
      raises: number;
      last_raised: Date;
    }>(KEY_FLAPS, [windowStart, flappingKeys]);
    // An open alarm with an earlier flap is a key raised twice in the window (`flaps`).
    const flapped = new Set(flaps.rows.map((row) => row.reduction_key));
    const keysInPlay = [
      ...new Set([
        ...alarms.rows.map((row) => row.reduction_key).filter((key) => flapped.has(key)),
        ...[...keysByIncident.values()].flat(),
      ]),
    ];
    const earlierFlaps = await client.query<CorrelationAlarmRow>(EARLIER_FLAPS, [
      windowStart,
      keysInPlay,
    ]);
    return {
      alarms: alarms.rows.map(rowToCorrelationAlarm),
      incidents: incidents.rows.map(incidentFromRow),
      outages: outages.rows.map((row): OpenOutage => ({
        incidentId: row.incident_id,
        customerId: row.customer_id,
        serviceId: row.service_id,
      })),
      nowMs,
      flaps: new Map(
        flaps.rows.map((row) => [
          row.reduction_key,
          { count: row.raises, lastRaisedMs: row.last_raised.getTime() },
        ]),
      ),
      resolved: resolved.rows.map(incidentFromRow),
      clearedRootAlarms: clearedRoots.rows.map((row) => ({
        id: row.id,
        type: row.type,
        device: row.device,
        component: row.component,
        firstSeenMs: row.first_seen.getTime(),
        clearedAtMs: row.cleared_at.getTime(),
      })),
      incidentRootKeys: keysByIncident,
      earlierFlaps: earlierFlaps.rows.map(rowToCorrelationAlarm),
    };
  }

  async function write(
    client: pg.PoolClient,
    plan: CorrelationPlan,
    jobs: readonly OutboxJob[],
    nowMs: number,
  ): Promise<Alarm[]> {
    const nowIso = new Date(nowMs).toISOString();
    // Incidents first: outages reference them.
    for (const change of plan.changes)
      await client.query(UPSERT_INCIDENT, incidentParams(change.incident));
    if (plan.annotations.length > 0) {
      await client.query(LOCK_ALARM_ROWS, [plan.annotations.map((a) => a.alarmId)]);
      await client.query(ANNOTATE, annotationParams(plan.annotations));
    }
    for (const outage of plan.outagesClosed)
      await client.query(CLOSE_OUTAGE, [outage.incidentId, outage.serviceId, nowIso]);
    for (const o of plan.outagesOpened) {
      await client.query(OPEN_OUTAGE, [
        o.customerId,
        o.serviceId,
        o.incidentId,
        o.ticketId,
        o.rootAlarmId,
        o.rootCause,
        new Date(o.startedAtMs).toISOString(),
        o.inMaintenance,
      ]);
    }
    const announcedIds = plan.announcements
      .filter((change) => change.kind === 'opened')
      .map((change) => change.incident.id);
    if (announcedIds.length > 0) {
      await client.query(
        'UPDATE incidents SET announced_at = coalesce(announced_at, $2) WHERE id = ANY($1::text[])',
        [announcedIds, nowIso],
      );
    }
    await addToOutbox(client, jobs);
    if (plan.annotations.length === 0) return [];
    const rows = await client.query<AlarmRow>(
      "SELECT * FROM alarms WHERE id = ANY($1::uuid[]) AND state <> 'cleared'",
      [plan.annotations.map((a) => a.alarmId)],
    );
    return rows.rows.map((row) => rowToRecord(row).alarm);
  }

  return {
    async inLock(work) {
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        await client.query('BEGIN');
        const locked = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_xact_lock($1) AS ok',
          [CORRELATION_LOCK],
        );
        if (locked.rows[0]?.ok !== true) {
          await client.query('ROLLBACK');
          return { skipped: true };
        }
        const tx: CorrelationTx = {
          load: () => load(client),
          write: (plan, jobs, nowMs) => write(client, plan, jobs, nowMs),
          async housekeep(nowMs) {
            await remindUnacknowledged(client, deps, nowMs);
            await cleanStaleAlarms(client, deps, nowMs);
          },
        };
        const value = await work(tx);
        await client.query('COMMIT');
        return { skipped: false, value };
      } catch (error) {
        failure = new Error('correlation step failed', { cause: error });
        await client.query('ROLLBACK').catch(() => undefined);
        throw failure;
      } finally {
        client.release(failure);
      }
    },
  };
}

function rowToCorrelationAlarm(row: CorrelationAlarmRow): CorrelationAlarm {
  return {
    id: row.id,
    type: row.type,
    device: row.device,
    component: row.component,
    firstSeenMs: row.first_seen.getTime(),
    raisedAtMs: row.raised_at.getTime(),
    severity: severityOf(row.severity),
    description: row.description,
    causedBy: row.caused_by,
    explanation: row.explanation,
    incidentId: row.incident_id,
    maintenance: row.maintenance,
    reductionKey: row.reduction_key,
    flapCount: row.flap_count,
  };
}

function annotationParams(annotations: readonly AlarmAnnotation[]): unknown[][] {
  return [
    annotations.map((a) => a.alarmId),
    annotations.map((a) => a.causedBy),
    annotations.map((a) => a.explanation),
    annotations.map((a) => a.incidentId),
    annotations.map((a) => a.ticketId),
    annotations.map((a) => a.maintenance),
    annotations.map((a) => a.flapCount),
  ];
}
