import { Queue } from 'bullmq';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import {
  eventsPartitionQueue,
  createLogger,
  parseConfig,
  type EventBatch,
  type FaultEvent,
} from '@faultline/shared';
import { telemetryPoints, testSettings, uniqueName } from '../support/services.js';
import { createPrivateInfluxd, type PrivateService } from '../support/private-services.js';

describe('collector InfluxDB resilience (a private influxd stopped and started)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(maxBufferLines: number, influxUp: boolean) {
    const influxd: PrivateService = await createPrivateInfluxd();
    cleanups.push(() => influxd.destroy());
    if (influxUp) await influxd.start();
    const settings = testSettings({ trapHost: '127.0.0.1', trapPort: 0, influxUrl: influxd.url });
    const root = uniqueName('tl');
    const config = parseConfig(`
influx: { api: v1, database: resilience, maxBufferLines: ${String(maxBufferLines)} }
telemetry: { topics: ['${root}/#'], sessionExpiryS: 0 }
devices:
  - name: edge-1
    address: 127.0.0.5
    snmp: { version: 2c, community: public }
`);
    if (!config.ok) throw new Error(JSON.stringify(config.problems));
    const collector: Collector = createCollector({
      runtime: { settings, config: config.value, logger: createLogger({ level: 'silent' }) },
      schedulePolls: false,
      telemetryClientId: uniqueName('col'),
    });
    await collector.start();
    cleanups.push(() => collector.stop());
    // The collector's events go to their partition's queue: the default config has one.
    const queue = new Queue<EventBatch>(eventsPartitionQueue(0), {
      connection: { url: settings.redisUrl },
      prefix: settings.prefix,
    });
    cleanups.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });
    const client: MqttClient = await mqtt.connectAsync(settings.mqttUrl, {
      clientId: uniqueName('pub'),
      protocolVersion: 5,
    });
    cleanups.push(() => client.endAsync());
    let sequence = 0;
    /** Publishes `count` readings; each resolves once the collector acknowledged (buffered) it. */
    const publish = async (count: number): Promise<void> => {
      for (let n = 0; n < count; n++) {
        sequence += 1;
        await client.publishAsync(
          `${root}/edge-1/cpu_percent`,
          JSON.stringify({
            device: 'edge-1',
            metric: 'cpu_percent',
            value: sequence,
            time: 1_700_000_000_000 + sequence,
          }),
          { qos: 1 },
        );
      }
    };
    const counter = (name: string): number =>
      collector.metrics().find((m) => m.name === `faultline_collector_${name}`)?.value ?? NaN;
    const lossEvents = async (): Promise<FaultEvent[]> =>
      (await queue.getJobs(['waiting']))
        .flatMap((job) => job.data.events)
        .filter((e) => e.type === 'influxWriteLoss');
    return { influxd, publish, counter, lossEvents };
  }

  it('keeps writing through a restart: every point within the bound is found', async () => {
    const { influxd, publish, counter, lossEvents } = await setUp(10_000, true);
    await publish(20);
    await vi.waitFor(
      () => {
        expect(counter('influx_points_written_total')).toBe(20);
      },
      { timeout: 10_000 },
    );
    await influxd.stop();
    await publish(30);
    // The writer has tried and failed while InfluxDB was down.
    await vi.waitFor(
      () => {
        expect(counter('influx_write_errors_total')).toBeGreaterThan(0);
      },
      { timeout: 10_000 },
    );
    await influxd.start();
    await publish(20);
    await vi.waitFor(
      async () => {
        expect(await telemetryPoints('resilience', 'cpu_percent', influxd.url)).toBe(70);
      },
      { timeout: 60_000, interval: 500 },
    );
    expect(counter('influx_points_dropped_total')).toBe(0);
    expect(await lossEvents()).toEqual([]);
  }, 90_000);

  it('beyond the bound drops the oldest, counts them and raises one influxWriteLoss', async () => {
    const { influxd, publish, counter, lossEvents } = await setUp(10, false);
    await publish(15);
    await vi.waitFor(
      () => {
        expect(counter('influx_write_errors_total')).toBeGreaterThan(0);
      },
      { timeout: 10_000 },
    );
    await publish(15);
    await vi.waitFor(
      () => {
        expect(counter('influx_points_dropped_total')).toBe(15);
      },
      { timeout: 15_000 },
    );
    const events = await vi.waitFor(
      async () => {
        const found = await lossEvents();
        expect(found).toHaveLength(1);
        return found;
      },
      { timeout: 10_000 },
    );
    expect(events[0]).toMatchObject({
      source: 'system',
      severity: 'major',
      details: { lostPoints: 15, reasons: ['retry buffer full'], database: 'resilience' },
    });
    await influxd.start();
    // The 15 kept within the bound are written once InfluxDB is back; the 15 dropped are not.
    await vi.waitFor(
      async () => {
        expect(await telemetryPoints('resilience', 'cpu_percent', influxd.url)).toBe(15);
        // Counted once InfluxDB's answer reaches the writer, which may be after this query sees
        // the points.
        expect(counter('influx_points_written_total')).toBe(15);
      },
      { timeout: 60_000, interval: 500 },
    );
    expect(counter('influx_write_loss_events_total')).toBe(1);
  }, 90_000);
});
