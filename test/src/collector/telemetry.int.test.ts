import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createCollector,
  telemetryDeadLetterKey,
  type Collector,
  type DeadLetter,
} from '@faultline/collector';
import {
  eventsPartitionQueue,
  createLogger,
  parseConfig,
  type Config,
  type EventBatch,
  type FaultEvent,
  type Settings,
} from '@faultline/shared';
import {
  createInfluxDatabase,
  influxQuery,
  testSettings,
  uniqueName,
  EVENTUALLY,
} from '../support/services.js';

interface InfluxSeries {
  columns: string[];
  values: unknown[][];
}

/** Rows of one InfluxQL SELECT as objects keyed by column. */
async function select(database: string, q: string): Promise<Record<string, unknown>[]> {
  const answer = (await influxQuery(q, database)) as { results: { series?: InfluxSeries[] }[] };
  const series = answer.results[0]?.series ?? [];
  return series.flatMap((s) =>
    s.values.map((row) => Object.fromEntries(s.columns.map((c, i) => [c, row[i]]))),
  );
}

function config(yaml: string): Config {
  const parsed = parseConfig(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
}

describe('collector telemetry path (real MQTT client → Mosquitto → collector → InfluxDB)', () => {
  let database: { name: string; drop(): Promise<void> };
  let settings: Settings;
  let redis: Redis;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await createInfluxDatabase();
    settings = testSettings({ trapHost: '127.0.0.1', trapPort: 0 });
    redis = new Redis(settings.redisUrl);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await redis.del(telemetryDeadLetterKey(settings.prefix));
    redis.disconnect();
    await database.drop();
  });

  /** A config whose telemetry topics are the test's own. */
  function telemetryConfig(root: string, extra = ''): Config {
    return config(`
influx: { api: v1, database: ${database.name} }
telemetry:
  topics: ['${root}/#']
  sessionExpiryS: 120
  maxPayloadBytes: 1024
  ${extra}
devices:
  - name: edge-1
    address: 127.0.0.5
    snmp: { version: 2c, community: public }
    interfaces:
      - { ifIndex: 3, name: ge-0/0/3, speedMbps: 1000 }
customers:
  - id: acme
    name: ACME
    currency: EUR
    services:
      - { id: acme-transit, device: edge-1, interface: ge-0/0/3, plan: flat }
pricePlans:
  - { id: flat, type: flat, monthlyCharge: '10.00' }
`);
  }

  async function startCollector(cfg: Config, clientId: string): Promise<Collector> {
    const collector = createCollector({
      runtime: { settings, config: cfg, logger: createLogger({ level: 'silent' }) },
      schedulePolls: false,
      telemetryClientId: clientId,
    });
    await collector.start();
    return collector;
  }

  async function publisher(): Promise<MqttClient> {
    const client = await mqtt.connectAsync(settings.mqttUrl, {
      clientId: uniqueName('pub'),
      protocolVersion: 5,
    });
    cleanups.push(() => client.endAsync());
    return client;
  }

  /** Removes the collector's session from the broker (a clean connect that expires at once). */
  async function dropSession(clientId: string): Promise<void> {
    const client = await mqtt.connectAsync(settings.mqttUrl, {
      clientId,
      protocolVersion: 5,
      clean: true,
      properties: { sessionExpiryInterval: 0 },
    });
    await client.endAsync();
  }

  const counter = (collector: Collector, name: string, labels?: Record<string, string>): number =>
    collector
      .metrics()
      .find(
        (m) =>
          m.name === `faultline_collector_${name}` &&
          JSON.stringify(m.labels ?? {}) === JSON.stringify(labels ?? {}),
      )?.value ?? NaN;

  it('writes JSON envelopes and line protocol to the telemetry measurement, with service tags', async () => {
    const root = uniqueName('tl');
    const clientId = uniqueName('col');
    const collector = await startCollector(telemetryConfig(root), clientId);
    cleanups.push(() => dropSession(clientId));
    cleanups.push(() => collector.stop());
    const client = await publisher();
    await client.publishAsync(
      `${root}/edge-1/optical_rx_dbm`,
      JSON.stringify({
        device: 'edge-1',
        metric: 'optical_rx_dbm',
        value: -7.25,
        time: 1_700_000_000_000,
        tags: { interface: 'ge-0/0/3' },
      }),
      { qos: 1 },
    );
    await client.publishAsync(
      `${root}/edge-1/lp`,
      'temperature_c,device=edge-1,sensor=inlet value=41.5 1700000001000000000',
      { qos: 1 },
    );
    const rows = await vi.waitFor(
      async () => {
        const found = await select(
          database.name,
          `SELECT * FROM telemetry WHERE device = 'edge-1' AND time >= 1700000000000ms AND time < 1700000002000ms`,
        );
        expect(found).toHaveLength(2);
        return found;
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(rows[0]).toMatchObject({
      time: '2023-11-14T22:13:20Z',
      metric: 'optical_rx_dbm',
      value: -7.25,
      interface: 'ge-0/0/3',
      service: 'acme-transit',
      customer: 'acme',
    });
    expect(rows[1]).toMatchObject({
      time: '2023-11-14T22:13:21Z',
      metric: 'temperature_c',
      value: 41.5,
      sensor: 'inlet',
      service: null,
    });
    expect(counter(collector, 'telemetry_points_total')).toBe(2);
  });

  it('counts and dead-letters invalid payloads while valid ones flow', async () => {
    const root = uniqueName('tl');
    const clientId = uniqueName('col');
    const collector = await startCollector(telemetryConfig(root), clientId);
    cleanups.push(() => dropSession(clientId));
    cleanups.push(() => collector.stop());
    const client = await publisher();
    const invalid: [string, string][] = [
      ['{"device": "edge-1", "metric":', 'bad-json'],
      ['{"device":"edge-1","metric":"cpu_percent","value":"high"}', 'bad-envelope'],
      ['{"device":"ghost","metric":"cpu_percent","value":1}', 'unknown-device'],
      ['cpu_percent,device=edge-1 value=', 'bad-line-protocol'],
      [
        `{"device":"edge-1","metric":"cpu_percent","value":1,"x":"${'y'.repeat(2000)}"}`,
        'too-large',
      ],
      // 4 MiB through the broker: refused by its size, stored cut to the dead-letter bound.
      [`cpu_percent,device=edge-1 value=${'9'.repeat(4 * 1024 * 1024)}`, 'too-large'],
      ['', 'bad-line-protocol'],
      ['\u0000\u00ff\u00fe binary', 'bad-line-protocol'],
      ['null', 'bad-line-protocol'],
      ['[]', 'bad-envelope'],
      ['{"device":"edge-1","metric":"cpu_percent","value":true}', 'bad-envelope'],
      ['{"device":"edge-1","metric":"cpu_percent","value":1,"time":"yesterday"}', 'bad-envelope'],
      ['{"device":["edge-1"],"metric":"cpu_percent","value":1}', 'bad-envelope'],
      ['{"device":"edge-1","metric":"cpu_percent","value":1,"__proto__":{}}', 'bad-envelope'],
      ['cpu_percent,device=edge-1 value=NaN', 'bad-line-protocol'],
      ['cpu_percent,device=ghost value=1', 'unknown-device'],
    ];
    const stamp = 1_700_000_100_000;
    for (const [index, [payload]] of invalid.entries()) {
      await client.publishAsync(`${root}/bad/${String(index)}`, payload, { qos: 1 });
      await client.publishAsync(
        `${root}/edge-1/cpu_percent`,
        JSON.stringify({
          device: 'edge-1',
          metric: 'cpu_percent',
          value: index,
          time: stamp + index,
        }),
        { qos: 1 },
      );
    }
    const key = telemetryDeadLetterKey(settings.prefix);
    const letters = await vi.waitFor(
      async () => {
        const mine = (await redis.lrange(key, 0, -1))
          .map((text) => JSON.parse(text) as DeadLetter)
          .filter((letter) => letter.topic.startsWith(`${root}/`));
        expect(mine).toHaveLength(invalid.length);
        // The collector counts a dead letter once Redis has answered its push, which this test's
        // own connection can see before the collector's does: wait on the counter as well.
        expect(counter(collector, 'telemetry_dead_lettered_total')).toBe(invalid.length);
        return mine;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(letters.map((l) => [l.topic, l.reason]).reverse()).toEqual(
      invalid.map(([, reason], index) => [`${root}/bad/${String(index)}`, reason]),
    );
    expect(letters.filter((l) => l.reason === 'too-large').reverse()).toMatchObject([
      { payloadBytes: invalid[4]?.[0].length, truncated: false },
      { payloadBytes: invalid[5]?.[0].length, truncated: true },
    ]);
    for (const [, reason] of invalid) {
      expect(counter(collector, 'telemetry_invalid_total', { reason })).toBe(
        invalid.filter(([, other]) => other === reason).length,
      );
    }
    await vi.waitFor(
      async () => {
        const rows = await select(
          database.name,
          `SELECT value FROM telemetry WHERE metric = 'cpu_percent' AND time >= ${String(stamp)}ms AND time < ${String(stamp + 100)}ms`,
        );
        expect(rows.map((row) => row.value)).toEqual(invalid.map((_, index) => index));
      },
      { timeout: 15_000, interval: 200 },
    );
  });

  it('receives what was published while it was stopped (persistent session)', async () => {
    const root = uniqueName('tl');
    const clientId = uniqueName('col');
    const cfg = telemetryConfig(root);
    cleanups.push(() => dropSession(clientId));
    const first = await startCollector(cfg, clientId);
    const client = await publisher();
    const stamp = 1_700_000_200_000;
    const publish = (n: number) =>
      client.publishAsync(
        `${root}/edge-1/cpu_percent`,
        JSON.stringify({ device: 'edge-1', metric: 'cpu_percent', value: n, time: stamp + n }),
        { qos: 1 },
      );
    for (let n = 0; n < 10; n++) await publish(n);
    await vi.waitFor(() => {
      expect(counter(first, 'telemetry_points_total')).toBe(10);
    }, EVENTUALLY);
    await first.stop();
    for (let n = 10; n < 30; n++) await publish(n);
    const second = await startCollector(cfg, clientId);
    cleanups.push(() => second.stop());
    for (let n = 30; n < 40; n++) await publish(n);
    await vi.waitFor(
      async () => {
        const rows = await select(
          database.name,
          `SELECT value FROM telemetry WHERE metric = 'cpu_percent' AND time >= ${String(stamp)}ms AND time < ${String(stamp + 1000)}ms`,
        );
        expect(rows.map((row) => row.value)).toEqual(Array.from({ length: 40 }, (_, n) => n));
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(counter(second, 'telemetry_points_total')).toBe(30);
  });

  it('shares one subscription between the collectors of a group', async () => {
    const root = uniqueName('tl');
    const group = uniqueName('g');
    const cfg = telemetryConfig(root, `group: ${group}`);
    const ids = [uniqueName('col'), uniqueName('col')];
    const members: Collector[] = [];
    for (const id of ids) {
      cleanups.push(() => dropSession(id));
      const member = await startCollector(cfg, id);
      cleanups.push(() => member.stop());
      members.push(member);
    }
    const client = await publisher();
    const stamp = 1_700_000_300_000;
    for (let n = 0; n < 40; n++) {
      await client.publishAsync(
        `${root}/edge-1/cpu_percent`,
        JSON.stringify({ device: 'edge-1', metric: 'cpu_percent', value: n, time: stamp + n }),
        { qos: 1 },
      );
    }
    await vi.waitFor(() => {
      const counts = members.map((m) => counter(m, 'telemetry_points_total'));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    }, EVENTUALLY);
    // Each message went to exactly one member, and both got some.
    for (const member of members) {
      expect(counter(member, 'telemetry_points_total')).toBeGreaterThan(0);
    }
  });

  it('raises and clears telemetry threshold events with hysteresis', async () => {
    const root = uniqueName('tl');
    const clientId = uniqueName('col');
    const cfg = config(`
influx: { api: v1, database: ${database.name} }
telemetry: { topics: ['${root}/#'], sessionExpiryS: 0 }
devices:
  - name: edge-1
    address: 127.0.0.5
    snmp: { version: 2c, community: public }
thresholds:
  - { name: rx-low, source: telemetry, metric: optical_rx_dbm, direction: below, raise: -25, clear: -23 }
`);
    const collector = await startCollector(cfg, clientId);
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
    const client = await publisher();
    const stamp = 1_700_000_400_000;
    // Down past -25 raises; -24 (between raise and clear) keeps it; -22 clears.
    for (const [n, value] of [-20, -26, -24, -27, -22].entries()) {
      await client.publishAsync(
        `${root}/edge-1/optical_rx_dbm`,
        JSON.stringify({
          device: 'edge-1',
          metric: 'optical_rx_dbm',
          value,
          time: stamp + n * 1000,
          tags: { interface: 'xe-0/0/1' },
        }),
        { qos: 1 },
      );
    }
    const events = await vi.waitFor(
      async () => {
        const jobs = await queue.getJobs(['waiting']);
        const found: FaultEvent[] = jobs.flatMap((job) => job.data.events);
        expect(found).toHaveLength(2);
        return found.sort((a, b) => a.timeMs - b.timeMs);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(events.map((e) => [e.source, e.severity, e.reductionKey, e.clearKey, e.timeMs])).toEqual(
      [
        ['threshold', 'major', 'threshold:rx-low:edge-1:xe-0/0/1', undefined, stamp + 1000],
        [
          'threshold',
          'cleared',
          'thresholdClear:rx-low:edge-1:xe-0/0/1',
          'threshold:rx-low:edge-1:xe-0/0/1',
          stamp + 4000,
        ],
      ],
    );
  });
});
