import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { ADD_TICKET_EVENT, UPSERT_TICKET, ticketParams, type Logger } from '@faultline/shared';
import { TICKETS_QUEUE, type TicketJob } from '../core/jobs.js';
import type { TimelineSignal } from './timeline-signal.js';

/** What the tickets worker needs. */
export interface TicketWorkerDeps {
  readonly connection: Redis;
  readonly prefix: string;
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** Told once the entry is stored, so open incident pages show it. */
  readonly timelineGrew: TimelineSignal;
}

/** The timeline entry a ticket job writes. */
export function ticketEventBody(job: TicketJob): string {
  const { incident } = job;
  const services =
    incident.impactedServices.length === 0
      ? 'no customer service impacted'
      : `impacted: ${incident.impactedServices.map((s) => `${s.customerId}/${s.serviceId}`).join(', ')}`;
  const alarms = `${String(incident.alarmIds.length)} alarm(s), root ${incident.rootAlarmIds.join(', ')}`;
  switch (job.kind) {
    case 'opened':
      return `Opened: ${incident.title} (${incident.severity}); ${services}; ${alarms}`;
    case 'resolved':
      return `Resolved: ${incident.resolution ?? 'resolved'}`;
    case 'comment':
      return job.note ?? '';
    case 'acknowledged':
      return `Acknowledged by ${incident.acknowledgedBy ?? job.actor ?? 'someone'}`;
    default:
      // What changed, when the change says it (the correlator's reasons, a person's note).
      return job.note === undefined
        ? `Updated: ${incident.title} (${incident.severity}, ${incident.state}); ${services}; ${alarms}`
        : `Updated: ${job.note}`;
  }
}

/**
 * Applies one ticket job: the ticket row follows the incident (only forward: an older version never
 * overwrites a newer one) and the timeline gains one entry keyed by the job id, so a retry or a
 * replay writes nothing twice.
 */
export async function applyTicketJob(pool: pg.Pool, jobId: string, job: TicketJob): Promise<void> {
  const { incident } = job;
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query(UPSERT_TICKET, ticketParams(incident));
    await client.query(ADD_TICKET_EVENT, [
      incident.ticketId,
      jobId,
      job.at ?? incident.updatedAt,
      job.kind,
      job.actor ?? 'system',
      ticketEventBody(job),
    ]);
    await client.query('COMMIT');
  } catch (error) {
    failure = new Error('applying a ticket job failed', { cause: error });
    await client.query('ROLLBACK').catch(() => undefined);
    throw failure;
  } finally {
    client.release(failure);
  }
}

/** A BullMQ worker on the `tickets` queue. */
export function createTicketWorker(deps: TicketWorkerDeps): Worker {
  const worker = new Worker<TicketJob>(
    TICKETS_QUEUE,
    async (job) => {
      await applyTicketJob(deps.pool, job.id ?? job.name, job.data);
      await deps.timelineGrew(job.data.incident.id);
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on('error', (error) => {
    deps.logger.error({ err: error }, 'tickets worker error');
  });
  worker.on('failed', (job, error) => {
    deps.logger.warn({ err: error, jobId: job?.id }, 'ticket job failed; it will be retried');
  });
  return worker;
}
