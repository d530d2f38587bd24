/**
 * When to poll. Devices with one interval would otherwise be polled in lockstep, every agent
 * answering at the same instant: the first poll of each device is spread over the start, and
 * every later one moves by a few percent.
 */

/** Later polls move by up to ± this fraction of the interval. */
export const POLL_JITTER = 0.05;
/** First polls are spread over at most this long after start. */
export const FIRST_POLL_SPREAD_MS = 10_000;

/** Delay before a device's first poll; `random` is uniform in [0, 1). */
export function firstPollDelayMs(intervalMs: number, random: number): number {
  return Math.floor(random * Math.min(intervalMs, FIRST_POLL_SPREAD_MS));
}

/** Delay from one poll's start to the next; `random` is uniform in [0, 1). */
export function nextPollDelayMs(intervalMs: number, random: number): number {
  return Math.round(intervalMs * (1 + POLL_JITTER * (2 * random - 1)));
}

/**
 * Delay before the first poll of a device this collector has just taken over from another (or
 * from its own previous run): one interval after the poll the previous owner last began, at
 * once when that is past, so the device is neither polled twice within an interval nor skipped.
 * A device no collector polled yet gets a first poll spread like any other.
 */
export function takeOverDelayMs(
  intervalMs: number,
  lastPollMs: number | undefined,
  nowMs: number,
  random: number,
): number {
  if (lastPollMs === undefined) return firstPollDelayMs(intervalMs, random);
  return Math.max(0, Math.min(intervalMs, lastPollMs + intervalMs - nowMs));
}
