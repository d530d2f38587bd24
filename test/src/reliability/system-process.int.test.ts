import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createPrivateInfluxd,
  createPrivateMosquitto,
  createPrivatePostgres,
  createPrivateRedis,
  type PrivateService,
} from '../support/private-services.js';
import { telemetryPoints, uniqueName } from '../support/services.js';
import {
  EXAMPLE_CONFIG,
  alarmCounts,
  expectedLinkDowns,
  linkDownTrap,
  startPart,
  type PartProcess,
} from './fault-world.js';
import { freeTcpPort, freeUdpPort } from '../support/ports.js';

describe('the whole system as a process (node system/dist/main.js, private servers)', () => {
  let redis: PrivateService;
  let mosquitto: PrivateService;
  let postgres: PrivateService;
  let influxd: PrivateService;
  let env: NodeJS.ProcessEnv;
  let target: string;
  const processes: PartProcess[] = [];

  beforeAll(async () => {
    redis = await createPrivateRedis({ appendOnly: true });
    mosquitto = await createPrivateMosquitto();
    postgres = await createPrivatePostgres();
    influxd = await createPrivateInfluxd();
    const trapPort = await freeUdpPort();
    target = `127.0.0.1:${String(trapPort)}`;
    env = {
      PATH: process.env.PATH,
      FAULTLINE_CONFIG: EXAMPLE_CONFIG,
      FAULTLINE_SIMULATE: '0',
      FAULTLINE_PREFIX: uniqueName('sys'),
      FAULTLINE_HTTP_PORT: String(await freeTcpPort()),
      FAULTLINE_TRAP_HOST: '127.0.0.1',
      FAULTLINE_TRAP_PORT: String(trapPort),
      REDIS_URL: redis.url,
      MQTT_URL: mosquitto.url,
      INFLUX_URL: influxd.url,
      // The cluster is private: its own `postgres` database is the system's.
      DATABASE_URL: postgres.url,
      LOG_LEVEL: 'info',
    };
  }, 60_000);

  afterAll(async () => {
    for (const running of processes) await running.stop('SIGKILL');
    for (const service of [redis, mosquitto, postgres, influxd]) await service.destroy();
  });

  async function startSystem(): Promise<PartProcess> {
    const started = await startPart('system', env);
    processes.push(started);
    return started;
  }

  async function logged(system: PartProcess, text: string): Promise<void> {
    await vi.waitFor(
      () => {
        expect(system.running()).toBe(true);
        expect(system.logs.some((line) => line.msg.includes(text))).toBe(true);
      },
      { timeout: 30_000, interval: 100 },
    );
  }

  it('started before its servers, waits for each and connects, without crashing', async () => {
    const system = await startSystem();
    await logged(system, 'server not reachable yet; waiting for it');
    await postgres.start();
    // With PostgreSQL there the correlator goes on, to a Redis that is not there yet.
    await logged(system, 'Redis connection error');
    await redis.start();
    // The collector does not wait for the broker: it goes on and retries in the background.
    await logged(system, 'mqtt broker not reached yet; retrying');
    await mosquitto.start();
    await influxd.start();
    await logged(system, 'Faultline is running');
    await logged(system, 'telemetry subscribed');

    // Connected: a trap becomes an alarm.
    await linkDownTrap(target, 1);
    await vi.waitFor(
      async () => {
        expect(await alarmCounts(postgres.url)).toEqual(expectedLinkDowns(1));
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(system.running()).toBe(true);
  });

  it('drains queues and buffers on SIGTERM, exiting within the bound; a restart finds everything', async () => {
    const [first] = processes;
    if (first === undefined) throw new Error('the first test starts the system');
    const traps = 100;
    for (let ifIndex = 2; ifIndex <= traps; ifIndex += 1) await linkDownTrap(target, ifIndex);
    // And 50 telemetry readings, each acknowledged once the collector holds it for InfluxDB,
    // which it writes every second.
    const device = await mqtt.connectAsync(mosquitto.url, { clientId: uniqueName('device') });
    for (let n = 1; n <= 50; n += 1) {
      const reading = {
        device: 'core-1',
        metric: 'cpu_percent',
        value: n,
        time: 1_700_000_000_000 + n,
      };
      await device.publishAsync('telemetry/core-1/cpu_percent', JSON.stringify(reading), {
        qos: 1,
      });
    }
    await device.endAsync();
    // Right after: batches are still being written and processed, points still buffered.
    first.child.kill('SIGTERM');
    const code = await vi.waitFor(
      async () => {
        if (first.running()) throw new Error('still running');
        return first.exited();
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(code).toBe(0);
    // The collector wrote every event and point it had received before it let go.
    expect(first.logs.filter((line) => /dropped|unsent|lost/.test(line.msg))).toEqual([]);
    // The InfluxDB writer flushed its buffer before the process ended.
    expect(await telemetryPoints('faultline', 'cpu_percent', influxd.url)).toBe(50);

    // What was not yet an alarm waits in the queue: the next start makes it one.
    const second = await startSystem();
    await logged(second, 'Faultline is running');
    await vi.waitFor(
      async () => {
        expect(await alarmCounts(postgres.url)).toEqual(expectedLinkDowns(traps));
      },
      { timeout: 30_000, interval: 250 },
    );
    await second.stop();
    expect(await second.exited()).toBe(0);
  });
});
