import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@faultline/shared';
import { createCorrelationLoop } from './correlation-loop.js';

describe('correlation loop', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    // A short step rests briefly: ends at 10, may follow from 20, kicked at 30.
    { stepMs: 10, kickAfterMs: 20, nextStartMs: 30 },
    // Ends at 40, rests until 80.
    { stepMs: 40, kickAfterMs: 0, nextStartMs: 80 },
    { stepMs: 40, kickAfterMs: 30, nextStartMs: 80 },
    // Kicked once the rest is over: at once.
    { stepMs: 40, kickAfterMs: 60, nextStartMs: 100 },
  ])(
    'a step of $stepMs ms kicked $kickAfterMs ms after it ended is followed at $nextStartMs ms',
    async ({ stepMs, kickAfterMs, nextStartMs }) => {
      vi.useFakeTimers({ now: 0 });
      const starts: number[] = [];
      const loop = createCorrelationLoop({
        step: async () => {
          starts.push(Date.now());
          await new Promise((resolve) => setTimeout(resolve, stepMs));
          return { skipped: true, plan: undefined, annotatedAlarms: [], changes: [] };
        },
        publish: () => Promise.resolve(),
        flush: () => Promise.resolve(0),
        intervalMs: 10_000,
        logger: createLogger({ level: 'silent' }),
        now: () => Date.now(),
      });
      loop.start();
      await vi.advanceTimersByTimeAsync(stepMs + kickAfterMs);
      loop.kick();
      await vi.advanceTimersByTimeAsync(1_000);
      await loop.stop();
      expect(starts).toEqual([0, nextStartMs]);
    },
  );
});
