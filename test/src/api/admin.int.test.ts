import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger, type Config } from '@faultline/shared';
import { buildApp } from '@faultline/api';
import { createSimulator, type Simulator } from '@faultline/simulator';
import { uniqueName, EVENTUALLY } from '../support/services.js';
import { isolatedExampleConfig } from '../simulator/example-network.js';
import { berOid, isV2cTrap, listenForTraps, type TrapListener } from '../simulator/snmp-peers.js';
import { ADMIN_TOKEN, createApiFixture, type ApiFixture } from './harness.js';

const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const LINK_UP = '1.3.6.1.6.3.1.1.5.4';
const SHIPPED = [
  'congestion',
  'device-reboot',
  'fibre-cut',
  'flapping-port',
  'maintenance-window',
  'optics-degrading',
  'patch-swap',
  'trap-storm',
];
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('admin routes with a running simulator', () => {
  let fixture: ApiFixture;
  let app: FastifyInstance;
  let simulator: Simulator;
  let traps: TrapListener;
  let network: Config;

  beforeAll(async () => {
    fixture = await createApiFixture();
    network = await isolatedExampleConfig();
    traps = await listenForTraps();
    // The simulator and the api share the instance prefix, hence the control topic.
    simulator = createSimulator({
      config: network,
      trapTarget: { host: '127.0.0.1', port: traps.port },
      logger: createLogger({ level: 'silent' }),
      mqtt: {
        url: fixture.settings.mqttUrl,
        intervalMs: 3_600_000,
        prefix: fixture.settings.prefix,
      },
    });
    await simulator.start();
    app = await buildApp({
      pool: fixture.pool,
      redis: fixture.redis,
      config: fixture.config,
      settings: fixture.settings,
      logger: createLogger({ level: 'silent' }),
      dashboardDir: null,
      simulatorTimeoutMs: 5_000,
    });
  });

  afterAll(async () => {
    await app.close();
    await simulator.stop();
    await traps.close();
    await fixture.close();
  });

  /** Link traps from access-1 port 2, as `linkDown` / `linkUp`. */
  const flaps = (): string[] => {
    const address = network.devices.find((d) => d.name === 'access-1')?.address;
    return traps.received.flatMap((datagram) => {
      if (datagram.address !== address || !isV2cTrap(datagram.buffer, 'public')) return [];
      if (datagram.buffer.includes(berOid(LINK_DOWN))) return ['linkDown'];
      if (datagram.buffer.includes(berOid(LINK_UP))) return ['linkUp'];
      return [];
    });
  };

  it('lists the shipped scenarios with their descriptions', async () => {
    const response = await app.inject({ url: '/api/admin/scenarios', headers: admin });
    expect(response.statusCode).toBe(200);
    const { scenarios } = response.json<{
      scenarios: { name: string; description: string; valid: boolean }[];
    }>();
    expect(scenarios.map((s) => s.name)).toEqual(SHIPPED);
    for (const scenario of scenarios) {
      expect(scenario.valid).toBe(true);
      expect(scenario.description.length).toBeGreaterThan(0);
    }
  });

  it('runs flapping-port with a speed-up: 202 with steps and length, then the traps come', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/scenarios/flapping-port/run',
      headers: admin,
      payload: { speedup: 100 },
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      scenario: 'flapping-port',
      steps: 12,
      lengthMs: 600,
      speedup: 100,
    });
    await vi.waitFor(() => {
      expect(flaps().filter((t) => t === 'linkDown')).toHaveLength(6);
      expect(flaps().filter((t) => t === 'linkUp')).toHaveLength(6);
    }, EVENTUALLY);
  });

  it('answers 404 for a scenario the simulator does not know', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/scenarios/no-such-thing/run',
      headers: admin,
      payload: {},
    });
    expect(response.statusCode).toBe(404);
    expect(response.json<{ message: string }>().message).toMatch(/no scenario named/);
  });

  it('refuses a speed-up out of bounds with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/scenarios/flapping-port/run',
      headers: admin,
      payload: { speedup: 0 },
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('admin routes without a simulator', () => {
  let fixture: ApiFixture;
  let app: FastifyInstance;

  beforeAll(async () => {
    fixture = await createApiFixture();
    app = await buildApp({
      pool: fixture.pool,
      redis: fixture.redis,
      config: fixture.config,
      settings: { ...fixture.settings, prefix: uniqueName('nobody') },
      logger: createLogger({ level: 'silent' }),
      dashboardDir: null,
      simulatorTimeoutMs: 300,
    });
  });

  afterAll(async () => {
    await app.close();
    await fixture.close();
  });

  it.each([
    ['GET', '/api/admin/scenarios', undefined],
    ['POST', '/api/admin/scenarios/fibre-cut/run', {}],
  ] as const)('%s %s answers 503 naming the control topic', async (method, url, payload) => {
    const response = await app.inject({
      method,
      url,
      headers: admin,
      ...(payload === undefined ? {} : { payload }),
    });
    expect(response.statusCode).toBe(503);
    expect(response.json<{ message: string }>().message).toMatch(
      /^no simulator answered on nobody_\S+\/simulator\/control within 0\.3 s/,
    );
  });
});
