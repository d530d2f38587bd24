import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger, Webhook } from '@faultline/shared';
import { NOTIFICATIONS_QUEUE, notifyKey, type NotifyJob } from '../core/jobs.js';

/** What the notifications worker needs. */
export interface NotifyWorkerDeps {
  readonly connection: Redis;
  readonly prefix: string;
  readonly pool: pg.Pool;
  /** The configured targets: a push goes only to a URL found here, by the job's target name. */
  readonly webhooks: readonly Webhook[];
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/**
 * Delivers one push. Already delivered (by key) → nothing. A resolve waits (fails, to be retried
 * with backoff) until the push it answers was delivered. A non-2xx answer or a network error is
 * retried with backoff; a target no longer configured is given up.
 */
export async function deliverPush(
  deps: Pick<NotifyWorkerDeps, 'pool' | 'webhooks' | 'timeoutMs'>,
  job: NotifyJob,
): Promise<'sent' | 'already sent' | 'no longer needed'> {
  const target = deps.webhooks.find((w) => w.name === job.target);
  if (target === undefined)
    throw new UnrecoverableError(`webhook target "${job.target}" is not configured`);
  const sent = await deps.pool.query('SELECT 1 FROM notifications WHERE idempotency_key = $1', [
    job.idempotencyKey,
  ]);
  if (sent.rowCount !== null && sent.rowCount > 0) return 'already sent';
  if (job.kind === 'reminder') {
    const state = await deps.pool.query<{ state: string }>(
      'SELECT state FROM incidents WHERE id = $1',
      [job.incident.id],
    );
    // Acknowledged or resolved since: the reminder has nothing left to say.
    if (state.rows[0]?.state !== 'open') return 'no longer needed';
  }
  if (job.kind !== 'opened') {
    const opened = await deps.pool.query('SELECT 1 FROM notifications WHERE idempotency_key = $1', [
      notifyKey(job.target, job.incident.id, 'opened'),
    ]);
    if (opened.rowCount === 0) throw new Error('the push this one follows is not delivered yet');
  }
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': job.idempotencyKey },
    body: JSON.stringify({
      idempotencyKey: job.idempotencyKey,
      kind: job.kind,
      incident: job.incident,
      ...(job.reasons === undefined ? {} : { reasons: job.reasons }),
    }),
    signal: AbortSignal.timeout(deps.timeoutMs),
    redirect: 'error',
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`webhook ${job.target} answered ${String(response.status)}`);
  await deps.pool.query(
    `INSERT INTO notifications (idempotency_key, target, incident_id, kind, status)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [job.idempotencyKey, job.target, job.incident.id, job.kind, response.status],
  );
  return 'sent';
}

/** A BullMQ worker on the `notifications` queue. */
export function createNotifyWorker(deps: NotifyWorkerDeps): Worker {
  const worker = new Worker<NotifyJob>(NOTIFICATIONS_QUEUE, (job) => deliverPush(deps, job.data), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: 4,
  });
  worker.on('error', (error) => {
    deps.logger.error({ err: error }, 'notifications worker error');
  });
  worker.on('failed', (job, error) => {
    deps.logger.warn(
      { err: error, jobId: job?.id, attemptsMade: job?.attemptsMade },
      'push failed; it will be retried if attempts remain',
    );
  });
  return worker;
}
