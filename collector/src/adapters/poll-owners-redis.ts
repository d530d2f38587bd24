import { Redis, type RedisOptions } from 'ioredis';
import type { PollOwners } from '../ports.js';

// KEYS: members (zset member → lease end), owners (hash device → "member|lease end"), last polls
// (hash device → epoch ms). ARGV: member, lease ms, devices… Redis's clock decides every lease,
// so collectors' clocks never have to agree. A member's share is ceil(devices / live members):
// it gives up what is over its share first, then takes free devices up to it, in config order.
const CLAIM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local me, lease = ARGV[1], tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + lease, me)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local share = math.ceil((#ARGV - 2) / redis.call('ZCARD', KEYS[1]))
local mine, free = {}, {}
for i = 3, #ARGV do
  local device = ARGV[i]
  local owner = redis.call('HGET', KEYS[2], device)
  if owner then
    local bar = string.find(owner, '|', 1, true)
    if string.sub(owner, 1, bar - 1) == me then
      table.insert(mine, device)
    elseif tonumber(string.sub(owner, bar + 1)) <= now then
      table.insert(free, device)
    end
  else
    table.insert(free, device)
  end
end
while #mine > share do
  redis.call('HDEL', KEYS[2], table.remove(mine))
end
for _, device in ipairs(free) do
  if #mine >= share then break end
  table.insert(mine, device)
end
local result = {}
for _, device in ipairs(mine) do
  redis.call('HSET', KEYS[2], device, me .. '|' .. tostring(now + lease))
  table.insert(result, device)
  table.insert(result, redis.call('HGET', KEYS[3], device) or '')
end
return result`;

// KEYS: members, owners. ARGV: member, devices…
const RELEASE = `
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 2, #ARGV do
  local owner = redis.call('HGET', KEYS[2], ARGV[i])
  if owner and string.sub(owner, 1, #ARGV[1] + 1) == ARGV[1] .. '|' then
    redis.call('HDEL', KEYS[2], ARGV[i])
  end
end
return 0`;

/** The Redis keys of poll sharing under a deployment's prefix. */
export function pollOwnerKeys(prefix: string) {
  return {
    members: `${prefix}:pollers:members`,
    owners: `${prefix}:pollers:owners`,
    lastPolls: `${prefix}:pollers:last-poll`,
  } as const;
}

/**
 * Poll ownership in Redis (`PollOwners`). `leaseMs` is how long a member and its devices stay
 * its own without a renewal: a collector that dies loses them that long after its last claim.
 */
export function createPollOwnersRedis(deps: {
  readonly connection: RedisOptions;
  readonly prefix: string;
  readonly leaseMs: number;
  /** Every configured device, in config order (the order devices are taken in). */
  readonly devices: readonly string[];
  readonly onError: (error: unknown) => void;
}): PollOwners {
  const keys = pollOwnerKeys(deps.prefix);
  const redis = new Redis({
    ...deps.connection,
    connectionName: 'faultline-collector-poll-owners',
    maxRetriesPerRequest: 1,
  });
  redis.on('error', deps.onError);
  return {
    async claim(member) {
      const flat = (await redis.eval(
        CLAIM,
        3,
        keys.members,
        keys.owners,
        keys.lastPolls,
        member,
        String(deps.leaseMs),
        ...deps.devices,
      )) as string[];
      const owned = new Map<string, number | undefined>();
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const last = flat[i + 1];
        owned.set(flat[i] ?? '', last === undefined || last === '' ? undefined : Number(last));
      }
      return owned;
    },
    async polled(device, timeMs) {
      await redis.hset(keys.lastPolls, device, String(timeMs));
    },
    async release(member) {
      await redis.eval(RELEASE, 2, keys.members, keys.owners, member, ...deps.devices);
    },
    async close() {
      await redis.quit().catch(() => undefined);
    },
  };
}
