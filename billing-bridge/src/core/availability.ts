/**
 * Availability of a service over a billing period, from its outages.
 *
 * Conventions (see docs/billing.md):
 * - An outage is the half-open interval [startMs, endMs); an outage still open (endMs null) lasts
 *   until `nowMs`. Outages flagged `inMaintenance` are excluded from the SLA entirely.
 * - The counted outages are clipped to the period and overlaps are merged, so a minute of downtime
 *   is counted once however many outages cover it.
 * - availability = 1 − downtime / period length, as an exact ratio; the period length includes
 *   maintenance time (maintenance is excluded from downtime, not from the period).
 */
import { ratio, sub, ONE, type Ratio } from '@faultline/shared';
import type { Interval } from './periods.js';

/** A customer-service outage as the correlator records it. */
export interface Outage {
  readonly id: string;
  readonly startMs: number;
  /** Null while the outage is still open. */
  readonly endMs: number | null;
  /** It fell in a maintenance window: excluded from the SLA. */
  readonly inMaintenance: boolean;
}

/** One merged stretch of downtime and the outages that make it up. */
export interface DowntimeInterval {
  readonly startMs: number;
  readonly endMs: number;
  readonly outageIds: readonly string[];
}

/** The availability of one service over one period. */
export interface Availability {
  readonly periodMs: number;
  readonly downtimeMs: number;
  /** downtimeMs / 60,000 (fractional when not whole minutes). */
  readonly downtimeMinutes: number;
  /** 1 − downtime / period, exact, in [0, 1]. */
  readonly availability: Ratio;
  /** Merged downtime, sorted by start. */
  readonly intervals: readonly DowntimeInterval[];
  /** Outages that count toward downtime (they overlap the period, outside maintenance). */
  readonly countedOutageIds: readonly string[];
  /** Outages that overlap the period but are excluded as maintenance. */
  readonly maintenanceOutageIds: readonly string[];
}

/**
 * Clips and merges downtime intervals: the union of [startMs, endMs) ∩ period, sorted, disjoint
 * and non-adjacent (touching intervals are joined).
 */
export function mergeIntervals(
  period: Interval,
  intervals: readonly (Interval & { readonly id: string })[],
): DowntimeInterval[] {
  const clipped = intervals
    .map((interval) => ({
      id: interval.id,
      startMs: Math.max(interval.startMs, period.startMs),
      endMs: Math.min(interval.endMs, period.endMs),
    }))
    .filter((interval) => interval.endMs > interval.startMs)
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || (a.id < b.id ? -1 : 1));
  const merged: { startMs: number; endMs: number; outageIds: string[] }[] = [];
  for (const interval of clipped) {
    const last = merged.at(-1);
    if (last !== undefined && interval.startMs <= last.endMs) {
      last.endMs = Math.max(last.endMs, interval.endMs);
      if (!last.outageIds.includes(interval.id)) last.outageIds.push(interval.id);
    } else {
      merged.push({ startMs: interval.startMs, endMs: interval.endMs, outageIds: [interval.id] });
    }
  }
  return merged;
}

/**
 * The availability of a service over a period.
 * @param nowMs the end of outages that are still open (the billing run's clock).
 */
export function computeAvailability(
  period: Interval,
  outages: readonly Outage[],
  nowMs: number,
): Availability {
  const periodMs = period.endMs - period.startMs;
  const closed = outages.map((outage) => ({
    id: outage.id,
    startMs: outage.startMs,
    endMs: outage.endMs ?? nowMs,
    inMaintenance: outage.inMaintenance,
  }));
  const overlaps = closed.filter(
    (outage) => Math.max(outage.startMs, period.startMs) < Math.min(outage.endMs, period.endMs),
  );
  const counted = overlaps.filter((outage) => !outage.inMaintenance);
  const intervals = mergeIntervals(period, counted);
  const downtimeMs = intervals.reduce(
    (total, interval) => total + interval.endMs - interval.startMs,
    0,
  );
  return {
    periodMs,
    downtimeMs,
    downtimeMinutes: downtimeMs / 60_000,
    availability: periodMs > 0 ? sub(ONE, ratio(BigInt(downtimeMs), BigInt(periodMs))) : ONE,
    intervals,
    countedOutageIds: counted.map((outage) => outage.id),
    maintenanceOutageIds: overlaps
      .filter((outage) => outage.inMaintenance)
      .map((outage) => outage.id),
  };
}
