import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { alarmCounts, expectedLinkDowns, linkDownTrap } from '../reliability/fault-world.js';
import { sample, scrape, startParts, type PartsWorld } from './scale-world.js';
import { MASTER_NAME, createSentinelCluster, type SentinelCluster } from './sentinel-world.js';

const TRAPS = 300;
/** Traps sent before the primary is killed; the rest go out while the sentinels fail over. */
const BEFORE_KILL = 100;

describe('a Redis primary failover under load, through Sentinel (private servers)', () => {
  let cluster: SentinelCluster;
  let world: PartsWorld;

  beforeAll(async () => {
    cluster = await createSentinelCluster();
    // With sentinels the URL's host is not used: a name that resolves nowhere proves it.
    world = await startParts(
      {
        REDIS_URL: 'redis://primary.invalid:6379',
        REDIS_SENTINELS: cluster.sentinels,
        REDIS_SENTINEL_MASTER: MASTER_NAME,
        REDIS_WAIT_REPLICAS: '1',
      },
      // Nobody simulates the example network here: polled hourly, its devices raise no
      // deviceDown within the test, so every event the collector enqueues is a trap's.
      (config) => {
        for (const device of config.devices as Record<string, unknown>[]) {
          device.pollIntervalS = 3600;
        }
      },
    );
  }, 120_000);

  afterAll(async () => {
    await world.destroy();
    await cluster.destroy();
  });

  it('turns every trap sent across the failover into exactly one alarm count', async () => {
    const [primary] = cluster.servers;
    if (primary === undefined) throw new Error('no primary');
    expect(await cluster.primaryPort()).toBe(primary.port);
    for (let ifIndex = 1; ifIndex <= TRAPS; ifIndex += 1) {
      if (ifIndex === BEFORE_KILL + 1) await primary.service.stop('SIGKILL');
      await linkDownTrap(world.trapTarget, ifIndex);
    }
    // The sentinels promoted a replica.
    await vi.waitFor(
      async () => {
        expect(await cluster.primaryPort()).not.toBe(primary.port);
      },
      { timeout: 30_000, interval: 250 },
    );
    // Batches whose completion the old primary took with it are applied again when their lock
    // expires on the new one; the correlator counts each event id once.
    await vi.waitFor(
      async () => {
        expect(await alarmCounts(world.databaseUrl)).toEqual(expectedLinkDowns(TRAPS));
      },
      { timeout: 120_000, interval: 500 },
    );
    // The trap thread's counters reach the collector's /metrics a moment after its events.
    await vi.waitFor(
      async () => {
        const collector = await scrape(world.parts.get('collector')?.metricsPort ?? 0);
        expect(sample(collector.body, 'faultline_collector_traps_decoded_total')).toBe(TRAPS);
        expect(sample(collector.body, 'faultline_collector_events_enqueued_total')).toBe(TRAPS);
        expect(sample(collector.body, 'faultline_collector_events_dropped_total')).toBe(0);
      },
      { timeout: 20_000, interval: 250 },
    );
    // Every part rode through it, and answers on the new primary.
    for (const { process, metricsPort } of world.parts.values()) {
      expect(process.running()).toBe(true);
      expect((await scrape(metricsPort)).status).toBe(200);
    }
  }, 240_000);
});
