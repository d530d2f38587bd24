/** The rate-limit state of one key: when it last let something through, and what it held back since. */
export interface RateLimitEntry {
  readonly allowedAtMs: number;
  readonly suppressed: number;
}

/** Let it through (telling how many were held back since the last one), or hold it back. */
export type RateLimitDecision =
  { readonly kind: 'allow'; readonly suppressedBefore: number } | { readonly kind: 'suppress' };

/**
 * At most one occurrence per `intervalMs` gets through for one key (a log line, a security event);
 * the ones held back are counted and reported with the next one let through, so nothing is
 * silently lost and a storm costs one line per interval.
 */
export function rateLimitStep(
  entry: RateLimitEntry | undefined,
  nowMs: number,
  intervalMs: number,
): { entry: RateLimitEntry; decision: RateLimitDecision } {
  if (entry === undefined || nowMs - entry.allowedAtMs >= intervalMs) {
    return {
      entry: { allowedAtMs: nowMs, suppressed: 0 },
      decision: { kind: 'allow', suppressedBefore: entry?.suppressed ?? 0 },
    };
  }
  return {
    entry: { allowedAtMs: entry.allowedAtMs, suppressed: entry.suppressed + 1 },
    decision: { kind: 'suppress' },
  };
}
