/**
 * The 95th percentile of a period's 5-minute rates, by the usual burstable-billing convention.
 *
 * Sort the n observed bucket rates ascending, drop the top floor(n / 20) (that is floor(n × 5 %),
 * computed on integers), and bill the highest remaining one: the value at 0-based index
 * n − floor(n / 20) − 1. For 8,640 samples (30 days) that drops 432 and bills the 8,208th
 * (index 8,207); for 8,928 (31 days) it drops 446 and bills the 8,482nd; for 100 it drops 5 and
 * bills the 95th; for 1..19 samples nothing is dropped and the maximum is billed. With 0 samples
 * there is no 95th percentile: the result says so and the caller bills no overage.
 *
 * Directions (a price plan's `direction`):
 * - `in`, `out`: the 95th of that direction's rates.
 * - `max`: the larger of the two 95th values, max(p95(in), p95(out)) — the common industry
 *   convention, not the 95th of per-sample maxima.
 * - `sum`: the 95th of the per-sample sums in + out.
 *
 * Selection is an in-place three-way quickselect on a copy (O(n) on average, with a sort fallback
 * that bounds the worst case at O(n log n)), so the caller's arrays are never reordered.
 */

/** The outcome of a 95th-percentile computation. */
export type Percentile95 =
  | { readonly kind: 'no-samples'; readonly sampleCount: 0 }
  | {
      readonly kind: 'value';
      /** The billed rate, bits per second. */
      readonly valueBps: number;
      readonly sampleCount: number;
      /** How many of the highest samples were dropped: floor(sampleCount / 20). */
      readonly droppedCount: number;
      /** 1-based ascending rank of the billed sample: sampleCount − droppedCount. */
      readonly rank: number;
    };

/** A price plan's traffic direction. */
export type Direction = 'in' | 'out' | 'max' | 'sum';

/** The number of top samples dropped out of n: floor(n × 5 / 100), on integers. */
export function droppedCount(sampleCount: number): number {
  return Math.floor(sampleCount / 20);
}

function valueAt(values: Float64Array, index: number): number {
  return values[index] ?? Number.NaN;
}

function swap(values: Float64Array, i: number, j: number): void {
  const held = valueAt(values, i);
  values[i] = valueAt(values, j);
  values[j] = held;
}

/** A xorshift32 step: a fixed sequence, so selection stays deterministic. */
function nextSeed(seed: number): number {
  let x = seed;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

/**
 * Reorders `values` so that index k holds the k-th smallest value, and returns it.
 * Three-way partitioning keeps runs of equal rates (idle circuits are all zeros) linear.
 */
export function selectInPlace(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  let rounds = 2 * Math.ceil(Math.log2(values.length + 1)) + 16;
  let seed = 0x9e3779b9;
  while (right > left) {
    rounds -= 1;
    if (rounds === 0) {
      // Pathological pivots: finish by sorting what is left, which bounds the worst case.
      values.subarray(left, right + 1).sort();
      return valueAt(values, k);
    }
    // Median of three pseudo-random positions: sorted, reversed and rotated inputs (common for
    // rates, and what partitioning leaves behind) cannot make every round a bad one.
    const size = right - left + 1;
    seed = nextSeed(seed);
    const a = valueAt(values, left + (seed % size));
    seed = nextSeed(seed);
    const b = valueAt(values, left + (seed % size));
    seed = nextSeed(seed);
    const c = valueAt(values, left + (seed % size));
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let lower = left;
    let index = left;
    let upper = right;
    while (index <= upper) {
      const value = valueAt(values, index);
      if (value < pivot) swap(values, lower++, index++);
      else if (value > pivot) swap(values, index, upper--);
      else index++;
    }
    // Now [left, lower) < pivot, [lower, upper] = pivot, (upper, right] > pivot.
    if (k < lower) right = lower - 1;
    else if (k > upper) left = upper + 1;
    else return pivot;
  }
  return valueAt(values, k);
}

/**
 * The 95th percentile of bucket rates (bits per second). The input is not modified.
 * @throws RangeError when a rate is NaN (unobserved buckets must be left out by the caller).
 */
export function percentile95(ratesBps: Float64Array): Percentile95 {
  const sampleCount = ratesBps.length;
  if (sampleCount === 0) return { kind: 'no-samples', sampleCount: 0 };
  const work = ratesBps.slice();
  for (const rate of work) {
    if (Number.isNaN(rate)) throw new RangeError('percentile95: NaN rate');
  }
  const dropped = droppedCount(sampleCount);
  const rank = sampleCount - dropped;
  return {
    kind: 'value',
    valueBps: selectInPlace(work, rank - 1),
    sampleCount,
    droppedCount: dropped,
    rank,
  };
}

/** The 95th percentile billed for a direction, with the parts it was taken from. */
export interface DirectionalPercentile95 {
  readonly direction: Direction;
  /** The value billed. */
  readonly billed: Percentile95;
  /** The rates `billed` was taken from (for `max`, the larger direction's), in bucket order. */
  readonly ratesBps: Float64Array;
  /** For `max`: the 95th of each direction (billed is the larger). */
  readonly inbound?: Percentile95;
  readonly outbound?: Percentile95;
}

/**
 * The 95th percentile for a plan's direction. `inBps[i]` and `outBps[i]` are the same bucket.
 * @throws RangeError when the two arrays differ in length or hold NaN.
 */
export function billablePercentile95(
  inBps: Float64Array,
  outBps: Float64Array,
  direction: Direction,
): DirectionalPercentile95 {
  if (inBps.length !== outBps.length) {
    throw new RangeError('billablePercentile95: in and out rates must be the same buckets');
  }
  switch (direction) {
    case 'in':
      return { direction, billed: percentile95(inBps), ratesBps: inBps };
    case 'out':
      return { direction, billed: percentile95(outBps), ratesBps: outBps };
    case 'sum': {
      const sums = new Float64Array(inBps.length);
      for (let i = 0; i < sums.length; i++) sums[i] = valueAt(inBps, i) + valueAt(outBps, i);
      return { direction, billed: percentile95(sums), ratesBps: sums };
    }
    case 'max': {
      const inbound = percentile95(inBps);
      const outbound = percentile95(outBps);
      const outboundBilled =
        inbound.kind === 'value' &&
        outbound.kind === 'value' &&
        outbound.valueBps > inbound.valueBps;
      return {
        direction,
        billed: outboundBilled ? outbound : inbound,
        ratesBps: outboundBilled ? outBps : inBps,
        inbound,
        outbound,
      };
    }
  }
}
