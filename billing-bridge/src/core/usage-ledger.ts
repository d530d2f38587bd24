/**
 * The usage ledger: each billed series' 5-minute bucket rates and volumes, kept as its readings
 * arrive, so that a period is rated from its buckets instead of every raw reading (LibreNMS keeps
 * a bill's running data at each poll the same way).
 *
 * The ledger gives exactly what the raw path gives (`countersFromReadings`, `readingsFor`,
 * `bucketUsage`) for the same readings:
 * - Readings are followed in time order; each new complete reading closes the interval from the
 *   series' baseline (its last complete reading), decided by the same `countersFromReadings` (wraps,
 *   resets, quarantine) and `classifyInterval` (decrease, long, rated).
 * - Buckets are on the epoch's 5-minute grid, which is every real period's grid (periods start on
 *   whole minutes of zones offset by multiples of 5 minutes; `ledgerCovers` checks). A rated
 *   interval spreads `rate × overlap` over the buckets it overlaps, in time order, as
 *   `bucketUsage` does, so every sum is the same floating-point sum. The bucket holding the
 *   baseline may still grow (the next interval starts in it): it is the series' open bucket,
 *   kept with its sums.
 * - Intervals that give no rate are kept one by one (they are few: gaps, resets, quarantine):
 *   the raw path reads an hour either side of a period (`LOOKAROUND_MS`), so an interval with an
 *   end beyond it, or a start before it, is not in its view; `ledgerUsage` leaves those out too.
 */
import { countersFromReadings, LOOKAROUND_MS, type InterfaceReading } from './counter-readings.js';
import { BUCKET_MS, bucketCount, type Interval } from './periods.js';
import { classifyInterval, MAX_INTERVAL_MS, periodUsage, type PeriodUsage } from './usage.js';

/** The last complete reading of a series (raw counters, unsigned): the next interval's start. */
export interface LedgerBaseline {
  readonly timeMs: number;
  readonly inOctets: bigint;
  readonly outOctets: bigint;
}

/** One bucket's sums: rate × covered ms per direction, covered ms, octets. */
export interface LedgerBucket {
  /** Epoch ms, a multiple of the bucket length. */
  readonly startMs: number;
  readonly inWeighted: number;
  readonly outWeighted: number;
  readonly coveredMs: number;
  readonly inOctets: bigint;
  readonly outOctets: bigint;
}

/** What the ledger keeps of a series between readings. */
export interface LedgerSeries {
  readonly baseline: LedgerBaseline | null;
  /** The bucket holding the baseline's time, if an interval added to it. */
  readonly open: LedgerBucket | null;
}

/** An interval that gave no rate: volume only (`long`) or nothing at all. */
export interface LedgerInterval {
  readonly startMs: number;
  readonly endMs: number;
  readonly kind: 'reset' | 'quarantined' | 'decrease' | 'long';
  /** Octets of a `long` interval (0 for the others). */
  readonly inOctets: bigint;
  readonly outOctets: bigint;
}

/** What following a series' new readings gave. */
export interface LedgerStep {
  readonly series: LedgerSeries;
  /** Every bucket the readings added to, in time order, with its sums so far (to store whole). */
  readonly buckets: readonly LedgerBucket[];
  readonly intervals: readonly LedgerInterval[];
}

const EMPTY: Omit<LedgerBucket, 'startMs'> = {
  inWeighted: 0,
  outWeighted: 0,
  coveredMs: 0,
  inOctets: 0n,
  outOctets: 0n,
};

interface MutableBucket {
  startMs: number;
  inWeighted: number;
  outWeighted: number;
  coveredMs: number;
  inOctets: bigint;
  outOctets: bigint;
}

/**
 * Follows a series' new readings (any order; readings at or before the baseline, and readings
 * without both counters, are left out as the raw path leaves them out).
 */
export function followReadings(
  series: LedgerSeries,
  readings: readonly InterfaceReading[],
  bucketMs: number = BUCKET_MS,
): LedgerStep {
  const { baseline } = series;
  const fresh = readings.filter(
    (reading) =>
      reading.inOctets !== null &&
      reading.outOctets !== null &&
      (baseline === null || reading.timeMs > baseline.timeMs),
  );
  if (fresh.length === 0) return { series, buckets: [], intervals: [] };
  // The baseline goes first: `countersFromReadings` takes the first reading as a plain baseline,
  // as the raw path takes the last reading before a period.
  const base: InterfaceReading[] =
    baseline === null ? [] : [{ ...baseline, hasRate: false, quarantined: false }];
  const { samples } = countersFromReadings([...base, ...fresh]);

  const touched: MutableBucket[] = series.open === null ? [] : [{ ...series.open }];
  const bucketAt = (index: number): MutableBucket => {
    const startMs = index * bucketMs;
    const last = touched.at(-1);
    if (last?.startMs === startMs) return last;
    const bucket = { startMs, ...EMPTY };
    touched.push(bucket);
    return bucket;
  };
  const intervals: LedgerInterval[] = [];
  for (let i = 1; i < samples.length; i++) {
    const previous = samples[i - 1];
    const current = samples[i];
    if (previous === undefined || current === undefined) continue;
    const startMs = previous.timeMs;
    const endMs = current.timeMs;
    const interval = classifyInterval(previous, current, MAX_INTERVAL_MS);
    if (interval.kind !== 'rated') {
      const long = interval.kind === 'long';
      intervals.push({
        startMs,
        endMs,
        kind: interval.kind,
        inOctets: long ? interval.inOctets : 0n,
        outOctets: long ? interval.outOctets : 0n,
      });
      continue;
    }
    // The same sums in the same order as `bucketUsage`: rate × overlap per bucket, then octets
    // whole in the bucket of the interval's last instant (the last bucket it overlaps).
    const last = Math.floor((endMs - 1) / bucketMs);
    for (let index = Math.floor(startMs / bucketMs); index <= last; index++) {
      const bucket = bucketAt(index);
      const overlap =
        Math.min(endMs, bucket.startMs + bucketMs) - Math.max(startMs, bucket.startMs);
      bucket.inWeighted += interval.inRateBps * overlap;
      bucket.outWeighted += interval.outRateBps * overlap;
      bucket.coveredMs += overlap;
    }
    const closing = bucketAt(last);
    closing.inOctets += interval.inOctets;
    closing.outOctets += interval.outOctets;
  }
  // The latest reading (the last of an instant, as `countersFromReadings` keeps it).
  const lastReading = fresh.reduce((latest, reading) =>
    reading.timeMs >= latest.timeMs ? reading : latest,
  );
  const nextBaseline: LedgerBaseline = {
    timeMs: lastReading.timeMs,
    // The raw counters (not unwrapped): the next step compares the next reading with these.
    inOctets: unsigned(lastReading.inOctets ?? 0n),
    outOctets: unsigned(lastReading.outOctets ?? 0n),
  };
  const openStartMs = Math.floor(nextBaseline.timeMs / bucketMs) * bucketMs;
  const open = touched.find((bucket) => bucket.startMs === openStartMs) ?? null;
  return {
    series: { baseline: nextBaseline, open },
    buckets: touched,
    intervals,
  };
}

const TWO_POW_64 = 1n << 64n;

/** InfluxDB 1.x stores a Counter64 above 2^63 − 1 as a negative integer. */
function unsigned(value: bigint): bigint {
  return value < 0n ? value + TWO_POW_64 : value;
}

/** True when the period starts and ends on the epoch's bucket grid (every real zone's periods do). */
export function onBucketGrid(period: Interval, bucketMs: number = BUCKET_MS): boolean {
  return period.startMs % bucketMs === 0 && period.endMs % bucketMs === 0;
}

/** How far a series is followed, to decide whether the ledger can rate a period. */
export interface LedgerExtent {
  /** The ledger has every reading of the series from this time on. */
  readonly followedFromMs: number;
  /** ... up to this time (exclusive): where the follower stands. */
  readonly followedToMs: number;
  /** The series' last reading followed, if any. */
  readonly lastReadingMs: number | null;
}

/**
 * True when the ledger holds every reading the raw path would read for `period`: from an hour
 * before it, up to a reading at or after its end (which closes its last interval) or an hour
 * after it; and the period is on the bucket grid.
 */
export function ledgerCovers(
  period: Interval,
  extent: LedgerExtent,
  bucketMs: number = BUCKET_MS,
): boolean {
  if (!onBucketGrid(period, bucketMs)) return false;
  if (extent.followedFromMs > period.startMs - LOOKAROUND_MS) return false;
  return (
    extent.followedToMs >= period.endMs + LOOKAROUND_MS ||
    (extent.lastReadingMs !== null && extent.lastReadingMs >= period.endMs)
  );
}

/** A period's stored buckets, index i being bucket i of the period. */
export interface StoredBuckets {
  /** Rate per bucket (NaN: none observed), bits per second. */
  readonly inBps: Float64Array;
  readonly outBps: Float64Array;
  readonly coveredMs: Float64Array;
  readonly inOctets: BigUint64Array;
  readonly outOctets: BigUint64Array;
}

/** The bucket's rate as `bucketUsage` computes it: the weighted sum over the covered time. */
export function bucketRate(weighted: number, coveredMs: number): number {
  return coveredMs > 0 ? weighted / coveredMs : Number.NaN;
}

/**
 * A period's usage from its stored buckets and the no-rate intervals around it: the same
 * `PeriodUsage` `bucketUsage` gives from the raw readings.
 * @throws RangeError when the arrays are not the period's bucket count.
 */
export function ledgerUsage(
  period: Interval,
  stored: StoredBuckets,
  intervals: readonly LedgerInterval[],
  bucketMs: number = BUCKET_MS,
): PeriodUsage {
  const count = bucketCount(period, bucketMs);
  if (stored.inBps.length !== count || stored.inOctets.length !== count) {
    throw new RangeError(`ledgerUsage: ${String(count)} buckets expected`);
  }
  const inOctets = stored.inOctets.slice();
  const outOctets = stored.outOctets.slice();
  let resets = 0;
  let quarantined = 0;
  let unflaggedDecreases = 0;
  let longIntervals = 0;
  for (const interval of intervals) {
    const inView =
      interval.startMs >= period.startMs - LOOKAROUND_MS &&
      interval.endMs < period.endMs + LOOKAROUND_MS &&
      interval.endMs > period.startMs &&
      interval.startMs < period.endMs;
    if (!inView) continue;
    switch (interval.kind) {
      case 'reset':
        resets++;
        break;
      case 'quarantined':
        quarantined++;
        break;
      case 'decrease':
        unflaggedDecreases++;
        break;
      case 'long': {
        longIntervals++;
        const lastInstant = interval.endMs - 1;
        if (lastInstant < period.endMs) {
          const index = Math.floor((lastInstant - period.startMs) / bucketMs);
          inOctets[index] = (inOctets[index] ?? 0n) + interval.inOctets;
          outOctets[index] = (outOctets[index] ?? 0n) + interval.outOctets;
        }
        break;
      }
    }
  }
  let observedBuckets = 0;
  let coveredTotal = 0;
  for (let index = 0; index < count; index++) {
    const covered = stored.coveredMs[index] ?? 0;
    coveredTotal += covered;
    if (covered > 0) observedBuckets++;
  }
  return periodUsage(
    period,
    bucketMs,
    { inBps: stored.inBps, outBps: stored.outBps, inOctets, outOctets },
    coveredTotal,
    { observedBuckets, resets, quarantined, unflaggedDecreases, longIntervals },
  );
}

/** The key of one device interface in the ledger's maps. */
export function seriesKey(device: string, iface: string): string {
  return JSON.stringify([device, iface]);
}
