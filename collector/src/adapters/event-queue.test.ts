import { describe, expect, it } from 'vitest';
import { batchJobId } from './event-queue.js';

describe('batchJobId', () => {
  const ids = (...list: string[]) => list.map((id) => ({ id }));

  it('is deterministic, free of ":" and not all digits', () => {
    const id = batchJobId(ids('a', 'b'));
    expect(id).toBe(batchJobId(ids('a', 'b')));
    expect(id).not.toContain(':');
    expect(id).not.toMatch(/^\d+$/);
    expect(id).toMatch(/^eb-[0-9a-f]{40}$/);
  });

  it.each([
    [ids('a', 'b'), ids('b', 'a')],
    [ids('ab'), ids('a', 'b')],
    [ids('a'), ids('a', 'a')],
  ])('tells %o from %o', (left, right) => {
    expect(batchJobId(left)).not.toBe(batchJobId(right));
  });
});
