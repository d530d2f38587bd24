import type { JobsOptions, Queue } from 'bullmq';
import type pg from 'pg';
import type { OutboxJob } from '../core/jobs.js';

/** What flushing the outbox needs. */
export interface OutboxDeps {
  readonly pool: pg.Pool;
  /** Producers by queue name. */
  readonly queues: ReadonlyMap<string, Queue>;
  /** Retry options by queue name. */
  readonly options: ReadonlyMap<string, JobsOptions>;
}

const BATCH = 500;

/**
 * Moves pending outbox rows into their BullMQ queues, under their deterministic job ids, and marks
 * them enqueued. Rows are locked with SKIP LOCKED, so several correlators flush side by side; a
 * crash after `add` and before the mark re-adds the same id later, which BullMQ ignores while the
 * job is kept (and the workers are idempotent when it is not). Returns how many were enqueued.
 */
export async function flushOutbox(deps: OutboxDeps): Promise<number> {
  const client = await deps.pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    const pending = await client.query<{
      job_id: string;
      queue: string;
      name: string;
      payload: unknown;
    }>(
      `SELECT job_id, queue, name, payload FROM outbox WHERE enqueued_at IS NULL
       ORDER BY created_at, job_id LIMIT ${String(BATCH)} FOR UPDATE SKIP LOCKED`,
    );
    for (const row of pending.rows) {
      const queue = deps.queues.get(row.queue);
      if (queue === undefined) throw new Error(`outbox names unknown queue "${row.queue}"`);
      await queue.add(row.name, row.payload, {
        ...deps.options.get(row.queue),
        jobId: row.job_id,
      });
    }
    if (pending.rows.length > 0) {
      await client.query('UPDATE outbox SET enqueued_at = now() WHERE job_id = ANY($1::text[])', [
        pending.rows.map((row) => row.job_id),
      ]);
    }
    await client.query('COMMIT');
    return pending.rows.length;
  } catch (error) {
    failure = new Error('flushing the outbox failed', { cause: error });
    await client.query('ROLLBACK').catch(() => undefined);
    throw failure;
  } finally {
    client.release(failure);
  }
}

const ADD_OUTBOX = `
  INSERT INTO outbox (job_id, queue, name, payload)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
  ON CONFLICT (job_id) DO NOTHING`;

/** Leaves jobs in the outbox, in the caller's transaction; an id already there is kept as it is. */
export async function addToOutbox(
  client: pg.PoolClient,
  jobs: readonly OutboxJob[],
): Promise<void> {
  if (jobs.length === 0) return;
  await client.query(ADD_OUTBOX, [
    jobs.map((j) => j.jobId),
    jobs.map((j) => j.queue),
    jobs.map((j) => j.name),
    jobs.map((j) => JSON.stringify(j.payload)),
  ]);
}
