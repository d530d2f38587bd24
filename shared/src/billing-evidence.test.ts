import { describe, expect, it } from 'vitest';
import { readSortedRates, sortedRatesCurve } from './billing-evidence.js';

/** 1, 2, …, n bits per second. */
const ramp = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i + 1);

describe('sortedRatesCurve', () => {
  it.each([
    // Fewer samples than points: every rank.
    { n: 5, rank: 5, max: 400, ranks: [1, 2, 3, 4, 5] },
    { n: 1, rank: 1, max: 400, ranks: [1] },
    // Evenly spaced, plus the billed rank and the first dropped one.
    { n: 100, rank: 95, max: 5, ranks: [1, 26, 51, 75, 95, 96, 100] },
  ])('n=$n rank=$rank keeps ranks $ranks', ({ n, rank, max, ranks }) => {
    const curve = sortedRatesCurve(ramp(n), rank, max);
    expect(curve.ranks).toEqual(ranks);
    expect(curve.ratesBps).toEqual(ranks);
  });

  it('keeps a month within 402 points, ends included, rates whole', () => {
    const month = Float64Array.from({ length: 8928 }, (_, i) => i * 1000.4);
    const curve = sortedRatesCurve(month, 8482);
    expect(curve.ranks.length).toBeLessThanOrEqual(402);
    expect(curve.ranks[0]).toBe(1);
    expect(curve.ranks.at(-1)).toBe(8928);
    expect(curve.ranks).toContain(8482);
    expect(curve.ratesBps[curve.ranks.indexOf(8482)]).toBe(Math.round(8481 * 1000.4));
    expect(readSortedRates(curve)).toEqual(curve);
    expect(JSON.stringify(curve).length).toBeLessThan(8000);
  });
});

describe('readSortedRates', () => {
  it.each([
    [null],
    [{ ranks: [1, 2], ratesBps: [1] }],
    [{ ranks: [2, 2], ratesBps: [1, 2] }],
    [{ ranks: [0], ratesBps: [1] }],
    [{ ranks: [1.5], ratesBps: [1] }],
    [{ ranks: [1], ratesBps: [-1] }],
    [{ ranks: [1], ratesBps: ['1'] }],
    [{ ranks: [], ratesBps: [] }],
  ])('refuses %j', (value) => {
    expect(readSortedRates(value)).toBeNull();
  });
});
