/** Whether an event says something the correlator has not heard from this collector lately. */
export type KeyNews = 'news' | 'repeat';

/** How long a key is remembered and how many keys at most. */
export interface NewsKeysLimits {
  /** A key not seen for this long is news again. */
  readonly windowMs: number;
  /** Keys remembered at most; beyond, the least recently seen are forgotten (and news again). */
  readonly maxKeys: number;
}

/**
 * The reduction keys a collector sent lately, each with the mark (the severity) it last had,
 * least recently seen first. A Map keeps insertion order, and a key seen again is moved to its
 * end, so both expiry and the bound forget from the front.
 */
export interface NewsKeys {
  readonly limits: NewsKeysLimits;
  readonly seen: Map<string, { readonly mark: string; readonly atMs: number }>;
}

/** Nothing seen yet. */
export function emptyNewsKeys(limits: NewsKeysLimits): NewsKeys {
  return { limits, seen: new Map() };
}

/**
 * Notes a key seen at `nowMs` with `mark` and tells whether it is news: a key not seen within
 * the window (a new alarm), or seen with another mark (cleared, re-raised, escalated); a repeat
 * is the same key with the same mark within the window. The state is updated in place: copying
 * tens of thousands of keys per event would cost more than the event. Times are expected not to
 * go backwards (a monotonic clock).
 */
export function noteKey(state: NewsKeys, key: string, mark: string, nowMs: number): KeyNews {
  const { seen, limits } = state;
  const last = seen.get(key);
  const news: KeyNews =
    last?.mark === mark && nowMs - last.atMs < limits.windowMs ? 'repeat' : 'news';
  seen.delete(key);
  seen.set(key, { mark, atMs: nowMs });
  for (const [oldest, entry] of seen) {
    if (seen.size <= limits.maxKeys && nowMs - entry.atMs < limits.windowMs) break;
    seen.delete(oldest);
  }
  return news;
}
