import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChangeRelay } from './change-relay.js';

interface Change {
  readonly id: string;
  readonly n: number;
}

function relay(maxBuffered = 100) {
  const batches: Change[][] = [];
  let dropped = 0;
  const r = createChangeRelay<Change>({
    keyOf: (change) => change.id,
    emit: (batch) => batches.push(batch),
    flushIntervalMs: 1,
    maxBuffered,
    onDropped: () => {
      dropped += 1;
    },
  });
  return { r, batches, dropped: () => dropped };
}

describe('createChangeRelay', () => {
  it('pushes one coalesced batch per interval', async () => {
    const { r, batches } = relay();
    r.push({ id: 'a', n: 1 });
    r.push({ id: 'b', n: 1 });
    r.push({ id: 'a', n: 2 });
    await vi.waitFor(() => {
      expect(batches).toEqual([
        [
          { id: 'b', n: 1 },
          { id: 'a', n: 2 },
        ],
      ]);
    });
    r.close();
  });

  it('keeps the changes made while a connection reads its snapshot, until released', () => {
    const { r } = relay();
    r.push({ id: 'before', n: 1 });
    r.hold('s1');
    r.hold('s2');
    r.push({ id: 'a', n: 1 });
    r.push({ id: 'a', n: 2 });
    r.forget('s2');
    expect(r.release('s1')).toEqual([{ id: 'a', n: 2 }]);
    expect(r.release('s1')).toBeUndefined();
    expect(r.release('s2')).toBeUndefined();
    r.close();
  });

  it('coalesces a full buffer early and drops the oldest beyond the bound', async () => {
    const { r, batches, dropped } = relay(2);
    r.push({ id: 'a', n: 1 });
    r.push({ id: 'a', n: 2 });
    r.push({ id: 'b', n: 1 });
    r.push({ id: 'c', n: 1 });
    await vi.waitFor(() => {
      expect(batches).toHaveLength(1);
    });
    expect(batches[0]).toEqual([
      { id: 'b', n: 1 },
      { id: 'c', n: 1 },
    ]);
    expect(dropped()).toBe(1);
    r.close();
  });

  describe('urgent changes', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    function urgentRelay() {
      const batches: Change[][] = [];
      const r = createChangeRelay<Change>({
        keyOf: (change) => change.id,
        emit: (batch) => batches.push(batch),
        flushIntervalMs: 1000,
        isUrgent: (change) => change.id.startsWith('new'),
        maxBuffered: 100,
        onDropped: () => undefined,
      });
      return { r, batches };
    }

    /** Lets the microtasks queued so far run; no timer fires (they are fake). */
    const taskEnded = (): Promise<void> => Promise.resolve();

    it('push the waiting batch once the task ends, repeats included, in order', async () => {
      const { r, batches } = urgentRelay();
      r.push({ id: 'a', n: 1 });
      vi.advanceTimersByTime(10);
      r.push({ id: 'new-1', n: 1 });
      r.push({ id: 'a', n: 2 });
      expect(batches).toEqual([]);
      await taskEnded();
      expect(batches).toEqual([
        [
          { id: 'new-1', n: 1 },
          { id: 'a', n: 2 },
        ],
      ]);
      r.close();
    });

    it('push each task’s news at once, however soon after the last push', async () => {
      const { r, batches } = urgentRelay();
      r.push({ id: 'new-1', n: 1 });
      await taskEnded();
      r.push({ id: 'new-2', n: 1 });
      r.push({ id: 'new-3', n: 1 });
      await taskEnded();
      expect(batches).toEqual([
        [{ id: 'new-1', n: 1 }],
        [
          { id: 'new-2', n: 1 },
          { id: 'new-3', n: 1 },
        ],
      ]);
      r.close();
    });

    it('keep repeats for the whole interval', async () => {
      const { r, batches } = urgentRelay();
      r.push({ id: 'a', n: 1 });
      await taskEnded();
      vi.advanceTimersByTime(999);
      r.push({ id: 'a', n: 2 });
      expect(batches).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(batches).toEqual([[{ id: 'a', n: 2 }]]);
      r.close();
    });
  });
});
