import type { Redis } from 'ioredis';
import { partitionOfKey, type Logger } from '@faultline/shared';

/** What the partition leases need. */
export interface PartitionLeasesDeps {
  /** A regular connection (commands fail rather than queue forever when Redis is down). */
  readonly redis: Redis;
  readonly prefix: string;
  readonly partitions: number;
  /** How long a lease outlives its owner's last renewal, ms. */
  readonly ttlMs: number;
  /** This process's id (unique per process). */
  readonly owner: string;
  readonly logger: Logger;
  /** Starts applying a partition (this process now holds its lease). */
  readonly start: (partition: number) => Promise<void>;
  /**
   * Stops applying a partition: `drain` lets the batches in hand finish (a handover), otherwise
   * they are abandoned (the lease was lost: another process owns the partition already).
   */
  readonly stop: (partition: number, drain: boolean) => Promise<void>;
}

/** The leases a process holds, and what it has taken over. */
export interface PartitionLeases {
  /**
   * Beats once without taking anything: call at start, a balance period before the first
   * `balance`, so that correlators started together see each other and take their shares instead
   * of the first taking every partition (handing one back waits for the batches it holds, which
   * under a backlog is the partition's whole backlog). Never throws (failures are logged).
   */
  join(): Promise<void>;
  /** Renews the leases held; call every `ttlMs / 5`. Never throws (failures are logged). */
  renew(): Promise<void>;
  /**
   * Beats, then takes free partitions up to this process's share or hands back its surplus;
   * call every `ttlMs / 5`, apart from `renew` (a drained handover may take a while). Never
   * throws (failures are logged).
   */
  balance(): Promise<void>;
  /** Partitions this process owns now. */
  owned(): readonly number[];
  /** Partitions taken over from a process that stopped renewing its lease, since start. */
  readonly takenOver: { count: number };
  /** Hands every partition back (drained) and leaves the group. */
  release(): Promise<void>;
}

// KEYS[1] the live set (zset: owner → last beat, Redis clock ms). ARGV: owner, ttl ms.
// Records the beat, forgets owners silent for a ttl, answers with the number alive.
const BEAT = `
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZADD', KEYS[1], now, ARGV[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
  return redis.call('ZCARD', KEYS[1])`;
// KEYS[1] a lease. ARGV: owner, ttl ms. 1 when renewed, 0 when it is no longer the owner's.
const RENEW = `
  if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('PEXPIRE', KEYS[1], ARGV[2])
  end
  return 0`;
// KEYS[1] a lease, KEYS[2] its holder record. ARGV: owner, ttl ms. The previous holder when taken
// ('' if it was handed back or never held), false when another process holds it.
const TAKE = `
  if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
    return redis.call('GETSET', KEYS[2], ARGV[1]) or ''
  end
  return false`;
// KEYS[1] a lease, KEYS[2] its holder record. ARGV: owner. Hands a lease back.
const HAND_BACK = `
  if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('DEL', KEYS[1])
    if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('SET', KEYS[2], '') end
  end
  return 1`;

/** The Redis keys of the leases under a deployment prefix. */
export function leaseKeys(prefix: string) {
  return {
    /** Correlators alive (zset of owner ids by last beat). */
    alive: `${prefix}:correlators:alive`,
    /** A partition's lease: the owner's id, expiring `ttlMs` after its last renewal. */
    lease: (partition: number) => `${prefix}:correlators:lease:${String(partition)}`,
    /** Who last took a partition ('' once handed back): tells a takeover from a handover. */
    holder: (partition: number) => `${prefix}:correlators:holder:${String(partition)}`,
  } as const;
}

/**
 * Partition leases in Redis. Each partition is owned by at most one correlator at a time, the
 * holder of its lease, which it renews every tick. Correlators alive share the partitions
 * evenly: one that holds more than its share (ceil(P / alive)) hands the surplus back after
 * draining it; one with less takes free partitions. A lease its owner stopped renewing (a killed
 * or frozen process) expires after `ttlMs` and is taken by another: a takeover, logged and
 * counted. The store's per-partition lock keeps a frozen owner that wakes up from interleaving
 * with the new one, and per-batch idempotence keeps its work from counting twice.
 */
export function createPartitionLeases(deps: PartitionLeasesDeps): PartitionLeases {
  const { redis, owner, ttlMs, logger } = deps;
  const keys = leaseKeys(deps.prefix);
  const owned = new Set<number>();
  const takenOver = { count: 0 };
  // Partitions are tried from an offset of this owner's own, so starters do not all race for 0.
  const offset = partitionOfKey(owner, deps.partitions);
  let stopping = false;

  async function stopOwning(partition: number, drain: boolean): Promise<void> {
    if (!owned.delete(partition)) return;
    await deps.stop(partition, drain);
  }

  /** Records this owner alive; the number of correlators alive. */
  async function beat(): Promise<number> {
    return (await redis.eval(BEAT, 1, keys.alive, owner, ttlMs)) as number;
  }

  async function renew(): Promise<void> {
    for (const partition of [...owned]) {
      const renewed = (await redis.eval(RENEW, 1, keys.lease(partition), owner, ttlMs)) as number;
      if (renewed === 1 || !owned.has(partition)) continue;
      logger.warn({ partition }, 'partition lease lost (not renewed in time); stopping it');
      await stopOwning(partition, false);
    }
  }

  async function share(alive: number): Promise<void> {
    const fair = Math.ceil(deps.partitions / Math.max(1, alive));
    const surplus = [...owned].sort((a, b) => b - a).slice(0, Math.max(0, owned.size - fair));
    for (const partition of surplus) {
      await stopOwning(partition, true);
      await redis.eval(HAND_BACK, 2, keys.lease(partition), keys.holder(partition), owner);
      logger.info({ partition, share: fair }, 'partition handed back for another correlator');
    }
    const taken: number[] = [];
    for (let step = 0; step < deps.partitions && owned.size < fair; step += 1) {
      const partition = (offset + step) % deps.partitions;
      if (owned.has(partition)) continue;
      const previous = (await redis.eval(
        TAKE,
        2,
        keys.lease(partition),
        keys.holder(partition),
        owner,
        ttlMs,
      )) as string | null;
      if (previous === null) continue;
      owned.add(partition);
      if (previous !== '' && previous !== owner) {
        takenOver.count += 1;
        logger.warn(
          { partition, from: previous },
          'partition taken over from a correlator that stopped renewing its lease',
        );
      }
      taken.push(partition);
      await deps.start(partition);
    }
    if (taken.length > 0) logger.info({ partitions: taken, share: fair }, 'partition leases taken');
  }

  return {
    takenOver,
    owned: () => [...owned].sort((a, b) => a - b),
    async renew() {
      if (stopping) return;
      await renew().catch((error: unknown) => {
        logger.warn({ err: error }, 'partition leases not renewed this time');
      });
    },
    async join() {
      await beat().catch((error: unknown) => {
        logger.warn({ err: error }, 'correlator not recorded alive this time');
      });
    },
    async balance() {
      if (stopping) return;
      try {
        await share(await beat());
      } catch (error) {
        logger.warn({ err: error }, 'partitions not balanced this time');
      }
    },
    async release() {
      stopping = true;
      for (const partition of [...owned]) {
        await stopOwning(partition, true);
        await redis
          .eval(HAND_BACK, 2, keys.lease(partition), keys.holder(partition), owner)
          .catch((error: unknown) => {
            logger.warn({ err: error, partition }, 'partition lease not handed back');
          });
      }
      await redis.zrem(keys.alive, owner).catch(() => undefined);
    },
  };
}
