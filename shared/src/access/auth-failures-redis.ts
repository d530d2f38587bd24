import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { AuthFailureGuard } from './auth-failure-guard.js';

// One fixed window per address: the first failure starts it, later ones only count.
const COUNT_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * The auth failure guard on Redis: one counter per address with the window as its TTL. A Redis
 * outage lets requests through (logged), as the general rate limit does: auth itself still holds.
 */
export function createRedisAuthFailureGuard(deps: {
  redis: Redis;
  prefix: string;
  maxFailures: number;
  windowMs: number;
  logger: Logger;
}): AuthFailureGuard {
  const key = (address: string) => `${deps.prefix}:auth-failures:${address}`;
  return {
    async isBlocked(address) {
      try {
        const count = await deps.redis.get(key(address));
        return count !== null && Number(count) >= deps.maxFailures;
      } catch (error) {
        deps.logger.warn({ err: error }, 'auth failure count unavailable; not limiting');
        return false;
      }
    },
    async recordFailure(address) {
      try {
        await deps.redis.eval(COUNT_FAILURE, 1, key(address), String(deps.windowMs));
      } catch (error) {
        deps.logger.warn({ err: error }, 'auth failure not counted');
      }
    },
  };
}
