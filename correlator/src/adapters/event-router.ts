import type { Job, JobsOptions, Queue, QueueEvents } from 'bullmq';
import { EVENT_BATCH_JOB, splitByPartition, type EventBatch, type Logger } from '@faultline/shared';
import { sumCounts, type DecisionCounts } from '../core/decision-counts.js';

/** What routing `events` batches to the partitions needs. */
export interface EventRouterDeps {
  /** Each partition's events queue, by partition number. */
  readonly queues: readonly Queue[];
  /** Each partition queue's events (to wait for a routed batch), by partition number. */
  readonly queueEvents: readonly QueueEvents[];
  /** The options of a routed batch (attempts, backoff, retention). */
  readonly jobOptions: JobsOptions;
  /**
   * Resolves once the parts just added reached the Redis replicas the deployment asks for
   * (`REDIS_WAIT_REPLICAS`), and rejects when they did not (the batch is then retried, its parts
   * added again under their ids). Absent: no replica is waited for.
   */
  readonly waitForReplicas?: () => Promise<void>;
  /**
   * How long a part is waited for before it is looked up again (default 30 s): a part that a
   * failed-over primary took with it, or whose completion the queue events missed, is added again
   * under its id (a no-op when it is there) instead of being waited for forever.
   */
  readonly partWaitMs?: number;
  /** Counted into each time a part its queue no longer held is added again. */
  readonly readded: { count: number };
  readonly logger: Logger;
}

const DEFAULT_PART_WAIT_MS = 30_000;

/**
 * Routes a batch of the shared `events` queue to the partitions. The collector routes its events
 * itself (`createEventQueue`); this drains what other producers put there: auto-clean's clears,
 * tests, and a collector of an older version during a rolling upgrade. Each partition's events
 * become one job of its queue, `<job id>-p<partition>`, so a redelivered job routes to the same
 * jobs (BullMQ ignores an id it holds), and a part applied before is skipped by its owner (its
 * identity is the digest of its events, the same however often it is routed). The batch completes
 * once every part is applied, with the sum of their counts: its producer sees it applied.
 */
export function createEventRouter(
  deps: EventRouterDeps,
): (batch: EventBatch, jobId: string) => Promise<DecisionCounts> {
  const partitions = deps.queues.length;
  const partWaitMs = deps.partWaitMs ?? DEFAULT_PART_WAIT_MS;

  interface Part {
    readonly partition: number;
    readonly id: string;
    readonly events: EventBatch['events'];
    readonly queue: Queue;
    readonly queueEvents: QueueEvents;
  }

  const addPart = (part: Part): Promise<Job> =>
    part.queue.add(
      EVENT_BATCH_JOB,
      { events: part.events },
      { ...deps.jobOptions, jobId: part.id },
    );

  /** Waits for a part to be applied; one lost meanwhile is added again. */
  async function settled(part: Part, added: Job): Promise<DecisionCounts> {
    let job = added;
    for (;;) {
      try {
        return (await job.waitUntilFinished(part.queueEvents, partWaitMs)) as DecisionCounts;
      } catch (error) {
        // A failure, a timeout, or a job gone: which one, its state says.
        const state = await part.queue.getJobState(part.id);
        if (state === 'failed') throw error;
        if (state === 'completed') {
          const done = await part.queue.getJob(part.id);
          if (done !== undefined) return done.returnvalue as DecisionCounts;
        }
        if (state === 'unknown') {
          deps.readded.count += 1;
          deps.logger.warn(
            { jobId: part.id, partition: part.partition },
            'a routed batch part its queue no longer holds (a Redis failover?) was added again',
          );
        }
        job = await addPart(part);
        await deps.waitForReplicas?.();
      }
    }
  }

  // Parts are added one routed batch after the other, in the order the worker took the batches
  // (a linkUp routed before the linkDown it clears would find nothing to clear); the waits for
  // them overlap.
  let adding: Promise<unknown> = Promise.resolve();
  return async (batch, jobId) => {
    const parts = [...splitByPartition(batch.events, partitions)].map(
      ([partition, events]): Part => {
        const queue = deps.queues[partition];
        const queueEvents = deps.queueEvents[partition];
        if (queue === undefined || queueEvents === undefined)
          throw new Error(`no queue for partition ${String(partition)}`);
        return { partition, id: `${jobId}-p${String(partition)}`, events, queue, queueEvents };
      },
    );
    const added = adding.then(async () => {
      const jobs = await Promise.all(parts.map(addPart));
      // Acknowledged by a primary that fails before replicating them, the parts would be lost
      // while this batch waits for them.
      await deps.waitForReplicas?.();
      return jobs;
    });
    adding = added.catch(() => undefined);
    const jobs = await added;
    const results = await Promise.all(
      parts.map((part, index) => {
        const job = jobs[index];
        if (job === undefined) throw new Error(`part ${part.id} was not added`);
        return settled(part, job);
      }),
    );
    return sumCounts(results);
  };
}
