// The correlation steps' pace shared through Redis: two correlators' loops run the step as often
// as one, not back to back (each used to rest only after its own steps).
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createCorrelationLoop, createStepPaceRedis, stepPaceKeys } from '@faultline/correlator';
import { createLogger } from '@faultline/shared';
import { freeTcpPort } from '../support/ports.js';
import { EVENTUALLY, testSettings, uniqueName } from '../support/services.js';

/** Long enough that no timed step follows within a test. */
const INTERVAL_MS = 600_000;

/** A correlator's loop whose step only counts; `stepMs` is how long its clock says a step took. */
function countingLoop(pace: Parameters<typeof createCorrelationLoop>[0]['pace'], stepMs = 0) {
  let clockMs = 0;
  const starts = { count: 0 };
  const loop = createCorrelationLoop({
    step: () => {
      starts.count += 1;
      clockMs += stepMs;
      return Promise.resolve({ skipped: false, plan: undefined, annotatedAlarms: [], changes: [] });
    },
    publish: () => Promise.resolve(),
    flush: () => Promise.resolve(0),
    intervalMs: INTERVAL_MS,
    logger: createLogger({ level: 'silent' }),
    now: () => clockMs,
    ...(pace === undefined ? {} : { pace }),
  });
  return { loop, starts };
}

describe('correlation steps paced across correlators', () => {
  const redis = new Redis(testSettings().redisUrl);

  afterAll(async () => {
    await redis.quit();
  });

  it("holds another correlator's kicked step for the rest of a step that ran", async () => {
    const prefix = uniqueName('pace');
    const pace = createStepPaceRedis({ redis, prefix });
    // The first correlator's step took a minute: every kicked step rests a minute after it.
    const first = countingLoop(pace, 60_000);
    first.loop.start();
    await vi.waitFor(async () => {
      expect(await redis.pttl(stepPaceKeys(prefix).rest)).toBeGreaterThan(0);
    }, EVENTUALLY);
    await first.loop.stop();

    const second = countingLoop(pace);
    second.loop.start();
    second.loop.kick();
    await vi.waitFor(() => {
      expect(second.loop.steps.rested + second.starts.count).toBeGreaterThan(0);
    }, EVENTUALLY);
    await second.loop.stop();
    expect(second.starts.count).toBe(0);
    expect(second.loop.steps).toEqual({ ran: 0, skipped: 0, rested: 1 });
    expect(first.loop.steps).toEqual({ ran: 1, skipped: 0, rested: 0 });
  });

  it('holds a timed step for the interval after a step elsewhere, but not a kicked one', async () => {
    const prefix = uniqueName('pace');
    const pace = createStepPaceRedis({ redis, prefix });
    // A step that took no time: no rest, only the interval to the next timed step.
    const first = countingLoop(pace);
    first.loop.start();
    await vi.waitFor(async () => {
      expect(await redis.pttl(stepPaceKeys(prefix).due)).toBeGreaterThan(0);
    }, EVENTUALLY);
    await first.loop.stop();
    expect(await redis.exists(stepPaceKeys(prefix).rest)).toBe(0);

    const second = countingLoop(pace);
    second.loop.start();
    await vi.waitFor(() => {
      expect(second.loop.steps.rested + second.starts.count).toBeGreaterThan(0);
    }, EVENTUALLY);
    expect(second.starts.count).toBe(0);
    // Kicked (its own batches applied): the interval does not hold it.
    second.loop.kick();
    await vi.waitFor(() => {
      expect(second.starts.count).toBe(1);
    }, EVENTUALLY);
    await second.loop.stop();
    expect(second.loop.steps).toEqual({ ran: 1, skipped: 0, rested: 1 });
  });

  it('steps when the pace cannot be read (Redis unreachable)', async () => {
    const unreachable = new Redis({
      port: await freeTcpPort(),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    unreachable.on('error', () => undefined);
    const loop = countingLoop(
      createStepPaceRedis({ redis: unreachable, prefix: uniqueName('pace') }),
    );
    loop.loop.start();
    await vi.waitFor(() => {
      expect(loop.starts.count).toBe(1);
    }, EVENTUALLY);
    await loop.loop.stop();
    unreachable.disconnect();
  });
});
