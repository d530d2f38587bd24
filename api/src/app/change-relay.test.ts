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
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
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
        urgentFlushMs: 20,
        maxBuffered: 100,
        onDropped: () => undefined,
      });
      return { r, batches };
    }

    it('push the waiting batch at once, repeats included, instead of at the interval', () => {
      const { r, batches } = urgentRelay();
      r.push({ id: 'a', n: 1 });
      vi.advanceTimersByTime(10);
      expect(batches).toEqual([]);
      r.push({ id: 'new-1', n: 1 });
      vi.advanceTimersByTime(0);
      expect(batches).toEqual([
        [
          { id: 'a', n: 1 },
          { id: 'new-1', n: 1 },
        ],
      ]);
      r.close();
    });

    it('keep urgent batches urgentFlushMs apart, and others the whole interval', () => {
      const { r, batches } = urgentRelay();
      r.push({ id: 'new-1', n: 1 });
      vi.advanceTimersByTime(0);
      r.push({ id: 'new-2', n: 1 });
      vi.advanceTimersByTime(19);
      expect(batches).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(batches).toEqual([[{ id: 'new-1', n: 1 }], [{ id: 'new-2', n: 1 }]]);
      r.push({ id: 'a', n: 1 });
      vi.advanceTimersByTime(999);
      expect(batches).toHaveLength(2);
      vi.advanceTimersByTime(1);
      expect(batches).toHaveLength(3);
      r.close();
    });
  });
});
