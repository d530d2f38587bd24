import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FIRST_POLL_SPREAD_MS,
  POLL_JITTER,
  firstPollDelayMs,
  nextPollDelayMs,
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
