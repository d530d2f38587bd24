import { describe, expect, it } from 'vitest';
import { emptyNewsKeys, noteKey, type KeyNews } from './news-keys.js';

describe('noteKey', () => {
  it.each<[string, [key: string, mark: string, nowMs: number, want: KeyNews][]]>([
    [
      'a key never seen is news, its repeats are not',
      [
        ['a', 'major', 0, 'news'],
        ['a', 'major', 10, 'repeat'],
        ['b', 'major', 20, 'news'],
        ['a', 'major', 30, 'repeat'],
      ],
    ],
    [
      'another severity is news: a clear, the re-raise after it, an escalation',
      [
        ['a', 'major', 0, 'news'],
        ['a', 'cleared', 10, 'news'],
        ['a', 'cleared', 20, 'repeat'],
        ['a', 'major', 30, 'news'],
        ['a', 'critical', 40, 'news'],
      ],
    ],
    [
      'a key not seen for the window is news again; seeing it keeps it known',
      [
        ['a', 'major', 0, 'news'],
        ['a', 'major', 999, 'repeat'],
        ['a', 'major', 1998, 'repeat'],
        ['a', 'major', 2998, 'news'],
        ['b', 'major', 3000, 'news'],
        ['b', 'major', 3999, 'repeat'],
      ],
    ],
    [
      'beyond the bound the least recently seen key is forgotten',
      [
        ['a', 'major', 0, 'news'],
        ['b', 'major', 1, 'news'],
        ['c', 'major', 2, 'news'],
        ['a', 'major', 3, 'repeat'],
        ['d', 'major', 4, 'news'],
        ['a', 'major', 5, 'repeat'],
        ['b', 'major', 6, 'news'],
      ],
    ],
  ])('%s', (_, timeline) => {
    const state = emptyNewsKeys({ windowMs: 1000, maxKeys: 3 });
    for (const [key, mark, nowMs, want] of timeline) {
      expect([key, mark, nowMs, noteKey(state, key, mark, nowMs)]).toEqual([
        key,
        mark,
        nowMs,
        want,
      ]);
      expect(state.seen.size).toBeLessThanOrEqual(3);
    }
  });

  it('forgets expired keys as time passes, so memory follows the window', () => {
    const state = emptyNewsKeys({ windowMs: 1000, maxKeys: 50_000 });
    for (let n = 0; n < 100; n += 1) noteKey(state, `k${String(n)}`, 'major', n);
    noteKey(state, 'late', 'major', 1050);
    expect([...state.seen.keys()]).toEqual([
      ...Array.from({ length: 49 }, (_, k) => `k${String(k + 51)}`),
      'late',
    ]);
  });
});
