import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Component, Runtime } from '@faultline/shared';
import { createAlarmStorePg } from './adapters/alarm-store-pg.js';
import { createEventWorker } from './adapters/event-worker.js';
import { createHotStateRedis } from './adapters/hot-state-redis.js';
import { createPostgresPool, migrateWithPool } from './adapters/postgres.js';
import { createProcessBatch } from './app/process-batch.js';

/** What the correlator needs. */
export interface CorrelatorDeps {
  readonly runtime: Runtime;
  /** Event batches processed at once by this process (default 4). */
  readonly concurrency?: number;
}

const DEFAULT_CONCURRENCY = 4;

/**
 * The correlator: consumes event batches from the `events` queue and turns them into alarms in
 * PostgreSQL, mirrored in Redis and published live. Any number may run side by side.
 */
export function createCorrelator(deps: CorrelatorDeps): Component {
  const { settings } = deps.runtime;
  const logger = deps.runtime.logger.child({ component: 'correlator' });
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  // Teardown stack: each resource registers its release as soon as it exists; stop (or a failed
  // start) runs them newest first, so the worker drains before the connections it uses close.
  const teardown: { name: string; run: () => Promise<unknown> }[] = [];

  async function stopAll(): Promise<void> {
    let firstError: unknown;
    for (let step = teardown.pop(); step !== undefined; step = teardown.pop()) {
      try {
        await step.run();
      } catch (error) {
        logger.error({ err: error, step: step.name }, 'correlator teardown step failed');
        firstError ??= error;
      }
    }
    if (firstError !== undefined)
      throw new Error('correlator stopped uncleanly', { cause: firstError });
  }

  function redisConnection(name: string, options: { maxRetriesPerRequest: number | null }): Redis {
    const redis = new Redis(settings.redisUrl, { ...options, connectionName: name });
    redis.on('error', (error) => {
      logger.warn({ err: error, connection: name }, 'Redis connection error');
    });
    teardown.push({ name: `redis ${name}`, run: () => redis.quit() });
    return redis;
  }

  return {
    name: 'correlator',
    async start() {
      try {
        const pool = createPostgresPool({
          databaseUrl: settings.databaseUrl,
          maxConnections: concurrency + 2,
          logger,
        });
        teardown.push({ name: 'postgres pool', run: () => pool.end() });
        const applied = await migrateWithPool(pool);
        if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
        // The mirror gives up after ioredis's default retries (the job is then retried); the
        // worker connection must never give up, as BullMQ requires.
        const stateRedis = redisConnection('correlator-state', { maxRetriesPerRequest: 20 });
        const workerRedis = redisConnection('correlator-worker', { maxRetriesPerRequest: null });
        const processBatch = createProcessBatch({
          store: createAlarmStorePg({ pool, newAlarmId: randomUUID }),
          hotState: createHotStateRedis({ redis: stateRedis, prefix: settings.prefix }),
          logger,
        });
        const worker = createEventWorker({
          connection: workerRedis,
          prefix: settings.prefix,
          concurrency,
          logger,
          process: processBatch,
        });
        // close() waits for the batches in flight to finish.
        teardown.push({ name: 'events worker', run: () => worker.close() });
        await worker.waitUntilReady();
      } catch (error) {
        await stopAll().catch(() => undefined);
        throw new Error('correlator failed to start', { cause: error });
      }
    },
    stop: stopAll,
  };
}
