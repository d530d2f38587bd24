import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '@faultline/shared';
import type { DeadLetterStore } from '../ports.js';

/** The Redis list of refused telemetry messages, newest first: `<prefix>:telemetry:dead-letter`. */
export function telemetryDeadLetterKey(prefix: string): string {
  return `${prefix}:telemetry:dead-letter`;
}

/**
 * Keeps the newest `maxEntries` dead letters in a Redis list (LPUSH then LTRIM in one MULTI, so
 * the list never exceeds the cap). Requests fail fast while Redis is down instead of queueing in
 * memory: the subscriber must not stall behind a store that is only there for inspection.
 */
export function createDeadLetterStore(deps: {
  /** How to reach Redis (`redisOptions` of the settings). */
  readonly connection: RedisOptions;
  readonly key: string;
  readonly maxEntries: number;
  readonly logger: Logger;
}): DeadLetterStore {
  const redis = new Redis({
    ...deps.connection,
    connectionName: 'faultline-collector-dead-letters',
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  let failures = 0;
  redis.on('error', (error) => {
    // Once per outage, not at every reconnect attempt.
    if (failures++ === 0) deps.logger.warn({ err: error }, 'dead-letter store connection error');
  });
  redis.on('ready', () => {
    failures = 0;
  });
  const connecting = redis.connect().catch(() => undefined);
  return {
    async push(letter) {
      if (deps.maxEntries === 0) return;
      await connecting;
      await redis
        .multi()
        .lpush(deps.key, JSON.stringify(letter))
        .ltrim(deps.key, 0, deps.maxEntries - 1)
        .exec();
    },
    async close() {
      await connecting;
      await redis.quit().catch(() => {
        redis.disconnect();
      });
    },
  };
}
