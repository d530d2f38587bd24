import { alarmFromRow, type AlarmRow as AlarmRowWithoutDetails } from '@faultline/shared';
import { alarmRecord, type AlarmRecord } from '../core/alarm-reducer.js';

// The multi-row alarm writes are shared with the demo's backfill of past incidents.
export { ALARM_COLUMNS, ALARM_COLUMN_TYPES, recordsToColumns } from '@faultline/shared';

/** One row of the `alarms` table with the raw details of its last event. */
export interface AlarmRow extends AlarmRowWithoutDetails {
  details: unknown;
}

function isDetails(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Maps a row to the alarm it stores and the details of its last event. Times become UTC ISO. */
export function rowToRecord(row: AlarmRow): AlarmRecord {
  return alarmRecord(alarmFromRow(row), isDetails(row.details) ? row.details : {});
}

/**
 * Row-locks the given alarms in ascending id order, before an UPDATE of several of them. An
 * `UPDATE … FROM unnest(…)` locks rows in whatever order its plan visits them, so an event batch
 * and a correlation step updating overlapping alarms could each hold a row the other waits for
 * (PostgreSQL then aborts one with "deadlock detected"). The correlation step takes this before
 * its update, and an event batch locks the same way as it loads its open alarms, so both acquire
 * row locks in the same global order. `NO KEY UPDATE` is the lock the UPDATE takes anyway: it
 * does not block history rows referencing the alarms.
 */
export const LOCK_ALARM_ROWS =
  'SELECT 1 FROM alarms WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE';
