/** Whether an event says something the correlator has not heard from this collector lately. */
export type KeyNews = 'news' | 'repeat';

/** How long a key is remembered and how many keys at most. */
export interface NewsKeysLimits {
  /** A key not seen for this long is news again (one seen within half of it never is). */
  readonly windowMs: number;
  /**
   * Keys remembered at most (even, at least 2); beyond, the least recently seen are forgotten
   * (and news again).
   */
  readonly maxKeys: number;
}

/**
 * The reduction keys a collector sent lately, each with the mark (the severity) it last had, in
 * two generations: the keys seen since `currentSinceMs`, and those seen in the generation before.
 * A generation ends after half the window or once it holds half the keys, and the one before it
 * is forgotten whole. This is an LRU by halves: exact expiry or eviction would delete keys one by
 * one from the front of a Map, and V8 then walks the deleted slots on every look at the front
 * (measured: 16 µs an event past the bound, against well under 1 µs for this).
 */
export interface NewsKeys {
  readonly limits: NewsKeysLimits;
  current: Map<string, string>;
  previous: Map<string, string>;
  currentSinceMs: number;
}

/** Nothing seen yet. */
export function emptyNewsKeys(limits: NewsKeysLimits): NewsKeys {
  return { limits, current: new Map(), previous: new Map(), currentSinceMs: 0 };
}

/**
 * Notes a key seen at `nowMs` with `mark` and tells whether it is news: a key not seen lately
 * (a new alarm), or last seen with another mark (cleared, re-raised, escalated); a repeat is the
 * same key with the same mark. The state is updated in place: copying tens of thousands of keys
 * per event would cost more than the event. Times are expected not to go backwards.
 */
export function noteKey(state: NewsKeys, key: string, mark: string, nowMs: number): KeyNews {
  const { limits } = state;
  const ageMs = nowMs - state.currentSinceMs;
  if (ageMs >= limits.windowMs) {
    state.previous = new Map();
    state.current = new Map();
    state.currentSinceMs = nowMs;
  } else if (
    ageMs >= limits.windowMs / 2 ||
    state.current.size >= Math.max(1, Math.floor(limits.maxKeys / 2))
  ) {
    state.previous = state.current;
    state.current = new Map();
    state.currentSinceMs = nowMs;
  }
  const last = state.current.get(key) ?? state.previous.get(key);
  state.current.set(key, mark);
  return last === mark ? 'repeat' : 'news';
}
