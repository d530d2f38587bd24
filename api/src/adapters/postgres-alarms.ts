import type pg from 'pg';
import type { Alarm } from '@faultline/shared';
import type { AlarmQuery, AlarmReader, HealthProbe } from '../ports.js';

/** The columns of `alarms` that make an `Alarm`; `details` (raw evidence) stays in the database. */
export const ALARM_COLUMNS = `id, reduction_key, device, device_known, component, type, source, severity, state,
  count, first_seen, last_seen, cleared_at, description, last_event_id, caused_by, explanation,
  ticket_id, acknowledged_by`;

export interface AlarmRow {
  id: string;
  reduction_key: string;
  device: string;
  device_known: boolean;
  component: string | null;
  type: string;
  source: string;
  severity: string;
  state: string;
  count: number;
  first_seen: Date;
  last_seen: Date;
  cleared_at: Date | null;
  description: string;
  last_event_id: string;
  caused_by: string | null;
  explanation: string | null;
  ticket_id: string | null;
  acknowledged_by: string | null;
}

/**
 * Maps a row to an alarm. The correlator is the only writer and its CHECK constraints and
 * schemas keep `source`, `severity` and `state` in range, so they are taken as typed here.
 */
export function toAlarm(row: AlarmRow): Alarm {
  return {
    id: row.id,
    reductionKey: row.reduction_key,
    device: row.device,
    deviceKnown: row.device_known,
    component: row.component,
    type: row.type,
    source: row.source as Alarm['source'],
    severity: row.severity as Alarm['severity'],
    state: row.state as Alarm['state'],
    count: row.count,
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    clearedAt: row.cleared_at === null ? null : row.cleared_at.toISOString(),
    description: row.description,
    lastEventId: row.last_event_id,
    causedBy: row.caused_by,
    explanation: row.explanation,
    ticketId: row.ticket_id,
    acknowledgedBy: row.acknowledged_by,
  };
}

/** Reads alarms from PostgreSQL through a pool. */
export function createPostgresAlarmReader(deps: { pool: pg.Pool }): AlarmReader {
  const { pool } = deps;
  return {
    async list(query: AlarmQuery) {
      const params: unknown[] = [query.states, query.limit];
      let where = 'state = ANY($1::text[])';
      if (query.device !== undefined) {
        params.push(query.device);
        where += ` AND device = $${String(params.length)}`;
      }
      const result = await pool.query<AlarmRow>(
        `SELECT ${ALARM_COLUMNS} FROM alarms WHERE ${where} ORDER BY last_seen DESC, id LIMIT $2`,
        params,
      );
      return result.rows.map(toAlarm);
    },
    async get(id: string) {
      const result = await pool.query<AlarmRow>(
        `SELECT ${ALARM_COLUMNS} FROM alarms WHERE id = $1`,
        [id],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : toAlarm(row);
    },
  };
}

/** A health probe that runs `SELECT 1` on a pooled connection. */
export function createPostgresProbe(deps: { pool: pg.Pool }): HealthProbe {
  return async () => {
    try {
      await deps.pool.query('SELECT 1');
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : 'query failed' };
    }
  };
}
