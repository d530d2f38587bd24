import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import { createLogger, type Config, type Settings } from '@faultline/shared';
import { createSimulator, type Simulator } from '@faultline/simulator';
import { createInfluxDatabase, testSettings, uniqueName, EVENTUALLY } from '../support/services.js';
import { isolatedExampleConfig } from './example-network.js';
import { listenForTraps, type TrapListener } from './snmp-peers.js';

/**
 * Two Faultline instances on one broker, told apart by their prefix only (as two `npm start` of
 * different prefixes would be): each collector hears its own simulator's telemetry, never the
 * other's.
 */
describe('telemetry under the instance prefix (simulator → Mosquitto → collector)', () => {
  let database: { name: string; drop(): Promise<void> };
  let config: Config;
  let traps: TrapListener;
  const collectors: Collector[] = [];
  let simulator: Simulator;
  let ours: Settings;
  let theirs: Settings;

  const received = (collector: Collector): number =>
    collector.metrics().find((m) => m.name === 'faultline_collector_telemetry_messages_total')
      ?.value ?? 0;

  const startCollector = async (settings: Settings): Promise<Collector> => {
    const collector = createCollector({
      runtime: {
        settings,
        config: {
          ...config,
          influx: { ...config.influx, api: 'v1', database: database.name },
          // Nothing shared but the broker: a topic of this test's own, and no session left behind.
          telemetry: {
            ...config.telemetry,
            topics: [`${uniqueName('root')}/#`],
            sessionExpiryS: 0,
          },
        },
        logger: createLogger({ level: 'silent' }),
      },
      schedulePolls: false,
      telemetryClientId: uniqueName('collector'),
    });
    await collector.start();
    collectors.push(collector);
    return collector;
  };

  beforeAll(async () => {
    database = await createInfluxDatabase();
    config = await isolatedExampleConfig();
    traps = await listenForTraps();
    ours = testSettings({ trapHost: '127.0.0.1', trapPort: 0 });
    theirs = testSettings({ trapHost: '127.0.0.1', trapPort: 0 });
  });
  afterAll(async () => {
    await simulator.stop();
    for (const collector of collectors) await collector.stop();
    await traps.close();
    await database.drop();
  });

  it("hears its own simulator's telemetry and not another instance's", async () => {
    const own = await startCollector(ours);
    const other = await startCollector(theirs);
    simulator = createSimulator({
      config,
      trapTarget: { host: '127.0.0.1', port: traps.port },
      logger: createLogger({ level: 'silent' }),
      mqtt: { url: ours.mqttUrl, intervalMs: 200, prefix: ours.prefix },
    });
    await simulator.start();

    const perRound = config.devices.length;
    await vi.waitFor(() => {
      expect(received(own)).toBeGreaterThanOrEqual(2 * perRound);
    }, EVENTUALLY);
    // Both subscribed before the simulator published: what reached one would have reached both.
    expect(received(other)).toBe(0);
  });
});
