import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDiscovery } from '@faultline/collector';
import {
  DISCOVERY_QUEUE,
  createLogger,
  discoveryKeys,
  type DiscoveryProgressRecord,
  type FaultEvent,
} from '@faultline/shared';
import type { Simulator } from '@faultline/simulator';
import { testSettings } from '../support/services.js';
import { isolatedExampleConfig } from '../simulator/example-network.js';
import { collectingSink, startNetwork, withDiscovery } from './discovery-world.js';

/**
 * Re-discovery on a schedule (`discovery.intervalS`): nobody asks for a run, and a cable moved
 * in the simulator still becomes a "topology changed" alarm. The schedule here is one second
 * (the config's minimum is 60 s; the worker takes what it is given).
 */
describe('scheduled re-discovery', () => {
  const settings = testSettings();
  const redis = new Redis(settings.redisUrl);
  const keys = discoveryKeys(settings.prefix);
  const events: FaultEvent[] = [];
  let simulator: Simulator;
  let discovery: ReturnType<typeof startDiscovery>;

  beforeAll(async () => {
    const network = await isolatedExampleConfig();
    simulator = await startNetwork(network);
    discovery = startDiscovery({
      settings,
      config: withDiscovery(network, { intervalS: 1 }),
      sink: collectingSink(events),
      logger: createLogger({ level: 'silent' }),
    });
  });

  afterAll(async () => {
    await discovery?.close();
    await simulator.stop();
    const queue = new Queue(DISCOVERY_QUEUE, { connection: redis, prefix: settings.prefix });
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.del(keys.progress, keys.lastRun);
    await redis.quit();
  });

  /** The progress record of the run under way or last finished. */
  const progress = async (): Promise<DiscoveryProgressRecord | undefined> => {
    const text = await redis.get(keys.progress);
    return text === null ? undefined : (JSON.parse(text) as DiscoveryProgressRecord);
  };

  it('runs by itself and raises topologyChanged for a cable that moved', async () => {
    const runs = new Map<string, DiscoveryProgressRecord['trigger']>();
    /** Waits until `n` runs have finished since the test began, noting each run's trigger. */
    const finishedRuns = async (n: number): Promise<void> => {
      await vi.waitFor(
        async () => {
          const now = await progress();
          if (now?.finishedAt) runs.set(now.runId, now.trigger);
          expect(runs.size).toBeGreaterThanOrEqual(n);
        },
        { timeout: 60_000, interval: 100 },
      );
    };
    await finishedRuns(1);
    // The cabling is the YAML's: nothing moved, nothing raised.
    expect(events).toEqual([]);

    await (
      await simulator.runScenario('patch-swap')
    ).done;
    try {
      await vi.waitFor(
        () => {
          expect(new Set(events.map((e) => `${e.type} ${e.severity} ${e.reductionKey}`))).toEqual(
            new Set([
              'topologyChanged major topologyChanged:access-1:ge-0/0/24',
              'topologyChanged major topologyChanged:access-2:ge-0/0/24',
            ]),
          );
        },
        { timeout: 60_000, interval: 100 },
      );
      await finishedRuns(2);
      // Nobody asked: every run was the schedule's.
      expect(new Set(runs.values())).toEqual(new Set(['scheduled']));
    } finally {
      await (
        await simulator.runScenario('patch-swap')
      ).done;
    }
  });
});
