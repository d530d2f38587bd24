import { describe, expect, it } from 'vitest';
import { ERROR_FREE_ABOVE_DBM, inErrorsPerSecond } from './line-errors.js';

describe('inErrorsPerSecond', () => {
  it.each<[number | undefined, number, number]>([
    [undefined, 0, 0],
    [-8, 0, 0],
    [ERROR_FREE_ABOVE_DBM, 0, 0],
    [-13, 1.5, 2],
    [-15.5, 30, 33],
    [-18, 550, 570],
    [-21.5, 31_000, 32_000],
  ])('%s dBm → between %s and %s errors/s', (dbm, low, high) => {
    const rate = inErrorsPerSecond(dbm);
    expect(rate).toBeGreaterThanOrEqual(low);
    expect(rate).toBeLessThanOrEqual(high);
  });
});
