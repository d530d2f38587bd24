import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STORM_MAX_BURST, stormDeadlineMs, stormDue, stormNextDueMs } from './storm.js';

describe('stormDue', () => {
  it.each<[number, number, number, number, number]>([
    // rate, count, elapsedMs, sent → due
    [1_000, 100, 0, 0, 1],
    [1_000, 100, 0, 1, 0],
    [1_000, 100, 10, 1, 10],
    [1_000, 100, 1_000, 50, 50],
    [1_000, 100, 60_000, 99, 1],
    [1_000, 100, 60_000, 100, 0],
    [100_000, 1_000_000, 1_000, 0, STORM_MAX_BURST],
    [10, 100, -5, 0, 1],
  ])('rate %d, count %d, after %d ms with %d sent: %d due', (rate, count, elapsed, sent, due) => {
    expect(stormDue({ ratePerS: rate, count }, elapsed, sent)).toBe(due);
  });

  it('never lets the total run ahead of the rate or past the count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200_000 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }),
        (ratePerS, count, steps) => {
          const plan = { ratePerS, count };
          let elapsed = 0;
          let sent = 0;
          for (const step of steps) {
            elapsed += step;
            sent += stormDue(plan, elapsed, sent);
            expect(sent).toBeLessThanOrEqual(
              Math.min(count, Math.floor((ratePerS * elapsed) / 1000) + 1),
            );
          }
        },
      ),
    );
  });
});

describe('stormNextDueMs and stormDeadlineMs', () => {
  it.each<[number, number, number]>([
    [1_000, 0, 0],
    [1_000, 1, 1],
    [3, 1, 334],
  ])('at rate %d, trap %d is due at %d ms', (rate, sent, ms) => {
    expect(stormNextDueMs({ ratePerS: rate, count: 10 }, sent)).toBe(ms);
  });

  it('allows twice the nominal duration plus a second', () => {
    expect(stormDeadlineMs({ ratePerS: 5_000, count: 30_000 })).toBe(13_000);
  });
});
