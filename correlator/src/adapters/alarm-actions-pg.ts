import type pg from 'pg';
import { partitionOfKey, type AlarmChange } from '@faultline/shared';
import type { AlarmRecord } from '../core/alarm-reducer.js';
import { rowToRecord, type AlarmRow } from './alarm-rows.js';
import {
  BUMP_PARTITION,
  LOCK_PARTITION,
  PARTITION_LOCK_CLASS,
  UNLOCK_PARTITION,
} from './alarm-store-pg.js';

/** The outcome of a person's action on an alarm. */
export type AlarmActionOutcome =
  | { readonly ok: true; readonly record: AlarmRecord; readonly change: AlarmChange | undefined }
  | { readonly ok: false; readonly error: 'not-found' | 'cleared' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Acknowledges an open alarm for `actor`, under the lock of its key's partition (the one each
 * commit of the partition's events takes), so it never interleaves with an event batch of its key: the row and its history
 * in one transaction, then `afterCommit` (the Redis mirror and the live change) while the key is
 * still locked, so effects keep commit order per key as event batches do. Acknowledging twice
 * changes nothing; a cleared alarm cannot be acknowledged. A later escalation makes the alarm
 * active again (the reducer's rule).
 */
export async function acknowledgeAlarm(
  pool: pg.Pool,
  partitions: number,
  input: { readonly alarmId: string; readonly actor: string },
  afterCommit: (record: AlarmRecord, change: AlarmChange) => Promise<void>,
): Promise<AlarmActionOutcome> {
  if (!UUID.test(input.alarmId)) return { ok: false, error: 'not-found' };
  const found = await pool.query<{ reduction_key: string }>(
    'SELECT reduction_key FROM alarms WHERE id = $1',
    [input.alarmId],
  );
  const key = found.rows[0]?.reduction_key;
  if (key === undefined) return { ok: false, error: 'not-found' };
  const partition = partitionOfKey(key, partitions);
  const lock = [PARTITION_LOCK_CLASS, partition];
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query(LOCK_PARTITION, lock);
    try {
      await client.query('BEGIN');
      const locked = await client.query<AlarmRow>('SELECT * FROM alarms WHERE id = $1 FOR UPDATE', [
        input.alarmId,
      ]);
      const row = locked.rows[0];
      if (row === undefined || row.state === 'cleared') {
        await client.query('ROLLBACK');
        return { ok: false, error: row === undefined ? 'not-found' : 'cleared' };
      }
      if (row.state === 'acknowledged') {
        await client.query('COMMIT');
        return { ok: true, record: rowToRecord(row), change: undefined };
      }
      const updated = await client.query<AlarmRow>(
        `UPDATE alarms SET state = 'acknowledged', acknowledged_by = $2 WHERE id = $1 RETURNING *`,
        [input.alarmId, input.actor],
      );
      const updatedRow = updated.rows[0];
      if (updatedRow === undefined) throw new Error('the locked alarm row vanished');
      const record = rowToRecord(updatedRow);
      // The partition's owner keeps its open alarms in memory: the new version tells it to read
      // them again before its next commit.
      await client.query(BUMP_PARTITION, [partition]);
      await client.query(
        `INSERT INTO alarm_history (alarm_id, at, change, severity, actor, cause)
         VALUES ($1, now(), 'acknowledged', $2, $3, $4)`,
        [input.alarmId, record.alarm.severity, input.actor, `acknowledged by ${input.actor}`],
      );
      await client.query('COMMIT');
      const change: AlarmChange = { kind: 'acknowledged', alarm: record.alarm };
      await afterCommit(record, change);
      return { ok: true, record, change };
    } finally {
      await client.query(UNLOCK_PARTITION, lock).catch((error: unknown) => {
        failure ??= new Error('unlocking an alarm partition failed', { cause: error });
      });
    }
  } catch (error) {
    failure = new Error('acknowledging an alarm failed', { cause: error });
    await client.query('ROLLBACK').catch(() => undefined);
    throw failure;
  } finally {
    // A client that failed may hold a lock or a broken transaction: destroy it, never reuse it.
    client.release(failure);
  }
}
