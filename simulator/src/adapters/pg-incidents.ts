import pg from 'pg';
import {
  ADD_TICKET_EVENT,
  incidentParams,
  INSERT_ALARMS,
  migrate,
  recordsToColumns,
  ticketParams,
  UPSERT_INCIDENT,
  UPSERT_TICKET,
  type Config,
} from '@faultline/shared';
import { pastIncidents, type PastIncident } from '../core/past-incidents.js';

/** What an incident backfill needs. */
export interface IncidentBackfillOptions {
  readonly config: Pick<Config, 'devices' | 'links' | 'topology' | 'customers'>;
  /** PostgreSQL URL, e.g. `postgres://postgres@127.0.0.1:5432/faultline`. */
  readonly databaseUrl: string;
  /** The history ends before this instant (epoch ms); usually now. */
  readonly endMs: number;
  /** How far back it may go (default 31 days). */
  readonly days?: number;
  /** The start of each customer's current billing period (see `PastIncidentsOptions`). */
  readonly periodStartOf?: (customerId: string) => number;
  /**
   * Writes nothing when an incident opened before this instant is already recorded: a system
   * that has a past keeps it. Checked under the backfill's lock, so concurrent starts write once.
   */
  readonly unlessHistoryBeforeMs?: number;
}

/** What an incident backfill wrote. */
export interface IncidentBackfillResult {
  /** True when history was present and nothing was written. */
  readonly skipped: boolean;
  /** Incidents written now (those already present are left as they are). */
  readonly incidents: number;
  readonly outages: number;
}

/** An arbitrary constant: the transaction advisory lock that serializes incident backfills. */
const BACKFILL_LOCK = 7_310_425_010;

// What the correlator's later steps add to an alarm it inserted: when it saw it, its incident and
// its maintenance window.
const ANNOTATE_ALARMS = `
  UPDATE alarms AS a SET raised_at = u.raised_at, incident_id = u.incident_id,
    maintenance = u.maintenance
  FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[])
    AS u(id, raised_at, incident_id, maintenance)
  WHERE a.id = u.id`;

const INSERT_HISTORY = `
  INSERT INTO alarm_history (alarm_id, at, change, severity, actor, cause)
  VALUES ($1, $2, $3, $4, 'system', $5)`;

const INSERT_OUTAGE = `
  INSERT INTO outages (customer_id, service_id, incident_id, ticket_id, root_alarm_id, root_cause,
    started_at, ended_at, in_maintenance)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

/**
 * Writes one incident and what it left behind, unless it is already there: its id derives from
 * its fault and start time, so a rerun over the same window finds it (under the backfill's lock)
 * and writes nothing twice. The alarms it references go first, in the same transaction.
 */
async function writeIncident(client: pg.ClientBase, past: PastIncident): Promise<boolean> {
  const { incident } = past;
  const exists = await client.query('SELECT 1 FROM incidents WHERE id = $1', [incident.id]);
  if (exists.rows.length > 0) return false;
  await client.query(
    INSERT_ALARMS,
    recordsToColumns(past.alarms.map(({ alarm }) => ({ alarm, details: { backfilled: true } }))),
  );
  await client.query(ANNOTATE_ALARMS, [
    past.alarms.map((a) => a.alarm.id),
    past.alarms.map((a) => new Date(a.raisedAtMs)),
    past.alarms.map((a) => a.incidentId),
    past.alarms.map((a) => a.maintenance),
  ]);
  for (const { alarm, history } of past.alarms) {
    for (const entry of history) {
      await client.query(INSERT_HISTORY, [
        alarm.id,
        new Date(entry.atMs),
        entry.change,
        entry.severity,
        entry.cause,
      ]);
    }
  }
  await client.query(UPSERT_INCIDENT, incidentParams(incident));
  if (past.ticketEvents !== null) {
    await client.query(UPSERT_TICKET, ticketParams(incident));
    for (const event of past.ticketEvents) {
      await client.query(ADD_TICKET_EVENT, [
        incident.ticketId,
        event.dedupKey,
        new Date(event.atMs),
        event.kind,
        event.actor,
        event.body,
      ]);
    }
  }
  for (const outage of past.outages) {
    await client.query(INSERT_OUTAGE, [
      outage.customerId,
      outage.serviceId,
      incident.id,
      incident.ticketId,
      incident.primaryAlarmId,
      incident.title,
      new Date(outage.startMs),
      new Date(outage.endMs),
      outage.inMaintenance,
    ]);
  }
  return true;
}

/**
 * Backfills a few past incidents of the configured network (`pastIncidents`) into PostgreSQL's
 * correlator tables, as the correlator would have left them: cleared alarms with their
 * annotations and history, resolved incidents, tickets with their timelines, closed outages.
 * Migrates first; writes in one transaction under an advisory lock. Idempotent: the same `endMs`
 * writes nothing the second time.
 */
export async function backfillIncidents(
  options: IncidentBackfillOptions,
): Promise<IncidentBackfillResult> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error('cannot reach PostgreSQL for the incident backfill', { cause: error });
  }
  try {
    await migrate(client);
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [BACKFILL_LOCK]);
      if (options.unlessHistoryBeforeMs !== undefined) {
        const history = await client.query('SELECT 1 FROM incidents WHERE opened_at < $1 LIMIT 1', [
          new Date(options.unlessHistoryBeforeMs),
        ]);
        if (history.rows.length > 0) {
          await client.query('ROLLBACK');
          return { skipped: true, incidents: 0, outages: 0 };
        }
      }
      let incidents = 0;
      let outages = 0;
      for (const past of pastIncidents(options.config, options)) {
        if (await writeIncident(client, past)) {
          incidents++;
          outages += past.outages.length;
        }
      }
      await client.query('COMMIT');
      return { skipped: false, incidents, outages };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new Error('incident backfill failed', { cause: error });
    }
  } finally {
    await client.end();
  }
}
