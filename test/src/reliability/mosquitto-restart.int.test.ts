import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import { createPrivateMosquitto } from '../support/private-services.js';
import {
  createInfluxDatabase,
  telemetryPoints,
  testSettings,
  uniqueName,
} from '../support/services.js';
import { faultConfig, faultRuntime } from './fault-world.js';

describe('Mosquitto restarted (a private broker with persistence)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('delivers the QoS 1 telemetry published around and during the outage, every one', async () => {
    const broker = await createPrivateMosquitto();
    cleanups.push(() => broker.destroy());
    await broker.start();
    const influx = await createInfluxDatabase();
    cleanups.push(() => influx.drop());
    const root = uniqueName('tl');
    const runtime = faultRuntime(
      testSettings({ mqttUrl: broker.url, trapHost: '127.0.0.1', trapPort: 0 }),
      await faultConfig({ telemetryRoot: root, sessionExpiryS: 3600, influxDatabase: influx.name }),
    );
    // The same client id across restarts, as a deployment keeps it: the broker keeps the session.
    const clientId = uniqueName('collector');
    const startCollector = async (): Promise<Collector> => {
      const collector = createCollector({
        runtime,
        schedulePolls: false,
        telemetryClientId: clientId,
      });
      await collector.start();
      return collector;
    };
    let collector = await startCollector();
    cleanups.push(() => collector.stop());

    // A device's client: what it publishes while the broker is away waits in its own store.
    const device: MqttClient = await mqtt.connectAsync(broker.url, {
      clientId: uniqueName('device'),
      protocolVersion: 5,
      reconnectPeriod: 200,
    });
    device.on('error', () => undefined);
    cleanups.push(() => device.endAsync());
    let sequence = 0;
    const publish = (count: number): Promise<unknown> =>
      Promise.all(
        Array.from({ length: count }, () => {
          sequence += 1;
          const reading = {
            device: 'core-1',
            metric: 'cpu_percent',
            value: sequence,
            time: 1_700_000_000_000 + sequence,
          };
          return device.publishAsync(`${root}/core-1/cpu_percent`, JSON.stringify(reading), {
            qos: 1,
          });
        }),
      );
    const points = async (n: number): Promise<void> => {
      await vi.waitFor(
        async () => {
          expect(await telemetryPoints(influx.name, 'cpu_percent')).toBe(n);
        },
        { timeout: 30_000, interval: 250 },
      );
    };

    // 1. Live: 20 readings arrive.
    await publish(20);
    await points(20);

    // 2. The broker restarts under a connected collector; 20 are published while it is down.
    await broker.stop();
    const duringOutage = publish(20);
    await broker.start();
    await duringOutage;
    await points(40);

    // 3. The collector is away while 20 are published, then the broker restarts before it
    //    returns: the broker keeps them for its session across its own restart.
    await collector.stop();
    await publish(20);
    await broker.stop();
    await broker.start();
    collector = await startCollector();
    await points(60);

    const counter = (name: string): number =>
      collector.metrics().find((m) => m.name === `faultline_collector_${name}`)?.value ?? NaN;
    expect(counter('influx_points_dropped_total')).toBe(0);
  });
});
