/**
 * From interface counter samples to the 5-minute bucket rates and volumes a period is billed on.
 *
 * Conventions (see docs/billing.md):
 * - Samples are sorted by strictly increasing time. Sample i closes the interval
 *   [time(i−1), time(i)) and its delta is counter(i) − counter(i−1), per direction, in octets.
 *   Include the last sample before the period as the baseline of the first interval.
 * - Counter wraps and restarts are the caller's to detect: a sample flagged `reset` or
 *   `quarantined` gives no delta (no rate, no volume) for the interval it closes, and becomes the
 *   baseline of the next one. An unflagged decrease is treated the same and counted separately.
 * - Rate: an interval's rate is delta × 8 / seconds (bits per second), spread over the buckets it
 *   overlaps; a bucket's rate is the time-weighted mean of the rates covering it. A bucket with
 *   any covered time is observed; one with none is a gap (NaN in the rate arrays). An interval
 *   longer than `maxIntervalMs` says nothing about peaks, so it gives volume but no rate.
 * - Volume: each interval's delta counts whole in the bucket holding its last instant
 *   (time(i) − 1 ms), so volumes are exact integers and a sample at the period end still counts.
 *   Across a run of intervals without resets, the volume is exactly the counter difference.
 */
import { BUCKET_MS, bucketCount, type Interval } from './periods.js';

/** One poll of an interface's octet counters. */
export interface CounterSample {
  readonly timeMs: number;
  readonly inOctets: bigint;
  readonly outOctets: bigint;
  /** The counter restarted or wrapped before this sample: its interval has no delta. */
  readonly reset: boolean;
  /** The sample is not trusted: its interval has no delta. */
  readonly quarantined: boolean;
}

/** How samples become buckets. */
export interface UsageOptions {
  /** Bucket length, 5 minutes unless testing. */
  readonly bucketMs?: number;
  /** Intervals longer than this give volume but no rate: 15 minutes by default. */
  readonly maxIntervalMs?: number;
}

/** How much of the period the samples cover, and what was left out. */
export interface UsageCoverage {
  readonly expectedBuckets: number;
  readonly observedBuckets: number;
  /** Period time covered by no rated interval, ms. */
  readonly gapMs: number;
  /** `gapMs` in minutes (fractional when the gap is not whole minutes). */
  readonly gapMinutes: number;
  /** Intervals closed by a `reset` sample inside the period. */
  readonly resets: number;
  /** Intervals closed by a `quarantined` sample inside the period. */
  readonly quarantined: number;
  /** Intervals whose counter went down without a flag (treated as resets). */
  readonly unflaggedDecreases: number;
  /** Intervals longer than `maxIntervalMs` (volume kept, rate not). */
  readonly longIntervals: number;
}

/** A period's usage, bucket by bucket. Index i of every array is bucket i of the period. */
export interface PeriodUsage {
  readonly period: Interval;
  readonly bucketMs: number;
  /** Inbound rate per bucket, bits per second; NaN for a bucket with no observation. */
  readonly inBps: Float64Array;
  /** Outbound rate per bucket, bits per second; NaN for a bucket with no observation. */
  readonly outBps: Float64Array;
  /** Inbound octets per bucket. */
  readonly inOctets: BigUint64Array;
  /** Outbound octets per bucket. */
  readonly outOctets: BigUint64Array;
  /** Sum of `inOctets`. */
  readonly inOctetsTotal: bigint;
  /** Sum of `outOctets`. */
  readonly outOctetsTotal: bigint;
  readonly coverage: UsageCoverage;
}

/**
 * What one interval between two consecutive samples gives: nothing (closed by a `reset` or
 * `quarantined` sample, or a counter that went down without a flag), volume only (longer than
 * `maxIntervalMs`), or volume and a rate. Both the raw path (`bucketUsage`) and the bucket ledger
 * (usage-ledger.ts) decide with this, so they cannot disagree on an interval.
 */
export type IntervalUsage =
  | { readonly kind: 'reset' | 'quarantined' | 'decrease' }
  | { readonly kind: 'long'; readonly inOctets: bigint; readonly outOctets: bigint }
  | {
      readonly kind: 'rated';
      readonly inOctets: bigint;
      readonly outOctets: bigint;
      /** delta × 8 / seconds, bits per second. */
      readonly inRateBps: number;
      readonly outRateBps: number;
    };

/** Classifies the interval [previous, current) (times must increase). */
export function classifyInterval(
  previous: CounterSample,
  current: CounterSample,
  maxIntervalMs: number,
): IntervalUsage {
  if (current.reset) return { kind: 'reset' };
  if (current.quarantined) return { kind: 'quarantined' };
  const inOctets = current.inOctets - previous.inOctets;
  const outOctets = current.outOctets - previous.outOctets;
  if (inOctets < 0n || outOctets < 0n) return { kind: 'decrease' };
  const durationMs = current.timeMs - previous.timeMs;
  if (durationMs > maxIntervalMs) return { kind: 'long', inOctets, outOctets };
  return {
    kind: 'rated',
    inOctets,
    outOctets,
    inRateBps: (Number(inOctets) * 8000) / durationMs,
    outRateBps: (Number(outOctets) * 8000) / durationMs,
  };
}

/** The longest interval that still gives a rate, by default: 15 minutes. */
export const MAX_INTERVAL_MS = 3 * BUCKET_MS;

/**
 * Buckets a period's counter samples.
 * @throws RangeError when sample times do not strictly increase (the reader must sort and dedupe).
 */
export function bucketUsage(
  period: Interval,
  samples: readonly CounterSample[],
  options: UsageOptions = {},
): PeriodUsage {
  const bucketMs = options.bucketMs ?? BUCKET_MS;
  const maxIntervalMs = options.maxIntervalMs ?? MAX_INTERVAL_MS;
  const count = bucketCount(period, bucketMs);
  const inWeighted = new Float64Array(count);
  const outWeighted = new Float64Array(count);
  const coveredMs = new Float64Array(count);
  const inOctets = new BigUint64Array(count);
  const outOctets = new BigUint64Array(count);
  let resets = 0;
  let quarantined = 0;
  let unflaggedDecreases = 0;
  let longIntervals = 0;

  for (let i = 1; i < samples.length; i++) {
    const previous = samples[i - 1];
    const current = samples[i];
    if (previous === undefined || current === undefined) continue;
    const startMs = previous.timeMs;
    const endMs = current.timeMs;
    if (endMs <= startMs) throw new RangeError(`usage: sample times must increase (at ${endMs})`);
    if (endMs <= period.startMs || startMs >= period.endMs) continue;

    const interval = classifyInterval(previous, current, maxIntervalMs);
    switch (interval.kind) {
      case 'reset':
        resets++;
        continue;
      case 'quarantined':
        quarantined++;
        continue;
      case 'decrease':
        unflaggedDecreases++;
        continue;
      case 'long':
      case 'rated':
        break;
    }
    const lastInstant = endMs - 1;
    if (lastInstant >= period.startMs && lastInstant < period.endMs) {
      const index = Math.floor((lastInstant - period.startMs) / bucketMs);
      inOctets[index] = (inOctets[index] ?? 0n) + interval.inOctets;
      outOctets[index] = (outOctets[index] ?? 0n) + interval.outOctets;
    }
    if (interval.kind === 'long') {
      longIntervals++;
      continue;
    }
    const { inRateBps, outRateBps } = interval;
    const from = Math.max(startMs, period.startMs);
    const to = Math.min(endMs, period.endMs);
    const last = Math.floor((to - 1 - period.startMs) / bucketMs);
    for (let index = Math.floor((from - period.startMs) / bucketMs); index <= last; index++) {
      const bucketStart = period.startMs + index * bucketMs;
      const bucketEnd = Math.min(bucketStart + bucketMs, period.endMs);
      const overlap = Math.min(to, bucketEnd) - Math.max(from, bucketStart);
      inWeighted[index] = (inWeighted[index] ?? 0) + inRateBps * overlap;
      outWeighted[index] = (outWeighted[index] ?? 0) + outRateBps * overlap;
      coveredMs[index] = (coveredMs[index] ?? 0) + overlap;
    }
  }

  const inBps = new Float64Array(count);
  const outBps = new Float64Array(count);
  let observedBuckets = 0;
  let coveredTotal = 0;
  for (let index = 0; index < count; index++) {
    const covered = coveredMs[index] ?? 0;
    coveredTotal += covered;
    if (covered > 0) {
      observedBuckets++;
      inBps[index] = (inWeighted[index] ?? 0) / covered;
      outBps[index] = (outWeighted[index] ?? 0) / covered;
    } else {
      inBps[index] = Number.NaN;
      outBps[index] = Number.NaN;
    }
  }
  return periodUsage(period, bucketMs, { inBps, outBps, inOctets, outOctets }, coveredTotal, {
    observedBuckets,
    resets,
    quarantined,
    unflaggedDecreases,
    longIntervals,
  });
}

/**
 * A period's usage from its bucket arrays, the time they cover and the counts of what was left
 * out: where the raw path (`bucketUsage`) and the bucket ledger (`ledgerUsage`) both end.
 */
export function periodUsage(
  period: Interval,
  bucketMs: number,
  buckets: Pick<PeriodUsage, 'inBps' | 'outBps' | 'inOctets' | 'outOctets'>,
  coveredMs: number,
  counts: Omit<UsageCoverage, 'expectedBuckets' | 'gapMs' | 'gapMinutes'>,
): PeriodUsage {
  const count = buckets.inBps.length;
  const gapMs = period.endMs - period.startMs - coveredMs;
  return {
    period,
    bucketMs,
    ...buckets,
    inOctetsTotal: sumOctets(buckets.inOctets, 0, count),
    outOctetsTotal: sumOctets(buckets.outOctets, 0, count),
    // In this key order, as evidence has always been written.
    coverage: {
      expectedBuckets: count,
      observedBuckets: counts.observedBuckets,
      gapMs,
      gapMinutes: gapMs / 60_000,
      resets: counts.resets,
      quarantined: counts.quarantined,
      unflaggedDecreases: counts.unflaggedDecreases,
      longIntervals: counts.longIntervals,
    },
  };
}

function sumOctets(octets: BigUint64Array, from: number, to: number): bigint {
  let total = 0n;
  for (let index = from; index < to; index++) total += octets[index] ?? 0n;
  return total;
}

/** The observed rates of buckets [fromBucket, toBucket), NaN gaps left out, in and out aligned. */
export function observedRates(
  usage: PeriodUsage,
  fromBucket = 0,
  toBucket = usage.inBps.length,
): { inBps: Float64Array; outBps: Float64Array } {
  const inBps: number[] = [];
  const outBps: number[] = [];
  for (
    let index = Math.max(0, fromBucket);
    index < Math.min(toBucket, usage.inBps.length);
    index++
  ) {
    const inbound = usage.inBps[index] ?? Number.NaN;
    if (Number.isNaN(inbound)) continue;
    inBps.push(inbound);
    outBps.push(usage.outBps[index] ?? Number.NaN);
  }
  return { inBps: Float64Array.from(inBps), outBps: Float64Array.from(outBps) };
}

/** The octets of buckets [fromBucket, toBucket), per direction. */
export function octetsBetween(
  usage: PeriodUsage,
  fromBucket = 0,
  toBucket = usage.inOctets.length,
): { inOctets: bigint; outOctets: bigint } {
  const from = Math.max(0, fromBucket);
  const to = Math.min(toBucket, usage.inOctets.length);
  return {
    inOctets: sumOctets(usage.inOctets, from, to),
    outOctets: sumOctets(usage.outOctets, from, to),
  };
}

/** Summary statistics of observed bucket rates, bits per second (all 0 with no observation). */
export interface RateStats {
  readonly meanBps: number;
  readonly maxBps: number;
  readonly minBps: number;
}

/** Mean, max and min of observed bucket rates (a plain mean over buckets). */
export function rateStats(ratesBps: Float64Array): RateStats {
  let sum = 0;
  let maxBps = Number.NEGATIVE_INFINITY;
  let minBps = Number.POSITIVE_INFINITY;
  let observed = 0;
  for (const rate of ratesBps) {
    if (Number.isNaN(rate)) continue;
    observed++;
    sum += rate;
    maxBps = Math.max(maxBps, rate);
    minBps = Math.min(minBps, rate);
  }
  if (observed === 0) return { meanBps: 0, maxBps: 0, minBps: 0 };
  return { meanBps: sum / observed, maxBps, minBps };
}
