import type { Alarm } from '../alarm.js';
import { SEVERITIES } from '../severity.js';

/**
 * One row of the `alarms` table as node-postgres returns it (timestamptz as Date), without the
 * raw `details`, which only the correlator reads. Every service that reads alarms maps rows with
 * `alarmFromRow`, so the API and the live feed show the same alarm.
 */
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
  /** Raises of its key within the flap window, as the last correlation step counted them. */
  flap_count?: number;
}

/** The columns of `alarms` that make an `Alarm`, for SELECT lists. */
export const ALARM_SELECT_COLUMNS = `id, reduction_key, device, device_known, component, type, source,
  severity, state, count, first_seen, last_seen, cleared_at, description, last_event_id, caused_by,
  explanation, ticket_id, acknowledged_by, flap_count`;

/**
 * `ALARM_SELECT_COLUMNS` with the times rendered by PostgreSQL as UTC ISO text, exactly as
 * `Date.prototype.toISOString` writes them (milliseconds truncated, as node-postgres's Dates
 * are): for long lists, where parsing three timestamps per row into Dates costs more than the
 * rest of the row (a 10,000-alarm snapshot). Rows read with it are `AlarmTextRow`s. A query
 * selecting these sorts by the table's column (`alarms.last_seen`), not the text of the same name.
 */
export const ALARM_SELECT_COLUMNS_ISO_TIMES = ALARM_SELECT_COLUMNS.replace(
  /\b(first_seen|last_seen|cleared_at)\b/g,
  (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`,
);

/** A row read with `ALARM_SELECT_COLUMNS_ISO_TIMES`: the times as ISO text. */
export type AlarmTextRow = Omit<AlarmRow, 'first_seen' | 'last_seen' | 'cleared_at'> & {
  first_seen: string;
  last_seen: string;
  cleared_at: string | null;
};

function isoTime(time: Date | string): string {
  return typeof time === 'string' ? time : time.toISOString();
}

const SOURCES: readonly Alarm['source'][] = ['trap', 'poll', 'telemetry', 'threshold', 'system'];
const STATES: readonly Alarm['state'][] = ['active', 'acknowledged', 'cleared'];

function oneOf<T extends string>(allowed: readonly T[], value: string, column: string): T {
  // The CHECKs and the one writer keep these in range; anything else is a broken invariant.
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new Error(`alarms.${column} has unexpected value "${value}"`);
  return found;
}

/** Maps a row to its alarm. Times become UTC ISO strings. */
export function alarmFromRow(row: AlarmRow | AlarmTextRow): Alarm {
  return {
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
    firstSeen: isoTime(row.first_seen),
    lastSeen: isoTime(row.last_seen),
    clearedAt: row.cleared_at === null ? null : isoTime(row.cleared_at),
    description: row.description,
    lastEventId: row.last_event_id,
    causedBy: row.caused_by,
    explanation: row.explanation,
    ticketId: row.ticket_id,
    acknowledgedBy: row.acknowledged_by,
    ...(row.flap_count !== undefined && row.flap_count > 1 ? { flapCount: row.flap_count } : {}),
  };
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

/**
 * Turns records into one array per column (in `ALARM_COLUMNS` order), the parameters of a
 * multi-row `unnest` statement: one round trip whatever the number of alarms.
 */
export function recordsToColumns(
  records: readonly { readonly alarm: Alarm; readonly details: Record<string, unknown> }[],
): unknown[][] {
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

const unnestAll = ALARM_COLUMNS.map((c, i) => `$${String(i + 1)}::${ALARM_COLUMN_TYPES[c]}[]`);

/** Inserts alarms, one array per column of `ALARM_COLUMNS` (`recordsToColumns`): one round trip. */
export const INSERT_ALARMS = `
  INSERT INTO alarms (${ALARM_COLUMNS.join(', ')})
  SELECT ${ALARM_COLUMNS.map((c) => (c === 'details' ? 'u.details::jsonb' : `u.${c}`)).join(', ')}
  FROM unnest(${unnestAll.join(', ')}) AS u(${ALARM_COLUMNS.join(', ')})`;
