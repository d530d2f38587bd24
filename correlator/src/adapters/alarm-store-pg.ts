import type pg from 'pg';
import type { Alarm, FaultEvent } from '@faultline/shared';
import { keysOfBatch, partitionByKeys } from '../core/batch-keys.js';
import { reduceAlarms, type AlarmRecord, type OpenAlarms } from '../core/alarm-reducer.js';
import { planWrites, type HistoryEntry } from '../core/alarm-writes.js';
import type { AlarmStateFilter, AlarmStore, AppliedBatch } from '../ports.js';
import { INSERT_ALARMS } from '@faultline/shared';
import {
  ALARM_COLUMNS,
  ALARM_COLUMN_TYPES,
  recordsToColumns,
  rowToRecord,
  type AlarmRow,
} from './alarm-rows.js';
import { withoutNul } from './postgres-text.js';

/** What the PostgreSQL alarm store needs. */
export interface AlarmStorePgDeps {
  readonly pool: pg.Pool;
  /** Fresh alarm ids (UUIDs: the column is `uuid`). */
  readonly newAlarmId: () => string;
  /**
   * Most reduction keys locked by one transaction (default 1,000). Advisory locks live in the
   * server's shared lock table (about `max_locks_per_transaction` × `max_connections` entries,
   * 6,400 by default, for all sessions together), so a wide batch is committed in parts; a
   * correlator process applies one batch at a time (see createProcessBatch), so it holds at most
   * this many.
   */
  readonly maxKeysPerTransaction?: number;
}

const DEFAULT_MAX_KEYS_PER_TRANSACTION = 1000;

/** Parts of a batch applied at once, each on a connection of its own. */
export const PARTS_AT_ONCE = 2;

// Locks are taken on the 64-bit hashes of the keys, distinct and in ascending order, in one
// statement: every worker acquires in the same global order, so two batches sharing keys wait
// for each other instead of deadlocking. They are session locks (not xact locks) so that they
// outlive COMMIT and cover the after-commit effects; they are released explicitly.
const LOCK_KEYS = `
  SELECT pg_advisory_lock(h)
  FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS s`;
const UNLOCK_KEYS = `
  SELECT pg_advisory_unlock(h)
  FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k) AS s`;

// Records the batch's event ids and answers with those recorded before: one row, usually an
// empty array (the fresh ids, nearly all of them, are not sent back).
const RECORD_NEW_EVENTS = `
  WITH fresh AS (
    INSERT INTO processed_events (event_id)
    SELECT DISTINCT unnest($1::text[])
    ON CONFLICT DO NOTHING
    RETURNING event_id)
  SELECT coalesce(array_agg(id), '{}') AS seen
  FROM unnest($1::text[]) AS id
  WHERE id NOT IN (SELECT event_id FROM fresh)`;

// The open alarms of the batch's keys, row-locked in id order as they load: the rows the batch
// will update, locked in the order the correlation step locks them (see LOCK_ALARM_ROWS).
const LOAD_OPEN = `
  SELECT * FROM alarms WHERE state <> 'cleared' AND reduction_key = ANY($1::text[])
  ORDER BY id FOR NO KEY UPDATE`;

// The columns the reducer owns. Identity columns never change, and root cause and ticket columns
// belong to other parts of the correlator, so an update never overwrites them.
const UPDATED_COLUMNS = [
  'severity',
  'state',
  'count',
  'first_seen',
  'last_seen',
  'cleared_at',
  'description',
  'last_event_id',
  'details',
  'acknowledged_by',
] as const;
const UPDATE_ALARMS = `
  UPDATE alarms AS a SET
    ${UPDATED_COLUMNS.map((c) => `${c} = u.${c}${c === 'details' ? '::jsonb' : ''}`).join(',\n    ')}
  FROM unnest($1::uuid[], ${UPDATED_COLUMNS.map((c, i) => `$${String(i + 2)}::${ALARM_COLUMN_TYPES[c]}[]`).join(', ')})
    AS u(id, ${UPDATED_COLUMNS.join(', ')})
  WHERE a.id = u.id`;

const INSERT_HISTORY = `
  INSERT INTO alarm_history (alarm_id, at, change, severity, actor, cause)
  SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[])`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The alarm store on PostgreSQL (tables of migration `001_alarms`). Each part of a batch costs a
 * fixed number of round trips whatever its size: lock, begin, record event ids, load, update,
 * insert, history, commit, unlock.
 */
export function createAlarmStorePg(deps: AlarmStorePgDeps): AlarmStore {
  const { pool } = deps;

  async function reduceAndWrite(
    client: pg.PoolClient,
    events: readonly FaultEvent[],
    keys: readonly string[],
  ): Promise<AppliedBatch> {
    const ids = events.map((event) => event.id);
    const recorded = await client.query<{ seen: string[] }>(RECORD_NEW_EVENTS, [ids]);
    const processedEventIds = new Set(recorded.rows[0]?.seen);
    const loaded = await client.query<AlarmRow>(LOAD_OPEN, [keys]);
    const before: OpenAlarms = new Map(
      loaded.rows.map((row) => [row.reduction_key, rowToRecord(row)]),
    );
    const { open, decisions } = reduceAlarms(
      before,
      { events, processedEventIds },
      { newAlarmId: deps.newAlarmId },
    );
    const writes = planWrites(before, decisions);
    // Updates first: an alarm cleared and a new one raised on the same key in one batch must not
    // meet as two open alarms in the unique index.
    if (writes.updates.length > 0) await client.query(UPDATE_ALARMS, updateParams(writes.updates));
    if (writes.inserts.length > 0) {
      await client.query(INSERT_ALARMS, recordsToColumns(writes.inserts));
    }
    if (writes.history.length > 0)
      await client.query(INSERT_HISTORY, historyParams(writes.history));
    return { decisions, writes, keys, open };
  }

  async function inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    try {
      const result = await work();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // If ROLLBACK fails too the connection is broken; it is destroyed on release.
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async function applyPart(
    events: readonly FaultEvent[],
    afterCommit: (applied: AppliedBatch) => Promise<void>,
  ): Promise<AppliedBatch> {
    const keys = keysOfBatch(events);
    const client = await pool.connect();
    let failure: unknown;
    try {
      await client.query(LOCK_KEYS, [keys]);
      try {
        const applied = await inTransaction(client, () => reduceAndWrite(client, events, keys));
        await afterCommit(applied);
        return applied;
      } finally {
        await client.query(UNLOCK_KEYS, [keys]).catch((error: unknown) => {
          failure ??= error;
        });
      }
    } catch (error) {
      failure = error;
      throw new Error('applying an event batch failed', { cause: error });
    } finally {
      // A client that failed may hold locks or a broken transaction: destroy it, never reuse it.
      client.release(failure === undefined ? undefined : new Error('discarded after a failure'));
    }
  }

  const maxKeys = deps.maxKeysPerTransaction ?? DEFAULT_MAX_KEYS_PER_TRANSACTION;

  return {
    async applyBatch(events, afterCommit) {
      // Parts are independent (each event touches one key) and each is idempotent, so if a part
      // fails, the retry finds the other parts' events to be duplicates. Several are applied at a
      // time, on as many connections: PostgreSQL works on one while this process prepares another.
      const parts = partitionByKeys(withoutNul(events), maxKeys);
      const applied: AppliedBatch[] = [];
      let next = 0;
      const lane = async (): Promise<void> => {
        for (let index = next++; index < parts.length; index = next++) {
          applied[index] = await applyPart(parts[index] ?? [], afterCommit);
        }
      };
      await Promise.all(Array.from({ length: PARTS_AT_ONCE }, lane));
      return mergeParts(applied);
    },

    async listAlarms({ state, limit }) {
      const result = await pool.query<AlarmRow>(
        `SELECT * FROM alarms WHERE ($1 = 'all' OR state = $1)
         ORDER BY last_seen DESC, id LIMIT $2`,
        [state satisfies AlarmStateFilter, limit],
      );
      return result.rows.map((row) => rowToRecord(row).alarm);
    },

    async getAlarm(id): Promise<Alarm | undefined> {
      if (!UUID.test(id)) return undefined;
      const result = await pool.query<AlarmRow>('SELECT * FROM alarms WHERE id = $1', [id]);
      const row = result.rows[0];
      return row === undefined ? undefined : rowToRecord(row).alarm;
    },
  };
}

function mergeParts(parts: readonly AppliedBatch[]): AppliedBatch {
  return {
    decisions: parts.flatMap((part) => part.decisions),
    writes: {
      inserts: parts.flatMap((part) => part.writes.inserts),
      updates: parts.flatMap((part) => part.writes.updates),
      history: parts.flatMap((part) => part.writes.history),
      changes: parts.flatMap((part) => part.writes.changes),
    },
    keys: parts.flatMap((part) => part.keys),
    open: new Map(parts.flatMap((part) => [...part.open])),
  };
}

function updateParams(records: readonly AlarmRecord[]): unknown[][] {
  const columns = recordsToColumns(records);
  const byName = new Map(ALARM_COLUMNS.map((name, index) => [name, columns[index] ?? []]));
  return [byName.get('id') ?? [], ...UPDATED_COLUMNS.map((name) => byName.get(name) ?? [])];
}

function historyParams(history: readonly HistoryEntry[]): unknown[][] {
  return [
    history.map((h) => h.alarmId),
    history.map((h) => h.at),
    history.map((h) => h.change),
    history.map((h) => h.severity),
    history.map((h) => h.actor),
    history.map((h) => h.cause),
  ];
}
