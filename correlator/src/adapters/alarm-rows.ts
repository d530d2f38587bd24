import { SEVERITIES, type Alarm, type AlarmState, type EventSource } from '@faultline/shared';
import type { AlarmRecord } from '../core/alarm-reducer.js';

/** One row of the `alarms` table as node-postgres returns it (timestamptz as Date). */
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
  details: unknown;
  caused_by: string | null;
  explanation: string | null;
  ticket_id: string | null;
  acknowledged_by: string | null;
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

const SOURCES: readonly EventSource[] = ['trap', 'poll', 'telemetry', 'threshold', 'system'];
const STATES: readonly AlarmState[] = ['active', 'acknowledged', 'cleared'];

function oneOf<T extends string>(allowed: readonly T[], value: string, column: string): T {
  // The CHECKs and the writer keep these in range; anything else is a broken invariant.
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new Error(`alarms.${column} has unexpected value "${value}"`);
  return found;
}

function isDetails(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Maps a row to the alarm it stores and the details of its last event. Times become UTC ISO. */
export function rowToRecord(row: AlarmRow): AlarmRecord {
  const alarm: Alarm = {
    id: row.id,
    reductionKey: row.reduction_key,
    device: row.device,
    deviceKnown: row.device_known,
    component: row.component,
    type: row.type,
    source: oneOf(SOURCES, row.source, 'source'),
    severity: oneOf(SEVERITIES, row.severity, 'severity'),
    state: oneOf(STATES, row.state, 'state'),
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
  return { alarm, details: isDetails(row.details) ? row.details : {} };
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
