import type { Redis } from 'ioredis';
import { channels, hotStateKeys, type Alarm, type AlarmChange } from '@faultline/shared';
import type { AppliedBatch, HotState } from '../ports.js';

/** What the Redis hot state needs. */
export interface HotStateRedisDeps {
  /** A regular (non-blocking) connection; commands fail rather than queue forever when down. */
  readonly redis: Redis;
  readonly prefix: string;
}

/**
 * Mirrors open alarms into the hash `hotStateKeys(prefix).openAlarms` and publishes each change on
 * `channels(prefix).alarms`, in one MULTI per batch: readers never see half a batch, and a
 * subscriber that reads the hash on a change message finds at least that change.
 *
 * Every key the batch touched is rewritten from the committed state (not only the keys that
 * changed), so a retry after a failed mirror repairs the hash even though its events are all
 * duplicates by then.
 */
export function createHotStateRedis(deps: HotStateRedisDeps): HotState {
  const hash = hotStateKeys(deps.prefix).openAlarms;
  const channel = channels(deps.prefix).alarms;
  return {
    async mirror(applied: AppliedBatch): Promise<void> {
      if (applied.keys.length === 0) return;
      const transaction = deps.redis.multi();
      // An alarm is serialized once, for the hash and for its change message alike.
      const serialized = new Map<Alarm, string>();
      const json = (alarm: Alarm): string => {
        let text = serialized.get(alarm);
        if (text === undefined) serialized.set(alarm, (text = JSON.stringify(alarm)));
        return text;
      };
      const closed: string[] = [];
      const open: string[] = [];
      for (const key of applied.keys) {
        const record = applied.open.get(key);
        if (record === undefined) closed.push(key);
        else open.push(key, json(record.alarm));
      }
      // One command for all the batch's open alarms: a storm's commit writes thousands.
      if (open.length > 0) transaction.hset(hash, ...open);
      if (closed.length > 0) transaction.hdel(hash, ...closed);
      for (const { kind, alarm } of applied.writes.changes satisfies readonly AlarmChange[])
        transaction.publish(channel, `{"kind":${JSON.stringify(kind)},"alarm":${json(alarm)}}`);
      const results = await transaction.exec();
      if (results === null) throw new Error('Redis discarded the hot state transaction');
      const failed = results.find(([error]) => error !== null);
      if (failed?.[0]) throw new Error('Redis rejected a hot state command', { cause: failed[0] });
    },
  };
}
