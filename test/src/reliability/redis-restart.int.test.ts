import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import { createCorrelator } from '@faultline/correlator';
import type { Component, Runtime } from '@faultline/shared';
import { createPrivateRedis } from '../support/private-services.js';
import {
  createTestDatabase,
  testSettings,
  type TestDatabase,
  EVENTUALLY,
} from '../support/services.js';
import {
  alarmCounts,
  expectedLinkDowns,
  faultConfig,
  faultRuntime,
  linkDownTrap,
} from './fault-world.js';

describe('Redis killed and restarted under a trap stream (private redis-server)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(appendOnly: boolean) {
    const redis = await createPrivateRedis({ appendOnly });
    cleanups.push(() => redis.destroy());
    await redis.start();
    const database: TestDatabase = await createTestDatabase();
    cleanups.push(() => database.drop());
    const settings = testSettings({
      redisUrl: redis.url,
      databaseUrl: database.url,
      trapHost: '127.0.0.1',
      trapPort: 0,
    });
    const runtime: Runtime = faultRuntime(settings, await faultConfig());
    const startCorrelator = async (): Promise<void> => {
      const correlator: Component = createCorrelator({ runtime });
      await correlator.start();
      cleanups.push(() => correlator.stop());
    };
    const collector: Collector = createCollector({ runtime, schedulePolls: false });
    await collector.start();
    cleanups.push(() => collector.stop());
    const address = collector.trapAddress();
    if (address === undefined) throw new Error('trap receiver has no address');
    const target = `127.0.0.1:${String(address.port)}`;
    const counter = (name: string): number =>
      collector.metrics().find((m) => m.name === `faultline_collector_${name}`)?.value ?? NaN;
    const sendTraps = async (from: number, to: number): Promise<void> => {
      for (let ifIndex = from; ifIndex <= to; ifIndex += 1) await linkDownTrap(target, ifIndex);
    };
    const enqueued = async (n: number): Promise<void> => {
      await vi.waitFor(() => {
        expect(counter('events_enqueued_total')).toBe(n);
      }, EVENTUALLY);
    };
    const alarms = () => alarmCounts(database.url);
    return { redis, startCorrelator, counter, sendTraps, enqueued, alarms };
  }

  it('with an append-only file: every trap before, during and after becomes one alarm', async () => {
    const { redis, startCorrelator, counter, sendTraps, enqueued, alarms } = await setUp(true);
    await startCorrelator();
    await sendTraps(1, 50);
    await enqueued(50);
    // A crash, not a clean shutdown: whatever Redis acknowledged is in its append-only file.
    await redis.stop('SIGKILL');
    await sendTraps(51, 100);
    // The collector holds the 50 it could not write, retrying them.
    expect(counter('events_pending')).toBe(50);
    expect(counter('events_enqueued_total')).toBe(50);
    await redis.start();
    await sendTraps(101, 150);

    await vi.waitFor(
      async () => {
        expect(await alarms()).toEqual(expectedLinkDowns(150));
        // Counted when Redis' answer to the add reaches the collector, which the correlator's
        // work on the batch does not wait for.
        expect(counter('events_enqueued_total')).toBe(150);
      },
      { timeout: 45_000, interval: 250 },
    );
    expect(counter('events_dropped_total')).toBe(0);
  });

  it('without persistence: the jobs waiting at the crash are lost, everything after is kept', async () => {
    const { redis, startCorrelator, counter, sendTraps, enqueued, alarms } = await setUp(false);
    // No correlator yet, so the first 20 events wait in the queue when Redis dies.
    await sendTraps(1, 20);
    await enqueued(20);
    await redis.stop('SIGKILL');
    await redis.start();
    await startCorrelator();
    await sendTraps(21, 40);
    await enqueued(40);
    const expected = new Map([...expectedLinkDowns(40)].slice(20));
    await vi.waitFor(
      async () => {
        expect(await alarms()).toEqual(expected);
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(counter('events_dropped_total')).toBe(0);
  });
});
