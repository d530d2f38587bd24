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
      'a key seen within half the window is known; seeing it keeps it known',
      [
        ['a', 'major', 0, 'news'],
        ['a', 'major', 499, 'repeat'],
        ['a', 'major', 500, 'repeat'],
        ['a', 'major', 1400, 'repeat'],
        ['a', 'major', 1899, 'repeat'],
      ],
    ],
    [
      'a key not seen for the whole window is news again',
      [
        ['x', 'major', 0, 'news'],
        ['y', 'major', 600, 'news'],
        ['x', 'major', 1150, 'news'],
        ['y', 'major', 1599, 'repeat'],
        ['y', 'major', 2599, 'news'],
      ],
    ],
    [
      'beyond the bound the least recently seen keys are forgotten',
      [
        ['a', 'major', 0, 'news'],
        ['b', 'major', 1, 'news'],
        ['c', 'major', 2, 'news'],
        ['a', 'major', 3, 'repeat'],
        ['d', 'major', 4, 'news'],
        ['b', 'major', 5, 'news'],
        ['d', 'major', 6, 'repeat'],
      ],
    ],
  ])('%s', (_, timeline) => {
    const state = emptyNewsKeys({ windowMs: 1000, maxKeys: 4 });
    for (const [key, mark, nowMs, want] of timeline) {
      expect([key, mark, nowMs, noteKey(state, key, mark, nowMs)]).toEqual([
        key,
        mark,
        nowMs,
        want,
      ]);
      expect(state.current.size + state.previous.size).toBeLessThanOrEqual(4);
    }
  });

  it('forgets every key after a quiet window, so memory follows the traffic', () => {
    const state = emptyNewsKeys({ windowMs: 1000, maxKeys: 50_000 });
    for (let n = 0; n < 100; n += 1) noteKey(state, `k${String(n)}`, 'major', n);
    expect(noteKey(state, 'late', 'major', 1100)).toBe('news');
    expect([...state.previous.keys(), ...state.current.keys()]).toEqual(['late']);
  });
});
