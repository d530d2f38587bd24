import { describe, expect, it } from 'vitest';
import { formatAge } from './format.js';

describe('formatAge', () => {
  it.each([
    [-5_000, '0s'],
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [59 * 60_000, '59m'],
    [3_600_000 + 4 * 60_000, '1h 04m'],
    [23 * 3_600_000 + 59 * 60_000, '23h 59m'],
    [2 * 86_400_000 + 5 * 3_600_000, '2d 05h'],
  ])('%d ms → %s', (ageMs, expected) => {
    expect(formatAge(ageMs)).toBe(expected);
  });
});
