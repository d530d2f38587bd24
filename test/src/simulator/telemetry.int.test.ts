import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createLogger,
  createValidator,
  TelemetryMessageSchema,
  type Config,
  type TelemetryMessage,
} from '@faultline/shared';
import { createSimulator, type Simulator } from '@faultline/simulator';
import { testSettings, uniqueName, EVENTUALLY } from '../support/services.js';
import { isolatedExampleConfig } from './example-network.js';
import { listenForTraps, type TrapListener } from './snmp-peers.js';

const validator = createValidator(TelemetryMessageSchema);

describe('simulator telemetry over MQTT', () => {
  const settings = testSettings();
  let config: Config;
  let traps: TrapListener;
  let simulator: Simulator;
  let subscriber: MqttClient;
  let prefix: string;
  /** Every message received, with its topic and what the shared schema said of it. */
  const received: { topic: string; message: unknown }[] = [];

  const readings = (): TelemetryMessage[] =>
    received.flatMap(({ message }) => {
      const checked = validator.check(message);
      return checked.ok ? [checked.value] : [];
    });

  beforeEach(async () => {
    config = await isolatedExampleConfig();
    traps = await listenForTraps();
    prefix = uniqueName('tm');
    received.length = 0;
    subscriber = await mqtt.connectAsync(settings.mqttUrl, { reconnectPeriod: 0 }, false);
    subscriber.on('message', (topic, payload) => {
      received.push({ topic, message: JSON.parse(payload.toString('utf8')) as unknown });
    });
    await subscriber.subscribeAsync(`${prefix}/telemetry/#`, { qos: 1 });
    simulator = createSimulator({
      config,
      trapTarget: { host: '127.0.0.1', port: traps.port },
      logger: createLogger({ level: 'silent' }),
      clock: () => Date.UTC(2026, 10, 25, 10),
      mqtt: { url: settings.mqttUrl, intervalMs: 100, prefix },
    });
    await simulator.start();
  });

  afterEach(async () => {
    await simulator.stop();
    await subscriber.endAsync();
    await traps.close();
  });

  it('publishes valid envelopes for every device on <prefix>/telemetry/<device>/<metric>', async () => {
    await vi.waitFor(() => {
      const devices = new Set(readings().map((r) => r.device));
      expect(devices).toEqual(new Set(config.devices.map((d) => d.name)));
    }, EVENTUALLY);
    for (const { topic, message } of received) {
      expect(validator.check(message)).toMatchObject({ ok: true });
      const reading = message as TelemetryMessage;
      expect(topic).toBe(`${prefix}/telemetry/${reading.device}/${reading.metric}`);
    }
    const of = (device: string, metric: string): TelemetryMessage[] =>
      readings().filter((r) => r.device === device && r.metric === metric);
    for (const device of config.devices) {
      const temperature = of(device.name, 'temperature_c')[0]?.value ?? Number.NaN;
      const cpu = of(device.name, 'cpu_percent')[0]?.value ?? Number.NaN;
      expect(temperature).toBeGreaterThanOrEqual(30);
      expect(temperature).toBeLessThanOrEqual(60);
      expect(cpu).toBeGreaterThanOrEqual(0);
      expect(cpu).toBeLessThanOrEqual(100);
    }
    // access-1: its uplink and both customer ports carry optics, around -8 dBm.
    const optics = of('access-1', 'optical_rx_dbm');
    expect(new Set(optics.map((r) => r.tags?.interface))).toEqual(
      new Set(['ge-0/0/24', 'ge-0/0/1', 'ge-0/0/2']),
    );
    for (const reading of optics) {
      expect(reading.value).toBeGreaterThan(-10);
      expect(reading.value).toBeLessThan(-6);
      expect(reading.time).toBe(Date.UTC(2026, 10, 25, 10));
    }
  });

  it('reports the optical level a scenario forces (optics-degrading)', async () => {
    await simulator.runScenario('optics-degrading');
    await vi.waitFor(() => {
      const agg = readings().filter(
        (r) =>
          r.device === 'agg-2' &&
          r.metric === 'optical_rx_dbm' &&
          r.tags?.interface === 'xe-0/0/48' &&
          Math.abs(r.value + 10.5) <= 0.1,
      );
      expect(agg.length).toBeGreaterThan(0);
    }, EVENTUALLY);
  });

  it('goes quiet for devices a fault cuts off', async () => {
    await simulator.setLinkState('core-1', 'xe-0/0/2', false);
    await simulator.setLinkState('core-2', 'xe-0/0/3', false);
    expect(simulator.isReachable('access-3')).toBe(false);
    // Readings published from now on: wait for a full round from the others, then check.
    const mark = received.length;
    await vi.waitFor(() => {
      const later = readings().slice(mark);
      expect(
        later.filter((r) => r.device === 'access-2' && r.metric === 'cpu_percent').length,
      ).toBeGreaterThan(1);
    }, EVENTUALLY);
    // The round in flight when the cut happened may still carry them; the last ones must not.
    const tail = readings().slice(mark).slice(-20);
    expect(tail.filter((r) => r.device === 'access-3' || r.device === 'agg-2')).toEqual([]);
  });
});
