import type { Redis } from 'ioredis';
import type { Static, TSchema } from '@sinclair/typebox';
import { createValidator, type Logger } from '@faultline/shared';
import type { ChangeFeed, HealthProbe } from '../ports.js';

/**
 * Subscribes to one pub/sub channel on its own connection (a subscribed ioredis connection can
 * run nothing else) and hands each message valid against `schema` to the callback (alarm changes,
 * incident changes). Malformed messages are logged and dropped: one bad publisher must not break
 * every dashboard.
 */
export function createRedisFeed<S extends TSchema>(deps: {
  redis: Redis;
  channel: string;
  schema: S;
  logger: Logger;
}): ChangeFeed<Static<S>> {
  const { channel, logger } = deps;
  const validator = createValidator(deps.schema);
  let subscriber: Redis | undefined;
  return {
    async start(onChange) {
      // A subscriber never gives up: without ioredis's retry limit, a start before Redis is up
      // waits for it instead of failing.
      const connection = deps.redis.duplicate({ maxRetriesPerRequest: null });
      subscriber = connection;
      connection.on('error', (error: unknown) => {
        logger.warn({ err: error }, 'change feed redis connection error');
      });
      connection.on('message', (received: string, message: string) => {
        if (received !== channel) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(message);
        } catch {
          logger.warn({ channel }, 'change is not JSON; dropped');
          return;
        }
        const checked = validator.check(parsed);
        if (!checked.ok) {
          logger.warn(
            { channel, problems: checked.problems.slice(0, 5) },
            'invalid change; dropped',
          );
          return;
        }
        try {
          onChange(checked.value);
        } catch (error) {
          logger.error({ err: error }, 'change handler failed');
        }
      });
      await connection.subscribe(channel);
    },
    async stop() {
      if (subscriber === undefined) return;
      const connection = subscriber;
      subscriber = undefined;
      try {
        await connection.quit();
      } catch {
        connection.disconnect();
      }
    },
  };
}

/** A health probe that PINGs Redis. */
export function createRedisProbe(deps: { redis: Redis }): HealthProbe {
  return async () => {
    try {
      await deps.redis.ping();
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : 'ping failed' };
    }
  };
}
