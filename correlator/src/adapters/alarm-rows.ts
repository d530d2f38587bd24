import { alarmFromRow, type AlarmRow as AlarmRowWithoutDetails } from '@faultline/shared';
import type { AlarmRecord } from '../core/alarm-reducer.js';

/** One row of the `alarms` table with the raw details of its last event. */
export interface AlarmRow extends AlarmRowWithoutDetails {
  details: unknown;
}

/** Columns in the order the multi-row writes pass them. */
export const ALARM_COLUMNS = [
  'id',
  'reduction_key',
  'device',
  'device_known',
  'component',
  'type',
  'source',
  'severity',
  'state',
  'count',
  'first_seen',
  'last_seen',
  'cleared_at',
  'description',
  'last_event_id',
  'details',
  'caused_by',
  'explanation',
  'ticket_id',
  'acknowledged_by',
] as const;

/** The PostgreSQL array type of each column, for `unnest($n::type[])`. */
export const ALARM_COLUMN_TYPES: Record<(typeof ALARM_COLUMNS)[number], string> = {
  id: 'uuid',
  reduction_key: 'text',
  device: 'text',
  device_known: 'boolean',
  component: 'text',
  type: 'text',
  source: 'text',
  severity: 'text',
  state: 'text',
  count: 'integer',
  first_seen: 'timestamptz',
  last_seen: 'timestamptz',
  cleared_at: 'timestamptz',
  description: 'text',
  last_event_id: 'text',
  // Passed as JSON text and cast per element, so node-postgres never guesses at array encoding.
  details: 'text',
  caused_by: 'uuid',
  explanation: 'text',
  ticket_id: 'text',
  acknowledged_by: 'text',
};

function isDetails(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Maps a row to the alarm it stores and the details of its last event. Times become UTC ISO. */
export function rowToRecord(row: AlarmRow): AlarmRecord {
  return { alarm: alarmFromRow(row), details: isDetails(row.details) ? row.details : {} };
}

/**
 * Turns records into one array per column (in `ALARM_COLUMNS` order), the parameters of a
 * multi-row `unnest` statement: one round trip whatever the number of alarms.
 */
export function recordsToColumns(records: readonly AlarmRecord[]): unknown[][] {
  const columns: unknown[][] = ALARM_COLUMNS.map(() => []);
  for (const { alarm, details } of records) {
    const values: unknown[] = [
      alarm.id,
      alarm.reductionKey,
      alarm.device,
      alarm.deviceKnown,
      alarm.component,
      alarm.type,
      alarm.source,
      alarm.severity,
      alarm.state,
      alarm.count,
      alarm.firstSeen,
      alarm.lastSeen,
      alarm.clearedAt,
      alarm.description,
      alarm.lastEventId,
      JSON.stringify(details),
      alarm.causedBy,
      alarm.explanation,
      alarm.ticketId,
      alarm.acknowledgedBy,
    ];
    values.forEach((value, index) => columns[index]?.push(value));
  }
  return columns;
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
