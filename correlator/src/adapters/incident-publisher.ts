import type { Redis } from 'ioredis';
import { channels, hotStateKeys } from '@faultline/shared';
import type { CorrelationStep } from './correlation-pg.js';

const SET_IF_PRESENT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return 0`;

/**
 * Publishes a correlation step: the alarms it annotated (root cause, incident) are rewritten in the
 * hot state hash, and each incident change goes out on `channels(prefix).incidents`, in one MULTI.
 */
export function createIncidentPublisher(deps: { readonly redis: Redis; readonly prefix: string }) {
  const hash = hotStateKeys(deps.prefix).openAlarms;
  const channel = channels(deps.prefix).incidents;
  return async (step: CorrelationStep): Promise<void> => {
    if (step.annotatedAlarms.length === 0 && step.changes.length === 0) return;
    const transaction = deps.redis.multi();
    // Only alarms still mirrored: one cleared meanwhile must not come back into the hash.
    for (const alarm of step.annotatedAlarms)
      transaction.eval(SET_IF_PRESENT, 1, hash, alarm.reductionKey, JSON.stringify(alarm));
    for (const change of step.changes) transaction.publish(channel, JSON.stringify(change));
    const results = await transaction.exec();
    if (results === null) throw new Error('Redis discarded the incident transaction');
    const failed = results.find(([error]) => error !== null);
    if (failed?.[0]) throw new Error('Redis rejected an incident command', { cause: failed[0] });
  };
}
