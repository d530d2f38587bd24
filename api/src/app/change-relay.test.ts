import { describe, expect, it, vi } from 'vitest';
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
});
