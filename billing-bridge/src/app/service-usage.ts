/**
 * One service's usage over an interval, from the stored readings: the readings inside, plus the
 * last one before (the baseline of the first interval) and the first one at or after the end
 * (which closes the last interval), within `LOOKAROUND_MS` either side.
 */
import {
  bucketUsage,
  countersFromReadings,
  type Interval,
  type InterfaceReading,
  type PeriodUsage,
} from '../core/index.js';
import type { InterfaceReadings } from '../ports.js';

/** How far outside the interval the baseline and closing readings are looked for. */
export const LOOKAROUND_MS = 3_600_000;

/** The readings that bill `interval`: inside, plus the nearest one either side. */
export function readingsFor(
  interval: Interval,
  readings: readonly InterfaceReading[],
): InterfaceReading[] {
  // InfluxDB answers in time order: then the readings are used as they are, one slice of them.
  const ascending = readings.every(
    (reading, index) => index === 0 || reading.timeMs >= (readings[index - 1]?.timeMs ?? 0),
  );
  const sorted = ascending ? readings : [...readings].sort((a, b) => a.timeMs - b.timeMs);
  let first = 0;
  while (first < sorted.length && (sorted[first]?.timeMs ?? 0) < interval.startMs) first++;
  let end = first;
  while (end < sorted.length && (sorted[end]?.timeMs ?? 0) < interval.endMs) end++;
  // The last reading before the interval, those inside, and the first at or after its end.
  return sorted.slice(Math.max(0, first - 1), end + 1);
}

/** Reads and buckets one device interface over `interval`, with the wraps found. */
export async function readServiceUsage(
  source: InterfaceReadings,
  device: string,
  iface: string,
  interval: Interval,
): Promise<{ usage: PeriodUsage; wraps: number }> {
  const readings = await source.read(
    device,
    iface,
    interval.startMs - LOOKAROUND_MS,
    interval.endMs + LOOKAROUND_MS,
  );
  const counters = countersFromReadings(readingsFor(interval, readings));
  return { usage: bucketUsage(interval, counters.samples), wraps: counters.wraps };
}

/**
 * Runs reads ahead of their use: the function returned gives the results in the order of `reads`,
 * and each call starts the next reads so that `inFlight` of them (the one taken included) run at
 * once. InfluxDB then answers the next circuits while the bridge rates this one, and no more than
 * `inFlight` results wait in memory. A read that fails is reported when taken, never before.
 */
export function readAhead<T>(
  reads: readonly (() => Promise<T>)[],
  inFlight: number,
): () => Promise<T> {
  const started: Promise<T>[] = [];
  let next = 0;
  return () => {
    while (next < reads.length && started.length < inFlight) {
      const read = reads[next++];
      if (read === undefined) break;
      const result = read();
      // Handled when taken; until then a failure must not count as unhandled.
      result.catch(() => undefined);
      started.push(result);
    }
    const result = started.shift();
    if (result === undefined) throw new Error('every read was taken');
    return result;
  };
}
