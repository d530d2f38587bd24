import type { Redis } from 'ioredis';
import { channels, hotStateKeys, incidentStateKeys, type IncidentChange } from '@faultline/shared';
import type { CorrelationStep } from '../ports.js';

const SET_IF_PRESENT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return 0`;

// ARGV: id, version, JSON ('' to remove). Keeps the newer of the stored and the given version.
const SET_INCIDENT = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local stored = cjson.decode(current)
  if tonumber(stored['version']) >= tonumber(ARGV[2]) and ARGV[3] ~= '' then return 0 end
end
if ARGV[3] == '' then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])`;

/**
 * Publishes a correlation step: the alarms it annotated (root cause, incident) are rewritten in the
 * hot state hash, each unresolved incident is written to `incidentStateKeys(prefix).openIncidents`
 * (a resolved one removed), and each change goes out on `channels(prefix).incidents`, in one MULTI.
 */
export function createIncidentPublisher(deps: { readonly redis: Redis; readonly prefix: string }) {
  const hash = hotStateKeys(deps.prefix).openAlarms;
  const channel = channels(deps.prefix).incidents;
  const incidents = incidentStateKeys(deps.prefix).openIncidents;
  return async (step: CorrelationStep): Promise<void> => {
    if (step.annotatedAlarms.length === 0 && step.changes.length === 0) return;
    const transaction = deps.redis.multi();
    // Only alarms still mirrored: one cleared meanwhile must not come back into the hash.
    for (const alarm of step.annotatedAlarms)
      transaction.eval(SET_IF_PRESENT, 1, hash, alarm.reductionKey, JSON.stringify(alarm));
    for (const change of step.changes) {
      // Versions only move forward: a slower publisher never puts an older incident back.
      transaction.eval(
        SET_INCIDENT,
        1,
        incidents,
        change.incident.id,
        String(change.incident.version),
        change.incident.state === 'resolved' ? '' : JSON.stringify(change.incident),
      );
      transaction.publish(channel, JSON.stringify(change));
    }
    const results = await transaction.exec();
    if (results === null) throw new Error('Redis discarded the incident transaction');
    const failed = results.find(([error]) => error !== null);
    if (failed?.[0]) throw new Error('Redis rejected an incident command', { cause: failed[0] });
  };
}

/**
 * Publishes incident changes made outside a correlation step (the api's acknowledge, assign and
 * resolve): the hot incident hash and the incidents channel, as the correlator does.
 */
export async function publishIncidentChanges(
  redis: Redis,
  prefix: string,
  changes: readonly IncidentChange[],
): Promise<void> {
  await createIncidentPublisher({ redis, prefix })({
    skipped: false,
    plan: undefined,
    annotatedAlarms: [],
    changes,
  });
}
