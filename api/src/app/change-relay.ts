import { coalesceChanges } from '../core/coalesce-changes.js';

/**
 * Buffers one kind of live change (alarm or incident changes) and pushes it in coalesced batches,
 * at most every `flushIntervalMs`, or within `urgentFlushMs` of an urgent change (news such as a
 * new alarm, which people wait for; repeats are what a storm is made of and can wait); keeps the changes that arrive while a connection's snapshot is
 * being read, so they can be sent right after it and nothing falls in the gap.
 */
export interface ChangeRelay<C> {
  /** Buffers a change for the next batch (and for every connection awaiting its snapshot). */
  push(change: C): void;
  /** Starts keeping changes for a connection whose snapshot is being read. */
  hold(connectionId: string): void;
  /** Stops keeping them and returns them coalesced; undefined if the connection went away. */
  release(connectionId: string): C[] | undefined;
  /** Forgets a connection that went away. */
  forget(connectionId: string): void;
  /** Drops the pending batch and stops the timer. */
  close(): void;
}

/** What a change relay needs. */
export interface ChangeRelayDeps<C> {
  /** The record a change is about (alarm id, incident id): a batch has one change per key. */
  readonly keyOf: (change: C) => string;
  /** Sends one batch to every live connection. */
  readonly emit: (batch: C[]) => void;
  readonly flushIntervalMs: number;
  /** Changes that must not wait the whole interval (a raised alarm, an opened incident). */
  readonly isUrgent?: (change: C) => boolean;
  /**
   * How soon a batch holding an urgent change is pushed (default: `flushIntervalMs`). Batches are
   * still at least this far apart, so a storm of new alarms stays a bounded message rate.
   */
  readonly urgentFlushMs?: number;
  /** Beyond this many buffered changes the buffer is coalesced early, then its oldest dropped. */
  readonly maxBuffered: number;
  readonly onDropped: () => void;
}

/** Creates a relay; see `ChangeRelay`. */
export function createChangeRelay<C>(deps: ChangeRelayDeps<C>): ChangeRelay<C> {
  const urgentFlushMs = Math.min(deps.urgentFlushMs ?? deps.flushIntervalMs, deps.flushIntervalMs);
  let buffer: C[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** When the pending flush is due (performance.now() ms), while one is pending. */
  let dueMs = 0;
  /** When the last batch was pushed; urgent batches keep `urgentFlushMs` from it. */
  let lastFlushMs = Number.NEGATIVE_INFINITY;
  const awaiting = new Map<string, C[]>();

  const flush = (): void => {
    timer = undefined;
    if (buffer.length === 0) return;
    const batch = coalesceChanges(buffer, deps.keyOf);
    buffer = [];
    lastFlushMs = performance.now();
    deps.emit(batch);
  };
  const schedule = (urgent: boolean): void => {
    const nowMs = performance.now();
    const wantedMs = urgent
      ? Math.max(nowMs, lastFlushMs + urgentFlushMs)
      : nowMs + deps.flushIntervalMs;
    if (timer !== undefined && dueMs <= wantedMs) return;
    if (timer !== undefined) clearTimeout(timer);
    dueMs = wantedMs;
    timer = setTimeout(flush, wantedMs - nowMs);
  };

  return {
    push(change) {
      buffer.push(change);
      if (buffer.length > deps.maxBuffered) {
        buffer = coalesceChanges(buffer, deps.keyOf);
        while (buffer.length > deps.maxBuffered) {
          buffer.shift();
          deps.onDropped();
        }
      }
      for (const kept of awaiting.values()) kept.push(change);
      schedule(deps.isUrgent?.(change) ?? false);
    },
    hold(connectionId) {
      awaiting.set(connectionId, []);
    },
    release(connectionId) {
      const kept = awaiting.get(connectionId);
      awaiting.delete(connectionId);
      return kept === undefined ? undefined : coalesceChanges(kept, deps.keyOf);
    },
    forget(connectionId) {
      awaiting.delete(connectionId);
    },
    close() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      buffer = [];
    },
  };
}
