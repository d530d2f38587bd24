import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseDurationMs } from './duration.js';

describe('parseDurationMs', () => {
  it.each<[string | number, number | undefined]>([
    ['500ms', 500],
    ['2s', 2000],
    ['1.5m', 90_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    [0, 0],
    [2.5, 2500],
    ['', undefined],
    ['2', undefined],
    ['2 s', undefined],
    ['s', undefined],
    ['-1s', undefined],
    ['2d', undefined],
    [-1, undefined],
    [Number.NaN, undefined],
  ])('%s → %s', (text, expected) => {
    expect(parseDurationMs(text)).toBe(expected);
  });

  it('reads back what formatDurationMs writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 * 3_600_000 }), (ms) => {
        expect(parseDurationMs(formatDurationMs(ms))).toBe(ms);
      }),
    );
  });
});
