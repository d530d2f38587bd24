import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FIRST_POLL_SPREAD_MS,
  POLL_JITTER,
  firstPollDelayMs,
  nextPollDelayMs,
  takeOverDelayMs,
} from './poll-schedule.js';

describe('poll schedule', () => {
  it.each([
    [60_000, 0, 0],
    [60_000, 0.5, 5000],
    [5000, 0.5, 2500],
    [60_000, 0.999, 9990],
  ])('first poll of a %i ms interval at random %s waits %i ms', (interval, random, expected) => {
    expect(firstPollDelayMs(interval, random)).toBe(expected);
  });

  it.each([
    [60_000, 0, 57_000],
    [60_000, 0.5, 60_000],
    [60_000, 1, 63_000],
  ])('next poll of a %i ms interval at random %s waits %i ms', (interval, random, expected) => {
    expect(nextPollDelayMs(interval, random)).toBe(expected);
  });

  it.each([
    ['never polled: spread like a first poll', undefined, 0, 5000],
    ['polled 20 s ago: 40 s to go', 1_000_000, 1_020_000, 40_000],
    ['due now', 1_000_000, 1_060_000, 0],
    ['overdue (owner died long ago): at once', 1_000_000, 1_500_000, 0],
    ['clock behind the last owner: at most one interval', 1_000_000, 900_000, 60_000],
  ])('a device taken over, %s', (_, lastPollMs, nowMs, expected) => {
    expect(takeOverDelayMs(60_000, lastPollMs, nowMs, 0.5)).toBe(expected);
  });

  it('stays within its bounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 3_600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (interval, random) => {
          const first = firstPollDelayMs(interval, random);
          expect(first).toBeGreaterThanOrEqual(0);
          expect(first).toBeLessThan(Math.min(interval, FIRST_POLL_SPREAD_MS));
          const next = nextPollDelayMs(interval, random);
          expect(Math.abs(next - interval)).toBeLessThanOrEqual(interval * POLL_JITTER + 1);
        },
      ),
    );
  });
});
