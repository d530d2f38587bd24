import type pg from 'pg';
import {
  EVENTS_QUEUE,
  EVENT_BATCH_JOB,
  incidentFromRow,
  type IncidentRow,
} from '@faultline/shared';
import { staleAlarmClears } from '../core/auto-clean.js';
import { reminderJobs, type OutboxJob } from '../core/jobs.js';
import { remindersDue } from '../core/reminders.js';
import type { CorrelationPgDeps } from './correlation-pg.js';
import { addToOutbox } from './outbox.js';

/** Ids of applied batches forgotten per statement, so no delete holds its locks for long. */
const PRUNE_CHUNK = 10_000;
const PRUNE_APPLIED = `
  DELETE FROM applied_batches WHERE batch_id = ANY(ARRAY(
    SELECT batch_id FROM applied_batches WHERE applied_at < $1 LIMIT $2))`;

/**
 * Forgets the ids of batches applied before `beforeMs` (they exist to skip a redelivered batch;
 * past the redelivery horizon they only grow the table). Returns how many were forgotten.
 */
export async function pruneAppliedBatches(
  pool: Pick<pg.Pool, 'query'>,
  beforeMs: number,
): Promise<number> {
  const before = new Date(beforeMs).toISOString();
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(PRUNE_APPLIED, [before, PRUNE_CHUNK]);
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < PRUNE_CHUNK) return total;
  }
}

/**
 * Auto-clean: a clear event per stale open alarm, into the outbox for the `events` queue.
 */
export async function cleanStaleAlarms(
  client: pg.PoolClient,
  deps: Pick<CorrelationPgDeps, 'stalePolicy'>,
  nowMs: number,
): Promise<void> {
  const policy = deps.stalePolicy;
  const periods = [
    ...policy.byTypeMs.values(),
    ...(policy.anyMs === undefined ? [] : [policy.anyMs]),
  ];
  if (periods.length === 0) return;
  // Candidates by the shortest period (and only the listed types when no period covers every
  // type); the pure step applies each type's own.
  const cutoff = new Date(nowMs - Math.min(...periods)).toISOString();
  const rows = await client.query<{
    id: string;
    reduction_key: string;
    type: string;
    device: string;
    device_known: boolean;
    last_seen: Date;
    raised_at: Date;
  }>(
    `SELECT id, reduction_key, type, device, device_known, last_seen, raised_at FROM alarms
     WHERE state <> 'cleared' AND last_seen <= $1 AND raised_at <= $1
       AND ($2::text[] IS NULL OR type = ANY($2::text[]))`,
    [cutoff, policy.anyMs === undefined ? [...policy.byTypeMs.keys()] : null],
  );
  const events = staleAlarmClears(
    rows.rows.map((row) => ({
      id: row.id,
      reductionKey: row.reduction_key,
      type: row.type,
      device: row.device,
      deviceKnown: row.device_known,
      lastSeenMs: row.last_seen.getTime(),
      raisedAtMs: row.raised_at.getTime(),
    })),
    nowMs,
    policy,
  );
  if (events.length === 0) return;
  // One batch per alarm, under the clear's own id: added once however many steps see it.
  await addToOutbox(
    client,
    events.map((event) => ({
      jobId: event.id,
      queue: EVENTS_QUEUE,
      name: EVENT_BATCH_JOB,
      payload: { events: [event] },
    })),
  );
}

/** Reminders: pushes for open incidents nobody acknowledged, into the outbox. */
export async function remindUnacknowledged(
  client: pg.PoolClient,
  deps: Pick<CorrelationPgDeps, 'ackTimeoutMs' | 'webhookTargets'>,
  nowMs: number,
): Promise<void> {
  if (deps.ackTimeoutMs === undefined || deps.webhookTargets.length === 0) return;
  const rows = await client.query<
    IncidentRow & { announced_at: Date; reminders_sent: number; last_reminder_at: Date | null }
  >("SELECT * FROM incidents WHERE state = 'open' AND announced AND announced_at IS NOT NULL");
  const byId = new Map(rows.rows.map((row) => [row.id, row]));
  const due = remindersDue(
    rows.rows.map((row) => ({
      incidentId: row.id,
      state: 'open',
      announced: row.announced,
      announcedAtMs: row.announced_at.getTime(),
      remindersSent: row.reminders_sent,
      lastReminderAtMs: row.last_reminder_at?.getTime(),
    })),
    nowMs,
    deps.ackTimeoutMs,
  );
  const jobs: OutboxJob[] = [];
  for (const { incidentId, reminder } of due) {
    const row = byId.get(incidentId);
    if (row === undefined) continue;
    await client.query(
      'UPDATE incidents SET reminders_sent = $2, last_reminder_at = $3 WHERE id = $1',
      [incidentId, reminder, new Date(nowMs).toISOString()],
    );
    jobs.push(...reminderJobs(incidentFromRow(row), reminder, deps.webhookTargets));
  }
  await addToOutbox(client, jobs);
}
