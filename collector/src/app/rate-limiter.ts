import { rateLimitStep, type RateLimitDecision, type RateLimitEntry } from '../core/rate-limit.js';
import type { Clock } from '../ports.js';

/** Keyed rate limiting (per topic, per source address) with bounded memory. */
export interface RateLimiter {
  check(key: string): RateLimitDecision;
}

/**
 * Holds one entry per key. Keys come from the network (source addresses, topics), so when more
 * than `maxKeys` are held, entries whose interval is over are forgotten (they would allow anyway),
 * and if that is not enough the oldest go: a flood of new keys costs memory only up to the bound.
 */
export function createRateLimiter(deps: {
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly maxKeys?: number;
}): RateLimiter {
  const maxKeys = deps.maxKeys ?? 10_000;
  const entries = new Map<string, RateLimitEntry>();
  const prune = (nowMs: number): void => {
    for (const [key, entry] of entries) {
      if (nowMs - entry.allowedAtMs >= deps.intervalMs) entries.delete(key);
    }
    for (const key of entries.keys()) {
      if (entries.size < maxKeys) break;
      entries.delete(key);
    }
  };
  return {
    check(key) {
      const nowMs = deps.clock();
      if (!entries.has(key) && entries.size >= maxKeys) prune(nowMs);
      const { entry, decision } = rateLimitStep(entries.get(key), nowMs, deps.intervalMs);
      entries.set(key, entry);
      return decision;
    },
  };
}
