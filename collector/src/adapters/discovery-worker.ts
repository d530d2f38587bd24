import { Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import {
  ApprovedTopologySchema,
  createValidator,
  DISCOVERY_QUEUE,
  DISCOVERY_SCHEDULED_JOB,
  discoveryKeys,
  type Logger,
} from '@faultline/shared';
import type { DiscoveryService, DiscoveryStore } from '../app/discovery-service.js';

const approvedValidator = createValidator(ApprovedTopologySchema);
/** The scheduler's id: one schedule per instance, whatever number of collectors upsert it. */
const SCHEDULER_ID = 'discovery-every';

/** The Redis side of discovery: its keys, the runs' queue and its schedule. */
export interface DiscoveryWorker {
  readonly store: DiscoveryStore;
  close(): Promise<void>;
}

/**
 * Works the `discovery` queue one run at a time in this collector (BullMQ hands each job to one
 * collector of many), and keeps the schedule of re-discovery when `intervalS` is set. Runs,
 * progress and the approved topology's mirror live under `discoveryKeys(prefix)`.
 */
export function createDiscoveryWorker(deps: {
  /** Redis (a URL's settings or Sentinel's: `redisOptions`). */
  readonly connection: RedisOptions;
  readonly prefix: string;
  readonly intervalS: number | undefined;
  readonly service: () => DiscoveryService;
  readonly logger: Logger;
}): DiscoveryWorker {
  const { logger } = deps;
  const keys = discoveryKeys(deps.prefix);
  const redis = new Redis({
    ...deps.connection,
    connectionName: 'faultline-collector-discovery',
    maxRetriesPerRequest: null,
  });
  redis.on('error', (error) => {
    logger.warn({ err: error }, 'discovery redis error');
  });
  const store: DiscoveryStore = {
    async saveProgress(progress) {
      await redis.set(keys.progress, JSON.stringify(progress));
    },
    async saveRun(run) {
      await redis.set(keys.lastRun, JSON.stringify(run));
    },
    async approved() {
      const text = await redis.get(keys.approved);
      if (text === null) return undefined;
      const checked = approvedValidator.check(JSON.parse(text));
      if (!checked.ok) {
        logger.warn({ problems: checked.problems }, 'approved topology mirror is not valid');
        return undefined;
      }
      return checked.value.topology;
    },
  };
  const queue = new Queue(DISCOVERY_QUEUE, { connection: redis, prefix: deps.prefix });
  queue.on('error', (error) => {
    logger.warn({ err: error }, 'discovery queue error');
  });
  if (deps.intervalS !== undefined) {
    queue
      .upsertJobScheduler(
        SCHEDULER_ID,
        { every: deps.intervalS * 1000 },
        {
          name: DISCOVERY_SCHEDULED_JOB,
          opts: { removeOnComplete: 100, removeOnFail: 100 },
        },
      )
      .catch((error: unknown) => {
        logger.error({ err: error }, 'discovery schedule not set');
      });
  }
  const worker = new Worker(
    DISCOVERY_QUEUE,
    async (job) => {
      const trigger = job.name === DISCOVERY_SCHEDULED_JOB ? 'scheduled' : 'requested';
      const run = await deps.service().run(job.id ?? String(Date.now()), trigger);
      return { devices: run.devices.length, links: run.links.length };
    },
    { connection: redis.duplicate(), prefix: deps.prefix, concurrency: 1 },
  );
  worker.on('error', (error) => {
    logger.warn({ err: error }, 'discovery worker error');
  });
  worker.on('failed', (job, error) => {
    logger.error({ err: error, job: job?.id }, 'discovery run failed');
  });
  return {
    store,
    async close() {
      await worker.close();
      await queue.close();
      await worker.disconnect();
      redis.disconnect();
    },
  };
}
