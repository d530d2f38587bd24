import type { KeyNews } from './news-keys.js';

/**
 * When a partition's buffer goes out after an event joined it: `full` at once (it holds a whole
 * batch); `news` as soon as the current task ends (a new alarm, a clear: someone is waiting for
 * it); `at` a given time, for news that came too soon after the last immediate flush; `linger`
 * until the batch delay (repeats of known keys, which gain from larger batches).
 */
export type FlushDecision =
  | { readonly kind: 'full' }
  | { readonly kind: 'news' }
  | { readonly kind: 'at'; readonly atMs: number }
  | { readonly kind: 'linger' };

/** A partition's buffer as the flush decision sees it, once an event has joined it. */
export interface FlushInput {
  /** Events in the buffer, the new one included. */
  readonly bufferedEvents: number;
  /** Events one job of the partition holds at most. */
  readonly batchEvents: number;
  /** Whether the event that joined is news (`noteKey`). */
  readonly news: KeyNews;
  /** When the partition's last immediate flush was decided, if ever. */
  readonly lastNewsFlushMs: number | undefined;
  /** The least time between two immediate flushes of one partition. */
  readonly newsGapMs: number;
}

/**
 * Decides when a partition's buffer goes out. Immediate flushes of one partition are at least
 * `newsGapMs` apart, so a storm of new alarms still makes batches (at most one per gap per
 * partition) rather than one job per event.
 */
export function flushDecision(input: FlushInput, nowMs: number): FlushDecision {
  if (input.bufferedEvents >= input.batchEvents) return { kind: 'full' };
  if (input.news === 'repeat') return { kind: 'linger' };
  if (input.lastNewsFlushMs === undefined || nowMs - input.lastNewsFlushMs >= input.newsGapMs)
    return { kind: 'news' };
  return { kind: 'at', atMs: input.lastNewsFlushMs + input.newsGapMs };
}
