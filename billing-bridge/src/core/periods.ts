/**
 * Billing periods and their 5-minute buckets.
 *
 * A monthly period with anchor day A (1..28) in zone Z starts at the first instant of day A of a
 * month in Z and ends (exclusive) at the first instant of day A of the next month in Z: the
 * half-open interval [startMs, endMs) in UTC epoch ms. So a Europe/Berlin period containing the
 * March change is one hour shorter (743 h for March), the October one is one hour longer, and
 * month lengths come for free. Anchors stop at 28 so every month has the anchor day.
 *
 * Buckets are fixed 5-minute slices of real (UTC) time aligned to the period start:
 * bucket i = [startMs + i·5 min, startMs + (i+1)·5 min), the last one clipped to endMs should the
 * period length not be a multiple of 5 minutes (no real zone does that today).
 */
import { localDateAt, startOfLocalDay } from './time-zone.js';

/** The length of one usage bucket: 5 minutes. */
export const BUCKET_MS = 300_000;

/** One billing period of one customer. */
export interface BillingPeriod {
  /** First instant, UTC epoch ms (inclusive). */
  readonly startMs: number;
  /** First instant of the next period, UTC epoch ms (exclusive). */
  readonly endMs: number;
  /** IANA zone the period is cut in. */
  readonly timeZone: string;
  /** Day of the month the period starts on, 1..28. */
  readonly anchorDay: number;
  /** Local year and month (1..12) of the start: the period "2026-03" starts on 2026-03-anchorDay. */
  readonly year: number;
  readonly month: number;
}

function checkAnchorDay(anchorDay: number): void {
  if (!Number.isInteger(anchorDay) || anchorDay < 1 || anchorDay > 28) {
    throw new RangeError(`billing anchor day must be an integer 1..28, got ${anchorDay}`);
  }
}

/**
 * The period that starts on `anchorDay` of local month `year`-`month` (month 1..12, overflow
 * normalized: month 0 is December of the previous year).
 * @throws RangeError for an anchor day outside 1..28 or an unknown time zone (both rejected when
 *   the config is validated).
 */
export function billingPeriod(
  year: number,
  month: number,
  anchorDay: number,
  timeZone: string,
): BillingPeriod {
  checkAnchorDay(anchorDay);
  const index = year * 12 + (month - 1);
  const startYear = Math.floor(index / 12);
  const startMonth = index - startYear * 12 + 1;
  const startMs = startOfLocalDay(timeZone, { year: startYear, month: startMonth, day: anchorDay });
  const endMs = startOfLocalDay(timeZone, {
    year: startYear,
    month: startMonth + 1,
    day: anchorDay,
  });
  return { startMs, endMs, timeZone, anchorDay, year: startYear, month: startMonth };
}

/** The period that contains the instant (start ≤ instant < end). */
export function periodContaining(
  instantMs: number,
  anchorDay: number,
  timeZone: string,
): BillingPeriod {
  const local = localDateAt(timeZone, instantMs);
  const candidate = billingPeriod(local.year, local.month, anchorDay, timeZone);
  return instantMs < candidate.startMs
    ? billingPeriod(local.year, local.month - 1, anchorDay, timeZone)
    : candidate;
}

/** The period right after `period`: its start is `period.endMs`. */
export function nextPeriod(period: BillingPeriod): BillingPeriod {
  return billingPeriod(period.year, period.month + 1, period.anchorDay, period.timeZone);
}

/** The period right before `period`: its end is `period.startMs`. */
export function previousPeriod(period: BillingPeriod): BillingPeriod {
  return billingPeriod(period.year, period.month - 1, period.anchorDay, period.timeZone);
}

/** "2026-03" for anchor day 1, "2026-03-15" otherwise: a stable id for a customer's period. */
export function periodLabel(period: BillingPeriod): string {
  const month = String(period.month).padStart(2, '0');
  const base = `${String(period.year).padStart(4, '0')}-${month}`;
  return period.anchorDay === 1 ? base : `${base}-${String(period.anchorDay).padStart(2, '0')}`;
}

/** A half-open interval of UTC epoch ms. */
export interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

/** The number of buckets in a period: ceil(length / bucketMs). 8,928 for 31 days of 5 minutes. */
export function bucketCount(period: Interval, bucketMs = BUCKET_MS): number {
  return Math.ceil((period.endMs - period.startMs) / bucketMs);
}

/** The index of the bucket containing the instant, or null outside [startMs, endMs). */
export function bucketIndexAt(
  period: Interval,
  instantMs: number,
  bucketMs = BUCKET_MS,
): number | null {
  if (instantMs < period.startMs || instantMs >= period.endMs) return null;
  return Math.floor((instantMs - period.startMs) / bucketMs);
}

/** Bucket i of a period: [start + i·bucketMs, min(start + (i+1)·bucketMs, end)). */
export function bucketInterval(period: Interval, index: number, bucketMs = BUCKET_MS): Interval {
  const startMs = period.startMs + index * bucketMs;
  return { startMs, endMs: Math.min(startMs + bucketMs, period.endMs) };
}
