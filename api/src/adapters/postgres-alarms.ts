import type pg from 'pg';
import {
  ALARM_SELECT_COLUMNS,
  ALARM_SELECT_COLUMNS_ISO_TIMES,
  alarmFromRow,
  type AlarmRow,
  type AlarmTextRow,
} from '@faultline/shared';
import type { AlarmQuery, AlarmReader, HealthProbe } from '../ports.js';

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
      // Up to 20,000 rows for a live snapshot: PostgreSQL writes their times as text.
      const result = await pool.query<AlarmTextRow>(
        `SELECT ${ALARM_SELECT_COLUMNS_ISO_TIMES} FROM alarms WHERE ${where}
         ORDER BY alarms.last_seen DESC, id LIMIT $2`,
        params,
      );
      return result.rows.map(alarmFromRow);
    },
    async get(id: string) {
      const result = await pool.query<AlarmRow>(
        `SELECT ${ALARM_SELECT_COLUMNS} FROM alarms WHERE id = $1`,
        [id],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : alarmFromRow(row);
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
