import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSnmpd, type Snmpd } from '../collector/snmp-tools.js';
import {
  createInfluxDatabase,
  influxQuery,
  testSettings,
  uniqueName,
} from '../support/services.js';
import { startPart, type PartProcess } from '../reliability/fault-world.js';
import { partEnv, sample, scaleConfig, scrape, type ScaleConfig } from './scale-world.js';
import { freeUdpPort } from '../support/ports.js';

const DEVICES = Array.from({ length: 4 }, (_, i) => `dev-${String(i + 1)}`);
const INTERVAL_MS = 5000;
const LEASE_MS = 2000;
const READINGS = 60;

interface Collector {
  process: PartProcess;
  readonly env: NodeJS.ProcessEnv;
  readonly metricsPort: number;
}

/** The devices a collector said it polls, from its last `poll share changed` line. */
function polling(collector: Collector): number | undefined {
  const lines = collector.process.logs.filter((line) => line.msg === 'poll share changed');
  return (lines.at(-1) as { polling?: number } | undefined)?.polling;
}

describe('two collectors on one host split telemetry and polling, while one restarts or dies', () => {
  const agents: Snmpd[] = [];
  let influx: { name: string; drop(): Promise<void> };
  let config: ScaleConfig;
  const settings = testSettings();
  const collectors: Collector[] = [];

  beforeAll(async () => {
    while (agents.length < DEVICES.length) {
      agents.push(await startSnmpd({ conf: () => ['rocommunity public 127.0.0.1'] }));
    }
    influx = await createInfluxDatabase();
    // Each device an agent of its own: each device's polls are its own, whoever makes them.
    config = await scaleConfig(
      (cfg) => {
        // Sessions outlive a restart (the product's default is a day; a minute here, so they do
        // not linger on the shared broker).
        cfg.telemetry = {
          ...(cfg.telemetry as object),
          group: uniqueName('share'),
          sessionExpiryS: 60,
        };
      },
      {
        influx: { api: 'v1', database: influx.name },
        snmp: { pollShareLeaseS: LEASE_MS / 1000 },
        devices: DEVICES.map((name, i) => ({
          name,
          address: '127.0.0.1',
          snmp: { version: '2c', community: 'public', port: agents[i]?.port },
          pollIntervalS: INTERVAL_MS / 1000,
          interfaces: [{ ifIndex: 1, name: 'lo', speedMbps: 100_000 }],
        })),
      },
    );
    for (let n = 0; n < 2; n += 1) {
      // One host, one config: only the trap (and metrics) ports differ, as they must.
      const { env, metricsPort } = await partEnv({
        FAULTLINE_CONFIG: config.path,
        FAULTLINE_PREFIX: settings.prefix,
        FAULTLINE_TRAP_PORT: String(await freeUdpPort()),
        REDIS_URL: settings.redisUrl,
        MQTT_URL: settings.mqttUrl,
        INFLUX_URL: settings.influxUrl,
      });
      collectors.push({ process: await startPart('collector', env), env, metricsPort });
    }
  }, 60_000);

  afterAll(async () => {
    for (const collector of collectors) await collector.process.stop();
    for (const agent of agents) await agent.stop();
    await influx.drop();
    await config.remove();
  });

  const restart = async (collector: Collector): Promise<void> => {
    collector.process = await startPart('collector', collector.env);
  };
  const halves = async (): Promise<void> => {
    await vi.waitFor(
      () => {
        for (const collector of collectors) expect(polling(collector)).toBe(DEVICES.length / 2);
      },
      { timeout: 30_000, interval: 100 },
    );
  };
  const counter = async (collector: Collector, name: string): Promise<number> =>
    sample((await scrape(collector.metricsPort)).body, `faultline_collector_${name}`) ?? 0;
  /** Waits until the collector has polled more than once per device since it started. */
  const pollsAll = async (collector: Collector): Promise<void> => {
    await vi.waitFor(
      async () => {
        expect(await counter(collector, 'polls_total')).toBeGreaterThan(DEVICES.length);
      },
      { timeout: 30_000, interval: 200 },
    );
  };
  /** Waits until the collector says it polls every device. */
  const holdsAll = async (collector: Collector): Promise<void> => {
    await vi.waitFor(
      () => {
        expect(polling(collector)).toBe(DEVICES.length);
      },
      { timeout: 20_000, interval: 100 },
    );
  };

  /** Publishes READINGS readings of dev-1 at QoS 1, numbered from `first`. */
  const publishReadings = async (first: number): Promise<void> => {
    const device = await mqtt.connectAsync(settings.mqttUrl, { clientId: uniqueName('device') });
    for (let n = first; n < first + READINGS; n += 1) {
      const reading = {
        device: 'dev-1',
        metric: 'cpu_percent',
        value: n,
        time: 1_700_000_000_000 + n,
      };
      await device.publishAsync(`${config.telemetryRoot}/dev-1/cpu`, JSON.stringify(reading), {
        qos: 1,
      });
    }
    await device.endAsync();
  };

  it('keeps two MQTT sessions (their own client ids) and splits the readings, each once', async () => {
    await vi.waitFor(
      async () => {
        for (const collector of collectors) {
          expect(await counter(collector, 'telemetry_subscribed')).toBe(1);
        }
      },
      { timeout: 30_000, interval: 200 },
    );
    const ids = collectors.map(
      (c) =>
        (c.process.logs.find((line) => line.msg === 'mqtt connected') as { clientId?: string })
          .clientId,
    );
    expect(new Set(ids).size).toBe(2);
    await publishReadings(1);
    await vi.waitFor(
      async () => {
        const each = await Promise.all(
          collectors.map((c) => counter(c, 'telemetry_messages_total')),
        );
        expect((each[0] ?? 0) + (each[1] ?? 0)).toBe(READINGS);
        // Split, not both taking everything: a shared subscription gives each a part.
        expect(each.every((n) => n > 0 && n < READINGS)).toBe(true);
      },
      { timeout: 30_000, interval: 200 },
    );
  });

  it('hands a restarted collector what its session was given while it was down, each once', async () => {
    const [a, b] = collectors;
    if (a === undefined || b === undefined) throw new Error('two collectors');
    const handled = (collector: Collector): Promise<number> =>
      counter(collector, 'telemetry_messages_total');
    const aBefore = await handled(a);
    await b.process.stop('SIGTERM');
    // Published while b is down: the broker keeps allocating b's session its share, and queues it.
    await publishReadings(READINGS + 1);
    await restart(b);
    await vi.waitFor(
      async () => {
        // b's counters start again at 0: what it counts now came after its restart.
        const [aNow, bNow] = [await handled(a), await handled(b)];
        expect(aNow - aBefore + bNow).toBe(READINGS);
        // b got its share from the queue: its session bridged the restart (a did not take all).
        expect(bNow).toBeGreaterThan(0);
      },
      { timeout: 30_000, interval: 200 },
    );
    const connected = b.process.logs.find((line) => line.msg === 'mqtt connected') as
      { sessionPresent?: boolean } | undefined;
    expect(connected?.sessionPresent).toBe(true);
  });

  it('polls each device once per interval through a restart and a SIGKILL', async () => {
    const [a, b] = collectors;
    if (a === undefined || b === undefined) throw new Error('two collectors');
    await halves();
    const since = Date.now();
    // Three intervals shared, then b restarts cleanly: a takes all, then gives half back.
    await pollsAll(b);
    await b.process.stop('SIGTERM');
    await holdsAll(a);
    await restart(b);
    await halves();
    // a dies: b takes a's devices once their lease ran out; then a comes back.
    await a.process.stop('SIGKILL');
    await holdsAll(b);
    await restart(a);
    await halves();
    await pollsAll(a);
    const until = Date.now() - INTERVAL_MS;
    const answer = (await influxQuery(
      `SELECT in_octets FROM interface WHERE time >= ${String(since)}ms GROUP BY device`,
      influx.name,
    )) as { results: { series?: { tags: { device: string }; values: [string, number][] }[] }[] };
    const series = answer.results[0]?.series ?? [];
    expect(series.map((s) => s.tags.device).sort()).toEqual(DEVICES);
    for (const { tags, values } of series) {
      const times = values.map(([time]) => Date.parse(time)).filter((t) => t <= until);
      const gaps = times.slice(1).map((time, i) => time - (times[i] ?? time));
      // Twice would be two polls within half an interval; missed, a gap past two intervals and
      // a lease (a SIGKILLed owner's devices wait for its lease to run out).
      expect({ device: tags.device, short: gaps.filter((gap) => gap < INTERVAL_MS / 2) }).toEqual({
        device: tags.device,
        short: [],
      });
      expect({
        device: tags.device,
        long: gaps.filter((gap) => gap > 2 * INTERVAL_MS + LEASE_MS),
      }).toEqual({ device: tags.device, long: [] });
    }
  }, 240_000);
});
