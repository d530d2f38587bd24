import { Redis, type RedisOptions } from 'ioredis';
import {
  AlarmSchema,
  createValidator,
  hotStateKeys,
  type Alarm,
  type Logger,
} from '@faultline/shared';
import type { OpenAlarmReader } from '../ports.js';

/** Keys asked for in one HMGET: a thousand devices' interfaces take a few dozen round trips. */
const KEYS_PER_READ = 1000;

const alarmValidator = createValidator(AlarmSchema);

/**
 * Reads open alarms from the correlator's hash with HMGET, over a connection of its own for the
 * one read (opened and closed by `read`). Commands fail fast while Redis is down rather than
 * queue. An entry that is not a valid `Alarm` is logged and left out: one bad entry must not keep
 * the others from being verified.
 */
export function createOpenAlarmsRedis(deps: {
  /** How to reach Redis (`redisOptions` of the settings). */
  readonly connection: RedisOptions;
  readonly prefix: string;
  readonly logger: Logger;
}): OpenAlarmReader {
  const hash = hotStateKeys(deps.prefix).openAlarms;
  return {
    async read(reductionKeys) {
      const found = new Map<string, Alarm>();
      if (reductionKeys.length === 0) return found;
      const redis = new Redis({
        ...deps.connection,
        connectionName: 'faultline-collector-open-alarms',
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        lazyConnect: true,
        retryStrategy: () => null,
      });
      // Failures surface through the rejected commands below.
      redis.on('error', () => undefined);
      try {
        await redis.connect();
        for (let start = 0; start < reductionKeys.length; start += KEYS_PER_READ) {
          const keys = reductionKeys.slice(start, start + KEYS_PER_READ);
          const values = await redis.hmget(hash, ...keys);
          keys.forEach((key, n) => {
            const value = values[n];
            if (value === null || value === undefined) return;
            const alarm = parseAlarm(value);
            if (alarm.ok) found.set(key, alarm.value);
            else deps.logger.warn({ key, problem: alarm.problem }, 'open alarm entry unreadable');
          });
        }
        return found;
      } catch (error) {
        throw new Error(`reading open alarms from ${hash} failed`, { cause: error });
      } finally {
        redis.disconnect();
      }
    },
  };
}

function parseAlarm(text: string): { ok: true; value: Alarm } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const checked = alarmValidator.check(json);
  if (checked.ok) return checked;
  return { ok: false, problem: checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
}
