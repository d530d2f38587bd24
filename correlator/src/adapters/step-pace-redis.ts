import type { Redis } from 'ioredis';
import type { StepPace } from '../ports.js';

/** What the shared step pace needs. */
export interface StepPaceRedisDeps {
  /** A regular connection (a read fails rather than queue forever when Redis is down). */
  readonly redis: Redis;
  readonly prefix: string;
}

/** The Redis keys of the step pace under a deployment prefix. */
export function stepPaceKeys(prefix: string) {
  return {
    /** Present while kicked steps rest after the last step (expires with the rest). */
    rest: `${prefix}:correlators:step-rest`,
    /** Present until the next timed step is due (expires with the interval). */
    due: `${prefix}:correlators:step-due`,
  } as const;
}

/** Ms left of a key's PX (PTTL answers -2 for no key, -1 for none set: both mean now). */
function leftMs(pttl: unknown): number {
  return typeof pttl === 'number' && pttl > 0 ? pttl : 0;
}

/**
 * The correlation steps' pace in Redis: two keys that expire when kicked and timed steps may
 * start again, whoever ran the last step. Times are the keys' TTLs, kept by Redis, so the
 * correlators' clocks need not agree; a correlator that dies mid-rest leaves keys that expire.
 */
export function createStepPaceRedis(deps: StepPaceRedisDeps): StepPace {
  const { redis } = deps;
  const keys = stepPaceKeys(deps.prefix);
  return {
    async read() {
      const answers = await redis.multi().pttl(keys.rest).pttl(keys.due).exec();
      if (answers === null) throw new Error('step pace read was aborted');
      const [rest, due] = answers.map(([error, value]) => {
        if (error) throw new Error('step pace read failed', { cause: error });
        return leftMs(value);
      });
      return { restMs: rest ?? 0, dueMs: due ?? 0 };
    },
    async ended(restMs, dueMs) {
      // PX takes whole, positive milliseconds; a rest under 1 ms is none.
      const transaction = redis.multi();
      if (Math.round(restMs) >= 1) transaction.set(keys.rest, '1', 'PX', Math.round(restMs));
      if (Math.round(dueMs) >= 1) transaction.set(keys.due, '1', 'PX', Math.round(dueMs));
      await transaction.exec();
    },
  };
}
