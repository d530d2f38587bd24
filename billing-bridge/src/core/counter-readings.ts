/**
 * From the collector's stored interface readings to the counter samples `bucketUsage` bills.
 *
 * The collector (docs/metrics.md) writes the raw counters of every answered poll, and a rate
 * (`in_bps`/`out_bps`) only when it could vouch for the interval since the previous poll. So:
 * - A reading with a rate whose counter went down is a **wrap**: the collector took it as one
 *   (32-bit when the previous value fits in 32 bits, else 64-bit), and so does the bridge. The
 *   counter is unwrapped (the modulus is added to every later value), so its delta is billed.
 * - A reading **without any rate** is a **reset**: an agent restart, a counter that changed width,
 *   a poll with no elapsed uptime, or the first poll after the collector started. Its interval is
 *   not billed; it becomes the baseline of the next one. Losing one 5-minute interval after a
 *   collector restart is the price of never billing an interval nobody vouched for.
 * - A `quarantined` reading (an impossible rate, a counter glitch) is not billed either.
 * - InfluxDB 1.x has no unsigned integers: a negative stored counter is a Counter64 above 2^63−1,
 *   read back by adding 2^64.
 */
import type { Interval } from './periods.js';
import { bucketUsage, type CounterSample, type PeriodUsage } from './usage.js';

/** How far outside a period its baseline and closing readings are looked for. */
export const LOOKAROUND_MS = 3_600_000;

/** One stored `interface` reading, as read back from InfluxDB. */
export interface InterfaceReading {
  readonly timeMs: number;
  readonly inOctets: bigint | null;
  readonly outOctets: bigint | null;
  /** The collector wrote `in_bps` or `out_bps`: it vouched for the interval. */
  readonly hasRate: boolean;
  readonly quarantined: boolean;
}

/** The samples, with what the conversion decided along the way. */
export interface CounterReadings {
  readonly samples: readonly CounterSample[];
  /** Counter wraps unwrapped (per direction). */
  readonly wraps: number;
  /** Readings without both counters, left out. */
  readonly incomplete: number;
}

const TWO_POW_32 = 1n << 32n;
const TWO_POW_64 = 1n << 64n;

function unsigned(value: bigint): bigint {
  return value < 0n ? value + TWO_POW_64 : value;
}

/** The modulus of the wrap from `previous`: 2^32 for a value that fits 32 bits, else 2^64. */
function wrapModulus(previous: bigint): bigint {
  return previous < TWO_POW_32 ? TWO_POW_32 : TWO_POW_64;
}

/**
 * Turns readings into counter samples: sorted by time, one per instant (the last reading of an
 * instant wins), wraps unwrapped, resets and quarantined readings flagged.
 */
export function countersFromReadings(readings: readonly InterfaceReading[]): CounterReadings {
  const complete = readings.filter(
    (reading) => reading.inOctets !== null && reading.outOctets !== null,
  );
  const incomplete = readings.length - complete.length;
  // Readings come from InfluxDB in time order, one per instant: then they are used as they are.
  const ascending = complete.every(
    (reading, index) => index === 0 || reading.timeMs > (complete[index - 1]?.timeMs ?? 0),
  );
  const sorted = ascending
    ? complete
    : [...new Map(complete.map((reading) => [reading.timeMs, reading])).values()].sort(
        (a, b) => a.timeMs - b.timeMs,
      );
  const samples: CounterSample[] = [];
  let wraps = 0;
  let inOffset = 0n;
  let outOffset = 0n;
  let previousIn: bigint | null = null;
  let previousOut: bigint | null = null;
  for (const reading of sorted) {
    const rawIn = unsigned(reading.inOctets ?? 0n);
    const rawOut = unsigned(reading.outOctets ?? 0n);
    const first = previousIn === null || previousOut === null;
    const reset = !first && !reading.hasRate && !reading.quarantined;
    if (!first && reading.hasRate && !reading.quarantined) {
      if (previousIn !== null && rawIn < previousIn) {
        inOffset += wrapModulus(previousIn);
        wraps++;
      }
      if (previousOut !== null && rawOut < previousOut) {
        outOffset += wrapModulus(previousOut);
        wraps++;
      }
    }
    samples.push({
      timeMs: reading.timeMs,
      // Without a wrap so far the reading is the sample: adding 0n would allocate a BigInt per
      // reading, and a month of 10,000 circuits has 89 million of them.
      inOctets: inOffset === 0n ? rawIn : rawIn + inOffset,
      outOctets: outOffset === 0n ? rawOut : rawOut + outOffset,
      reset,
      quarantined: !first && reading.quarantined,
    });
    previousIn = rawIn;
    previousOut = rawOut;
  }
  return { samples, wraps, incomplete };
}

/** A reading with both counters: the only kind that bills. */
function isComplete(reading: InterfaceReading): boolean {
  return reading.inOctets !== null && reading.outOctets !== null;
}

/**
 * The readings that bill `interval`: the complete ones inside, plus the nearest complete one
 * either side (the baseline of the first interval, and the one closing the last).
 */
export function readingsFor(
  interval: Interval,
  readings: readonly InterfaceReading[],
): InterfaceReading[] {
  // InfluxDB answers in time order: then the readings are used as they are, one slice of them.
  const complete = readings.filter(isComplete);
  const ascending = complete.every(
    (reading, index) => index === 0 || reading.timeMs >= (complete[index - 1]?.timeMs ?? 0),
  );
  const sorted = ascending ? complete : complete.sort((a, b) => a.timeMs - b.timeMs);
  let first = 0;
  while (first < sorted.length && (sorted[first]?.timeMs ?? 0) < interval.startMs) first++;
  let end = first;
  while (end < sorted.length && (sorted[end]?.timeMs ?? 0) < interval.endMs) end++;
  // The last reading before the interval, those inside, and the first at or after its end.
  return sorted.slice(Math.max(0, first - 1), end + 1);
}

/**
 * The raw path: `interval`'s usage from the readings of [start − LOOKAROUND_MS,
 * end + LOOKAROUND_MS), with the wraps found.
 */
export function usageFromReadings(
  interval: Interval,
  readings: readonly InterfaceReading[],
): { usage: PeriodUsage; wraps: number } {
  const counters = countersFromReadings(readingsFor(interval, readings));
  return { usage: bucketUsage(interval, counters.samples), wraps: counters.wraps };
}
