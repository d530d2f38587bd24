import type pg from 'pg';
import { partitionOfKey, type Alarm } from '@faultline/shared';
import { keysOfBatch } from '../core/batch-keys.js';
import {
  reduceAlarms,
  type AlarmDecision,
  type AlarmRecord,
  type OpenAlarms,
} from '../core/alarm-reducer.js';
import { planWrites, type HistoryEntry } from '../core/alarm-writes.js';
import type { AlarmStateFilter, AlarmStore, AppliedBatch, BatchToApply } from '../ports.js';
import { INSERT_ALARMS } from '@faultline/shared';
import {
  ALARM_COLUMNS,
  ALARM_COLUMN_TYPES,
  LOCK_ALARM_ROWS,
  recordsToColumns,
  rowToRecord,
  type AlarmRow,
} from './alarm-rows.js';
import { withAnnotations, type AnnotationRow } from './alarm-annotations.js';
import {
  createPartitionAlarms,
  type PartitionAlarms,
  type PartitionCommit,
} from './partition-alarms.js';
import { withoutNul } from './postgres-text.js';

/** What the PostgreSQL alarm store needs. */
export interface AlarmStorePgDeps {
  readonly pool: pg.Pool;
  /** Fresh alarm ids (UUIDs: the column is `uuid`). */
  readonly newAlarmId: () => string;
  /** The event partitions (`correlation.partitions`, default 1): which keys a partition holds. */
  readonly partitions?: number;
}

/**
 * The session advisory lock of a partition, (class, partition) in PostgreSQL's two-key lock space:
 * taken by each commit of the partition across its transaction and its after-commit effects, and
 * by a person's acknowledgement of an alarm of the partition (`alarm-actions-pg.ts`). One lock per
 * commit whatever its width, so commits never contend for the server's lock table.
 */
export const PARTITION_LOCK_CLASS = 7310;
export const LOCK_PARTITION = 'SELECT pg_advisory_lock($1, $2)';
export const UNLOCK_PARTITION = 'SELECT pg_advisory_unlock($1, $2)';

/** Bumps the version of the partition `$n` names (a write of its alarms), answering the new one. */
function bumpPartitionSql(parameter: string): string {
  return `INSERT INTO alarm_partitions AS p (partition, version) VALUES (${parameter}, 1)
    ON CONFLICT (partition) DO UPDATE SET version = p.version + 1 RETURNING p.version`;
}
/** Bumps a partition's version (`$1`): run in the transaction of any write of its alarms. */
export const BUMP_PARTITION = bumpPartitionSql('$1');

// Records the batches' ids and answers with those recorded before (usually none), and bumps the
// partition's version (migration 015): every write of the partition's alarms does.
const RECORD_NEW_BATCHES = `
  WITH fresh AS (
    INSERT INTO applied_batches (batch_id)
    SELECT DISTINCT unnest($1::text[])
    ON CONFLICT DO NOTHING
    RETURNING batch_id),
  bumped AS (${bumpPartitionSql('$2')})
  SELECT coalesce(array_agg(id), '{}') AS seen, (SELECT version FROM bumped) AS version
  FROM unnest($1::text[]) AS id
  WHERE id NOT IN (SELECT batch_id FROM fresh)`;

// The open alarms of every partition (those of this one are kept): loaded when the memory is not
// at the partition's version, on its first commit after the lease is taken and after another
// process wrote the partition.
const LOAD_ALL_OPEN = `SELECT * FROM alarms WHERE state <> 'cleared'`;

// The open alarms of the given keys, row-locked in id order (see LOCK_ALARM_ROWS): read again
// when a batch of the commit was applied before, so its keys are mirrored as committed.
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
  WHERE a.id = u.id
  RETURNING a.id, a.caused_by, a.explanation, a.ticket_id, a.flap_count`;

const INSERT_HISTORY = `
  INSERT INTO alarm_history (alarm_id, at, change, severity, actor, cause)
  SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[])`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The alarm store on PostgreSQL (tables of migrations `001_alarms`, `009_partitions` and
 * `015_alarm_partitions`). A partition's open alarms are kept in memory between its commits
 * (`PartitionAlarms`): a commit reduces against them instead of loading its keys, writes the
 * changed alarms (each once) and the batch ids in one transaction, and only once it committed
 * does the memory take its changes. Each commit costs a fixed number of round trips whatever its
 * size: lock, begin, record batch ids and bump the version, lock the updated rows, update,
 * insert, history, commit, unlock.
 */
export function createAlarmStorePg(deps: AlarmStorePgDeps): AlarmStore {
  const { pool } = deps;
  const partitions = deps.partitions ?? 1;
  const memories = new Map<number, PartitionAlarms>();

  function memoryOf(partition: number): PartitionAlarms {
    let memory = memories.get(partition);
    if (memory === undefined) memories.set(partition, (memory = createPartitionAlarms()));
    return memory;
  }

  /** The partition's open alarms as PostgreSQL has them (read under the partition's lock). */
  async function loadPartition(
    client: pg.PoolClient,
    partition: number,
  ): Promise<Map<string, AlarmRecord>> {
    const rows = await client.query<AlarmRow>(LOAD_ALL_OPEN);
    const open = new Map<string, AlarmRecord>();
    for (const row of rows.rows) {
      if (partitionOfKey(row.reduction_key, partitions) === partition)
        open.set(row.reduction_key, rowToRecord(row));
    }
    return open;
  }

  async function reduceAndWrite(
    client: pg.PoolClient,
    partition: number,
    memory: PartitionAlarms,
    given: readonly BatchToApply[],
  ): Promise<PartitionCommit<AppliedBatch>> {
    const batches = given.map((batch) => ({ id: batch.id, events: withoutNul(batch.events) }));
    const recorded = await client.query<{ seen: string[]; version: string }>(RECORD_NEW_BATCHES, [
      batches.map((batch) => batch.id),
      partition,
    ]);
    const version = Number(recorded.rows[0]?.version);
    const seen = new Set(recorded.rows[0]?.seen);
    const fresh = batches.filter((batch) => !seen.has(batch.id));
    const events = fresh.flatMap((batch) => batch.events);
    const keys = keysOfBatch(batches.flatMap((batch) => batch.events));
    // The memory is PostgreSQL's if nothing else wrote the partition since its last commit.
    const remembered = memory.at(version - 1);
    const loaded = remembered === undefined ? await loadPartition(client, partition) : undefined;
    const open = remembered ?? loaded ?? new Map<string, AlarmRecord>();
    let before: OpenAlarms;
    if (seen.size > 0) {
      // A skipped batch's keys are read again and mirrored: a retry after a failed mirror repairs
      // the mirror with what is committed, annotations included.
      const rows = await client.query<AlarmRow>(LOAD_OPEN, [keys]);
      before = new Map(rows.rows.map((row) => [row.reduction_key, rowToRecord(row)]));
    } else {
      before = openOfKeys(open, keys);
    }
    const reduced = reduceAlarms(before, { events }, { newAlarmId: deps.newAlarmId });
    const writes = planWrites(before, reduced.decisions);
    let annotations: AnnotationRow[] = [];
    // Updates first: an alarm cleared and a new one raised on the same key in one batch must not
    // meet as two open alarms in the unique index. Rows are locked in id order first, as the
    // correlation step locks them, and the update answers with the columns the step writes.
    if (writes.updates.length > 0) {
      await client.query(LOCK_ALARM_ROWS, [writes.updates.map((record) => record.alarm.id)]);
      const updated = await client.query<AnnotationRow>(
        UPDATE_ALARMS,
        updateParams(writes.updates),
      );
      annotations = updated.rows;
    }
    if (writes.inserts.length > 0) {
      await client.query(INSERT_ALARMS, recordsToColumns(writes.inserts));
    }
    if (writes.history.length > 0)
      await client.query(INSERT_HISTORY, historyParams(writes.history));
    const skipped: AlarmDecision[] = batches
      .filter((batch) => seen.has(batch.id))
      .flatMap((batch) => batch.events.map((event) => ({ kind: 'duplicate', event }) as const));
    const current = withAnnotations(annotations, reduced.open, writes);
    const applied: AppliedBatch = {
      decisions: [...reduced.decisions, ...skipped],
      writes: current.writes,
      keys,
      open: current.open,
    };
    return {
      version,
      ...(loaded === undefined ? {} : { loaded }),
      keys,
      open: current.open,
      result: applied,
    };
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

  return {
    async applyBatch(partition, batches, afterCommit) {
      const client = await pool.connect();
      const lock = [PARTITION_LOCK_CLASS, partition];
      let failure: unknown;
      try {
        await client.query(LOCK_PARTITION, lock);
        try {
          // The memory takes the commit only once PostgreSQL has it; then the effects follow.
          const memory = memoryOf(partition);
          const applied = await memory.apply(() =>
            inTransaction(client, () => reduceAndWrite(client, partition, memory, batches)),
          );
          await afterCommit(applied);
          return applied;
        } finally {
          await client.query(UNLOCK_PARTITION, lock).catch((error: unknown) => {
            failure ??= error;
          });
        }
      } catch (error) {
        failure = error;
        throw new Error('applying an event batch failed', { cause: error });
      } finally {
        // A client that failed may hold a lock or a broken transaction: destroy it, never reuse it.
        client.release(failure === undefined ? undefined : new Error('discarded after a failure'));
      }
    },

    dropPartition(partition) {
      memories.get(partition)?.drop();
      memories.delete(partition);
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

/** The open alarms of the given keys (those that have one). */
function openOfKeys(open: OpenAlarms, keys: readonly string[]): Map<string, AlarmRecord> {
  const found = new Map<string, AlarmRecord>();
  for (const key of keys) {
    const record = open.get(key);
    if (record !== undefined) found.set(key, record);
  }
  return found;
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
