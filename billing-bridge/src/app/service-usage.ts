/**
 * One service's usage over a period: from the usage ledger's buckets when it holds every reading
 * the period needs, else (or when asked to re-rate) from InfluxDB's raw readings: those inside,
 * plus the nearest one either side within `LOOKAROUND_MS`.
 */
import {
  ledgerCovers,
  ledgerUsage,
  LOOKAROUND_MS,
  onBucketGrid,
  usageFromReadings,
  type Interval,
  type PeriodUsage,
} from '../core/index.js';
import type { InterfaceReadings, SeriesId, UsageLedgerStore } from '../ports.js';

/** Reads and buckets one device interface's raw readings over `interval`, with the wraps found. */
export async function readRawUsage(
  source: InterfaceReadings,
  series: SeriesId,
  interval: Interval,
): Promise<{ usage: PeriodUsage; wraps: number }> {
  const readings = await source.read(
    series.device,
    series.iface,
    interval.startMs - LOOKAROUND_MS,
    interval.endMs + LOOKAROUND_MS,
  );
  return usageFromReadings(interval, readings);
}

/** Where a period's usage came from. */
export type UsageOrigin = 'buckets' | 'raw';

/** Periods' usages, from the ledger or the raw readings. */
export interface UsageSource {
  /**
   * The usage of `series` over `period`: from the ledger's buckets when it covers the period,
   * from the raw readings otherwise or when `raw` is asked (a re-rate).
   */
  read(
    series: SeriesId,
    period: Interval,
    raw: boolean,
  ): Promise<{ usage: PeriodUsage; origin: UsageOrigin }>;
}

/** Creates the source; without a ledger every usage is read raw. */
export function createUsageSource(deps: {
  readonly readings: InterfaceReadings;
  readonly ledger: UsageLedgerStore | undefined;
}): UsageSource {
  const { readings, ledger } = deps;
  return {
    async read(series, period, raw) {
      if (ledger !== undefined && !raw && onBucketGrid(period)) {
        const { extent, stored, intervals } = await ledger.readPeriod(
          series,
          period.startMs,
          period.endMs,
        );
        if (extent !== null && ledgerCovers(period, extent)) {
          return { usage: ledgerUsage(period, stored, intervals), origin: 'buckets' };
        }
      }
      return { usage: (await readRawUsage(readings, series, period)).usage, origin: 'raw' };
    },
  };
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
