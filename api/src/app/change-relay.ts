import { coalesceChanges } from '../core/coalesce-changes.js';

/**
 * Buffers one kind of live change (alarm or incident changes) and pushes it in coalesced batches:
 * repeats (what a storm is made of) at most every `flushIntervalMs`; an urgent change (news such
 * as a new alarm or a clear, which people wait for) as soon as the task that brought it ends, with
 * every change buffered before it, so a record's changes still reach clients in order. Keeps the
 * changes that arrive while a connection's snapshot is being read, so they can be sent right after
 * it and nothing falls in the gap.
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
  /**
   * Changes that must not wait for the interval (a raised alarm, an opened incident). The changes
   * that reach the relay in one task (one read of the Redis connection) go in one batch, so a
   * storm of news is at most one push per read, not one per change.
   */
  readonly isUrgent?: (change: C) => boolean;
  /** Beyond this many buffered changes the buffer is coalesced early, then its oldest dropped. */
  readonly maxBuffered: number;
  readonly onDropped: () => void;
}

/** Creates a relay; see `ChangeRelay`. */
export function createChangeRelay<C>(deps: ChangeRelayDeps<C>): ChangeRelay<C> {
  let buffer: C[] = [];
  /** The interval's timer, from the first change buffered after a push. */
  let timer: NodeJS.Timeout | undefined;
  /** Whether a push for an urgent change waits for the current task to end. */
  let urgentQueued = false;
  const awaiting = new Map<string, C[]>();

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return;
    const batch = coalesceChanges(buffer, deps.keyOf);
    buffer = [];
    deps.emit(batch);
  };
  const schedule = (urgent: boolean): void => {
    if (!urgent) {
      timer ??= setTimeout(flush, deps.flushIntervalMs);
      return;
    }
    if (urgentQueued) return;
    urgentQueued = true;
    // A microtask, not a 0 ms timer: under load a timer waits a turn of the event loop.
    queueMicrotask(() => {
      urgentQueued = false;
      flush();
    });
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
