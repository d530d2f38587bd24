import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billablePercentile95, droppedCount, percentile95, selectInPlace } from './percentile.js';

/** 1..n in a scrambled (but deterministic) order, so selection cannot rely on sorted input. */
function scrambled(n: number): Float64Array {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = ((i * 7919) % n) + 1;
  return values;
}

describe('percentile95: drop floor(n/20) highest, bill the highest remaining', () => {
  it.each([
    // samples, dropped, billed rank (1-based ascending) — with values 1..n the billed value is the rank
    [8640, 432, 8208], // 30 days of 5-minute buckets: index 8207
    [8928, 446, 8482], // 31 days: 8928 × 0.05 = 446.4 → 446
    [8916, 445, 8471], // Berlin March, 743 h: 445.8 → 445
    [8940, 447, 8493], // Berlin October, 745 h
    [100, 5, 95],
    [40, 2, 38],
    [39, 1, 38], // 1.95 → 1
    [20, 1, 19],
    [19, 0, 19], // under 20 samples nothing is dropped: the maximum is billed
    [1, 0, 1],
  ])('%d samples: drop %d, bill rank %d', (n, dropped, rank) => {
    expect(droppedCount(n)).toBe(dropped);
    expect(percentile95(scrambled(n))).toEqual({
      kind: 'value',
      valueBps: rank,
      sampleCount: n,
      droppedCount: dropped,
      rank,
    });
  });

  it('has no value without samples', () => {
    expect(percentile95(new Float64Array(0))).toEqual({ kind: 'no-samples', sampleCount: 0 });
  });

  it('bills the plateau when the top 5 % are bursts', () => {
    const rates = new Float64Array(100).fill(50e6);
    rates.fill(900e6, 0, 5); // 5 bursts of 900 Mbps are dropped
    expect(percentile95(rates)).toMatchObject({ valueBps: 50e6 });
    rates[5] = 900e6; // a 6th burst is billed
    expect(percentile95(rates)).toMatchObject({ valueBps: 900e6 });
  });

  it('does not reorder its input and refuses NaN', () => {
    const rates = Float64Array.from([3, 1, 2]);
    percentile95(rates);
    expect([...rates]).toEqual([3, 1, 2]);
    expect(() => percentile95(Float64Array.from([1, Number.NaN]))).toThrow(RangeError);
  });
});

describe('directions', () => {
  // 20 buckets: in = 1..20 Mbps, out = 40, 38, …, 2 Mbps (bucket i: in i+1, out 40−2i).
  const inBps = Float64Array.from({ length: 20 }, (_, i) => i + 1);
  const outBps = Float64Array.from({ length: 20 }, (_, i) => 40 - 2 * i);

  it.each([
    ['in', 19], // 1..20, drop 1 → 19
    ['out', 38], // 2..40 step 2, drop 1 → 38
    ['max', 38], // max(p95(in) = 19, p95(out) = 38)
    ['sum', 40], // sums 41 − i = 22..41, drop 1 → 40
  ] as const)('%s bills %d', (direction, expected) => {
    expect(billablePercentile95(inBps, outBps, direction).billed).toMatchObject({
      valueBps: expected,
    });
  });

  it('max is the larger of the two 95th values, not the 95th of per-sample maxima', () => {
    // Per-sample max would be max(i+1, 40−2i): 40, 38, …, 14, 15, …, 20 → its 95th is 38 too, so
    // use a case where they differ: in bursts where out is quiet and the other way round.
    const a = Float64Array.from([100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const b = Float64Array.from([0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const result = billablePercentile95(a, b, 'max');
    expect(result.billed).toMatchObject({ valueBps: 0 }); // per-sample max would bill 100
    expect(result.inbound).toMatchObject({ valueBps: 0 });
    expect(result.outbound).toMatchObject({ valueBps: 0 });
  });

  it('refuses in and out of different lengths', () => {
    expect(() => billablePercentile95(new Float64Array(2), new Float64Array(3), 'sum')).toThrow(
      RangeError,
    );
  });
});

describe('selection properties', () => {
  const rates = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e11, noNaN: true })), {
    maxLength: 500,
  });

  it('selectInPlace agrees with a full sort for every k', () => {
    fc.assert(
      fc.property(
        rates.filter((values) => values.length > 0),
        fc.nat(),
        (values, seed) => {
          const k = seed % values.length;
          const sorted = Float64Array.from(values).sort();
          expect(selectInPlace(Float64Array.from(values), k)).toBe(sorted[k]);
        },
      ),
    );
  });

  it('min ≤ p95 ≤ max; at most floor(n/20) samples are above it', () => {
    fc.assert(
      fc.property(
        rates.filter((values) => values.length > 0),
        (values) => {
          const result = percentile95(Float64Array.from(values));
          if (result.kind !== 'value') throw new Error('expected a value');
          expect(result.valueBps).toBeGreaterThanOrEqual(Math.min(...values));
          expect(result.valueBps).toBeLessThanOrEqual(Math.max(...values));
          expect(values.filter((v) => v > result.valueBps).length).toBeLessThanOrEqual(
            droppedCount(values.length),
          );
          expect(values.filter((v) => v <= result.valueBps).length).toBeGreaterThanOrEqual(
            result.rank,
          );
        },
      ),
    );
  });

  // How fast this is (10,000 circuits of a month) is measured by `npm run bench -- billing`,
  // not asserted here: a test's verdict must not depend on the machine's load.
  it('bills a month of 8,928 spread samples as a full sort would, leaving them in place', () => {
    const month = Float64Array.from(
      { length: 8928 },
      (_, i) => ((i * 2654435761) % 1_000_003) * 1000,
    );
    const before = Float64Array.from(month);
    const sorted = Float64Array.from(month).sort();
    expect(percentile95(month)).toEqual({
      kind: 'value',
      valueBps: sorted[8481],
      sampleCount: 8928,
      droppedCount: 446,
      rank: 8482,
    });
    expect(month).toEqual(before);
  });
});
