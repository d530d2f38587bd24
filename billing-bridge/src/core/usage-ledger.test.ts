import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOOKAROUND_MS, usageFromReadings, type InterfaceReading } from './counter-readings.js';
import { BUCKET_MS, bucketCount, type Interval } from './periods.js';
import {
  bucketRate,
  followReadings,
  ledgerCovers,
  ledgerUsage,
  type LedgerBucket,
  type LedgerInterval,
  type LedgerSeries,
  type StoredBuckets,
} from './usage-ledger.js';
import type { PeriodUsage } from './usage.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const TWO_POW_63 = 1n << 63n;
const TWO_POW_64 = 1n << 64n;

/** The ledger as a store keeps it: the last value of each bucket, every no-rate interval. */
interface MemoryLedger {
  series: LedgerSeries;
  buckets: Map<number, LedgerBucket>;
  intervals: LedgerInterval[];
}

function follow(ledger: MemoryLedger, readings: readonly InterfaceReading[]): void {
  const step = followReadings(ledger.series, readings);
  ledger.series = step.series;
  for (const bucket of step.buckets) ledger.buckets.set(bucket.startMs, bucket);
  ledger.intervals.push(...step.intervals);
}

/** The period's buckets as the store reads them back (rates divided when written). */
function stored(ledger: MemoryLedger, period: Interval): StoredBuckets {
  const count = bucketCount(period);
  const result = {
    inBps: new Float64Array(count).fill(Number.NaN),
    outBps: new Float64Array(count).fill(Number.NaN),
    coveredMs: new Float64Array(count),
    inOctets: new BigUint64Array(count),
    outOctets: new BigUint64Array(count),
  };
  for (let index = 0; index < count; index++) {
    const bucket = ledger.buckets.get(period.startMs + index * BUCKET_MS);
    if (bucket === undefined) continue;
    result.inBps[index] = bucketRate(bucket.inWeighted, bucket.coveredMs);
    result.outBps[index] = bucketRate(bucket.outWeighted, bucket.coveredMs);
    result.coveredMs[index] = bucket.coveredMs;
    result.inOctets[index] = bucket.inOctets;
    result.outOctets[index] = bucket.outOctets;
  }
  return result;
}

/** Follows `readings` in windows cut at `cuts` (the first is where following begins). */
function ledgerOf(readings: readonly InterfaceReading[], cuts: readonly number[]): MemoryLedger {
  const ledger: MemoryLedger = {
    series: { baseline: null, open: null },
    buckets: new Map(),
    intervals: [],
  };
  for (let i = 1; i < cuts.length; i++) {
    const from = cuts[i - 1] ?? 0;
    const to = cuts[i] ?? 0;
    follow(
      ledger,
      readings.filter((reading) => reading.timeMs >= from && reading.timeMs < to),
    );
  }
  return ledger;
}

/** The raw path: what InfluxDB answers for the period's window, bucketed. */
function rawUsage(period: Interval, readings: readonly InterfaceReading[]): PeriodUsage {
  const window = readings.filter(
    (reading) =>
      reading.timeMs >= period.startMs - LOOKAROUND_MS &&
      reading.timeMs < period.endMs + LOOKAROUND_MS,
  );
  return usageFromReadings(period, window).usage;
}

/**
 * Follows `readings` in the windows cut at `cuts` (reversed within each when `shuffle`), and
 * expects the ledger to cover `period` and rate it as the raw path does.
 */
function expectRawUsage(
  period: Interval,
  readings: readonly InterfaceReading[],
  cuts: readonly number[],
  shuffle: boolean,
): void {
  const ledger = ledgerOf(shuffle ? [...readings].reverse() : readings, cuts);
  const extent = {
    followedFromMs: cuts[0] ?? 0,
    followedToMs: cuts.at(-1) ?? 0,
    lastReadingMs: ledger.series.baseline?.timeMs ?? null,
  };
  expect(ledgerCovers(period, extent)).toBe(true);
  const usage = ledgerUsage(period, stored(ledger, period), ledger.intervals);
  expect(usage).toEqual(rawUsage(period, readings));
}

function reading(
  timeMs: number,
  inOctets: bigint | null,
  outOctets: bigint | null,
  flags: Partial<InterfaceReading> = {},
): InterfaceReading {
  return { timeMs, inOctets, outOctets, hasRate: true, quarantined: false, ...flags };
}

/** A poll's kind, as the collector stores it. */
type PollKind = 'normal' | 'wrap' | 'reset' | 'quarantined' | 'incomplete';

/** A series of polls: steps between them, each poll's kind and traffic. */
const pollsArbitrary = fc.record({
  width: fc.constantFrom(32, 64),
  startOffsetMs: fc.integer({ min: 0, max: 3 * HOUR }),
  polls: fc.array(
    fc.record({
      stepMs: fc.oneof(
        { weight: 6, arbitrary: fc.constant(5 * MIN) },
        { weight: 3, arbitrary: fc.integer({ min: 1, max: 15 * MIN }) },
        { weight: 1, arbitrary: fc.integer({ min: 15 * MIN + 1, max: 3 * HOUR }) },
      ),
      kind: fc.constantFrom<PollKind>(
        'normal',
        'normal',
        'normal',
        'normal',
        'wrap',
        'reset',
        'quarantined',
        'incomplete',
      ),
      inOctets: fc.bigInt({ min: 0n, max: 40_000_000_000n }),
      outOctets: fc.bigInt({ min: 0n, max: 40_000_000_000n }),
    }),
    { minLength: 2, maxLength: 120 },
  ),
});

type PollSeries = typeof pollsArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** The stored readings of a series of polls from `firstMs`. */
function readingsOf(series: PollSeries, firstMs: number): InterfaceReading[] {
  const modulus = series.width === 32 ? 1n << 32n : TWO_POW_64;
  // 64-bit counters start near the top, so they wrap and InfluxDB stores some negative.
  let inCounter = series.width === 32 ? 4_000_000_000n : TWO_POW_64 - 50_000_000_000n;
  let outCounter = inCounter / 2n;
  const stored = (value: bigint): bigint =>
    series.width === 64 && value >= TWO_POW_63 ? value - TWO_POW_64 : value;
  let timeMs = firstMs;
  return series.polls.map((poll) => {
    timeMs += poll.stepMs;
    if (poll.kind === 'reset') {
      inCounter = poll.inOctets % modulus;
      outCounter = poll.outOctets % modulus;
      return reading(timeMs, stored(inCounter), stored(outCounter), { hasRate: false });
    }
    if (poll.kind === 'wrap') {
      inCounter = (inCounter + modulus - 1n - (inCounter % 1_000n)) % modulus;
    }
    inCounter = (inCounter + poll.inOctets) % modulus;
    outCounter = (outCounter + poll.outOctets) % modulus;
    if (poll.kind === 'quarantined') {
      return reading(timeMs, stored(inCounter), stored(outCounter), {
        hasRate: false,
        quarantined: true,
      });
    }
    if (poll.kind === 'incomplete') return reading(timeMs, stored(inCounter), null);
    return reading(timeMs, stored(inCounter), stored(outCounter));
  });
}

describe('usage ledger', () => {
  it('follows a month of steady polls to the buckets the raw path gives', () => {
    const period = { startMs: Date.UTC(2026, 3, 1), endMs: Date.UTC(2026, 3, 2) };
    const readings = Array.from({ length: 320 }, (_, k) =>
      reading(period.startMs - HOUR + k * 5 * MIN + 17_000, BigInt(k) * 37_500_000n, 0n),
    );
    const ledger = ledgerOf(readings, [period.startMs - HOUR, period.endMs + HOUR]);
    const usage = ledgerUsage(period, stored(ledger, period), ledger.intervals);
    expect(usage).toEqual(rawUsage(period, readings));
    expect(usage.inBps[0]).toBe(1_000_000);
    expect(usage.coverage.observedBuckets).toBe(288);
  });

  it('carries the open bucket across steps cut inside it', () => {
    const readings = [0, 2, 4, 6, 8, 11].map((minute) =>
      reading(minute * MIN, BigInt(minute) * 7_500_000n, 0n),
    );
    const whole = ledgerOf(readings, [0, 12 * MIN]);
    const cut = ledgerOf(readings, [0, 3 * MIN, 7 * MIN, 12 * MIN]);
    expect(cut.buckets).toEqual(whole.buckets);
    expect(cut.series).toEqual(whole.series);
    // 1 Mbit/s throughout. Bucket [5, 10) min was covered by [4, 6), [6, 8) and [8, 11) in three
    // steps, and holds the octets of the two intervals ending in it.
    expect(cut.buckets.get(5 * MIN)).toMatchObject({ coveredMs: 5 * MIN, inOctets: 30_000_000n });
    // [10, 15) holds the baseline (11 min): open, with one minute covered and [8, 11)'s octets.
    expect(cut.series.open).toMatchObject({
      startMs: 10 * MIN,
      coveredMs: MIN,
      inOctets: 22_500_000n,
    });
  });

  it('keeps the intervals without a rate: a gap, a reset, a quarantined reading', () => {
    const readings = [
      reading(0, 100n, 100n),
      reading(5 * MIN, 200n, 200n),
      reading(65 * MIN, 300n, 300n),
      reading(70 * MIN, 5n, 5n, { hasRate: false }),
      reading(75 * MIN, 10n, 10n, { hasRate: false, quarantined: true }),
    ];
    expect(ledgerOf(readings, [0, HOUR * 2]).intervals).toEqual([
      { startMs: 5 * MIN, endMs: 65 * MIN, kind: 'long', inOctets: 100n, outOctets: 100n },
      { startMs: 65 * MIN, endMs: 70 * MIN, kind: 'reset', inOctets: 0n, outOctets: 0n },
      { startMs: 70 * MIN, endMs: 75 * MIN, kind: 'quarantined', inOctets: 0n, outOctets: 0n },
    ]);
  });

  it.each([
    {
      name: 'followed from an hour before to an hour after',
      from: -HOUR,
      to: HOUR,
      last: null,
      want: true,
    },
    {
      name: 'followed from later than an hour before',
      from: -HOUR + 1,
      to: HOUR,
      last: null,
      want: false,
    },
    {
      name: 'not an hour after, no reading after the end',
      from: -HOUR,
      to: HOUR - 1,
      last: -1,
      want: false,
    },
    { name: 'not an hour after, a reading at the end', from: -HOUR, to: 1, last: 0, want: true },
  ])('covers a period: $name', ({ from, to, last, want }) => {
    const period = { startMs: 10 * HOUR, endMs: 20 * HOUR };
    expect(
      ledgerCovers(period, {
        followedFromMs: period.startMs + from,
        followedToMs: period.endMs + to,
        lastReadingMs: last === null ? null : period.endMs + last,
      }),
    ).toBe(want);
  });

  it('does not cover a period off the 5-minute grid', () => {
    const extent = { followedFromMs: 0, followedToMs: 100 * HOUR, lastReadingMs: null };
    expect(ledgerCovers({ startMs: 10 * HOUR + MIN, endMs: 20 * HOUR }, extent)).toBe(false);
  });

  it('rates any period as the raw path, however the readings are cut into steps', () => {
    fc.assert(
      fc.property(
        pollsArbitrary,
        fc.integer({ min: 1, max: 48 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        fc.integer({ min: 0, max: 2 * HOUR }),
        fc.boolean(),
        (series, buckets, cutFractions, beforeMs, shuffle) => {
          const period = {
            startMs: Date.UTC(2026, 2, 1) + 3 * HOUR,
            endMs: Date.UTC(2026, 2, 1) + 3 * HOUR + buckets * BUCKET_MS,
          };
          const readings = readingsOf(series, period.startMs - 4 * HOUR + series.startOffsetMs);
          // Following begins an hour or more before the period and goes an hour past it.
          const beginMs = period.startMs - LOOKAROUND_MS - beforeMs;
          const endMs = period.endMs + LOOKAROUND_MS;
          const cuts = [
            beginMs,
            ...cutFractions
              .map((f) => Math.floor(beginMs + f * (endMs - beginMs)))
              .sort((a, b) => a - b),
            endMs,
          ];
          expectRawUsage(period, readings, cuts, shuffle);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('rates a period as the raw path once a reading at or after its end is followed', () => {
    fc.assert(
      fc.property(pollsArbitrary, fc.integer({ min: 1, max: 24 }), (series, buckets) => {
        const period = {
          startMs: Date.UTC(2026, 2, 1) + 2 * HOUR,
          endMs: Date.UTC(2026, 2, 1) + 2 * HOUR + buckets * BUCKET_MS,
        };
        const readings = readingsOf(series, period.startMs - 3 * HOUR + series.startOffsetMs);
        const beginMs = period.startMs - LOOKAROUND_MS;
        // Followed only up to just after the first complete reading at or after the end.
        const closing = readings.find(
          (r) => r.timeMs >= period.endMs && r.inOctets !== null && r.outOctets !== null,
        );
        if (closing === undefined || closing.timeMs >= period.endMs + LOOKAROUND_MS) return;
        expectRawUsage(period, readings, [beginMs, closing.timeMs + 1], false);
      }),
      { numRuns: 300 },
    );
  });
});
