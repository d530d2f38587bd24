import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  UPSERT_INCIDENT,
  createLogger,
  incidentParams,
  parseConfig,
  type Config,
  type DeviceDetail,
  type InterfaceTraffic,
  type NetworkHealth,
} from '@faultline/shared';
import { buildApp } from '@faultline/api';
import { writeLines } from '../billing/billing-data.js';
import { createInfluxDatabase } from '../support/services.js';
import {
  createApiFixture,
  sampleAlarm,
  sampleIncident,
  upsertAlarm,
  type ApiFixture,
} from './harness.js';

const VIEWER = 'network-viewer-token-0001';
const METRICS = 'network-metrics-token-0001';
const digest = (text: string) => createHash('sha256').update(text).digest('hex');
const MINUTE = 60_000;
const BUCKET = 5 * MINUTE;

function networkConfig(database: string): Config {
  const checked = parseConfig(`
influx: { database: ${database} }
devices:
  - name: edge-1
    address: 127.0.1.1
    site: fra1
    snmp: { version: 2c, community: public, port: 1161 }
    pollIntervalS: 30
    interfaces:
      - { ifIndex: 1, name: ge-0/0/1, speedMbps: 1000, description: Initech office }
      - { ifIndex: 2, name: ge-0/0/2, speedMbps: 100, description: uplink }
  - name: edge-2
    address: 127.0.1.2
    snmp: { version: 2c, community: public, port: 1161 }
    interfaces:
      - { ifIndex: 1, name: ge-0/0/1, speedMbps: 1000 }
pricePlans:
  - { id: burst, type: percentile95, monthlyCharge: '100.00', commitMbps: 5, overagePerMbps: '1.00', direction: in }
customers:
  - id: initech
    name: Initech
    currency: GBP
    timeZone: Europe/London
    services:
      - { id: initech-office, description: Office internet, device: edge-1, interface: ge-0/0/1, plan: burst }
api:
  tokens:
    - { name: wall, role: viewer, sha256: ${digest(VIEWER)} }
    - { name: scrape, role: metrics, sha256: ${digest(METRICS)} }
`);
  if (!checked.ok) throw new Error(`invalid test config: ${JSON.stringify(checked.problems)}`);
  return checked.value;
}

const point = (iface: string, timeMs: number, fields: string) =>
  `interface,device=edge-1,interface=${iface} ${fields} ${String(timeMs)}`;

describe('network routes: devices, interface traffic and health from InfluxDB', () => {
  let fixture: ApiFixture;
  let influx: { name: string; drop(): Promise<void> };
  let app: FastifyInstance;
  let nowMs: number;
  let firstBucketMs: number;
  const incident = sampleIncident({
    title: 'edge-1 ge-0/0/1 down',
    impactedServices: [{ customerId: 'initech', serviceId: 'initech-office' }],
  });

  beforeAll(async () => {
    fixture = await createApiFixture();
    influx = await createInfluxDatabase();
    nowMs = Date.now();
    // Ten whole 5-minute buckets before the current one, a point a minute, bucket j at (j+1) Mbit/s in.
    firstBucketMs = Math.floor(nowMs / BUCKET) * BUCKET - 10 * BUCKET;
    const lines: string[] = [];
    for (let j = 0; j < 10; j += 1) {
      for (let m = 0; m < 5; m += 1) {
        const t = firstBucketMs + j * BUCKET + m * MINUTE;
        lines.push(point('ge-0/0/1', t, `in_bps=${String((j + 1) * 1e6)},out_bps=1000000`));
      }
    }
    // The uplink: 80 and 20 Mbit/s of 100 in the last minutes, receiving 4, 6 and 8 errored
    // packets a second and dropping 1 outbound; ge-0/0/1 went down since.
    for (let m = 1; m <= 3; m += 1) {
      lines.push(
        point(
          'ge-0/0/2',
          nowMs - m * MINUTE,
          'in_bps=80000000,out_bps=20000000,oper_status=1i,' +
            `in_errors_ps=${String(2 + 2 * m)},out_errors_ps=0,in_discards_ps=0,out_discards_ps=1`,
        ),
      );
    }
    // Clean before the window: errors ten minutes ago are not "in the last five".
    lines.push(point('ge-0/0/1', nowMs - 10 * MINUTE, 'in_errors_ps=500'));
    lines.push(point('ge-0/0/1', nowMs - 30_000, 'oper_status=2i'));
    await writeLines(influx.name, lines);
    const alarm = sampleAlarm({
      id: incident.primaryAlarmId,
      device: 'edge-1',
      component: 'ge-0/0/1',
    });
    await upsertAlarm(fixture.pool, alarm);
    await upsertAlarm(fixture.pool, sampleAlarm({ device: 'edge-2', component: 'ge-0/0/1' }));
    await fixture.pool.query(UPSERT_INCIDENT, incidentParams(incident));
    app = await buildApp({
      pool: fixture.pool,
      redis: fixture.redis,
      config: networkConfig(influx.name),
      settings: fixture.settings,
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      dashboardDir: null,
      maxAuthFailuresPerMinute: 1000,
    });
  });

  afterAll(async () => {
    await app.close();
    await influx.drop();
    await fixture.close();
  });

  const get = (url: string, token: string | null = VIEWER) =>
    app.inject({ url, headers: token === null ? {} : { authorization: `Bearer ${token}` } });

  it('names every customer service', async () => {
    const answer = await get('/api/services');
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({
      services: [
        {
          customerId: 'initech',
          customerName: 'Initech',
          serviceId: 'initech-office',
          description: 'Office internet',
          device: 'edge-1',
          interface: 'ge-0/0/1',
        },
      ],
    });
  });

  it("shows a device's interfaces with status, traffic and services, its alarms and incidents", async () => {
    const answer = await get('/api/devices/edge-1');
    expect(answer.statusCode).toBe(200);
    const detail = answer.json<DeviceDetail>();
    expect(detail.device).toEqual({
      name: 'edge-1',
      address: '127.0.1.1',
      kind: null,
      site: 'fra1',
    });
    const [office, uplink] = detail.interfaces;
    expect(office).toMatchObject({
      name: 'ge-0/0/1',
      operStatus: 'down',
      speedMbps: 1000,
      services: [{ customerName: 'Initech', description: 'Office internet' }],
    });
    expect(uplink).toMatchObject({
      name: 'ge-0/0/2',
      operStatus: 'up',
      inBps: 80e6,
      outBps: 20e6,
      utilizationPercent: 80,
      inErrorsPs: 6,
      outErrorsPs: 0,
      inDiscardsPs: 0,
      outDiscardsPs: 1,
      services: [],
    });
    expect(office).toMatchObject({ inErrorsPs: null, outDiscardsPs: null });
    expect(detail.alarms.map((a) => a.device)).toEqual(['edge-1']);
    expect(detail.incidents.map((i) => i.id)).toEqual([incident.id]);
  });

  it("graphs an interface's traffic per step with the 95th of the service billed on it", async () => {
    const answer = await get('/api/devices/edge-1/interfaces/1/traffic?range=hour');
    expect(answer.statusCode).toBe(200);
    const traffic = answer.json<InterfaceTraffic>();
    expect(traffic).toMatchObject({ interface: 'ge-0/0/1', speedMbps: 1000, stepMs: MINUTE });
    expect(traffic.timeMs).toHaveLength(60);
    expect(traffic.inBps).toHaveLength(60);
    const at = traffic.timeMs.indexOf(firstBucketMs + 3 * BUCKET + 2 * MINUTE);
    expect(traffic.inBps[at]).toBe(4e6);
    expect(traffic.outBps[at]).toBe(1e6);
    expect(traffic.inBps.filter((v) => v !== null)).toHaveLength(50);
    // Ten buckets: fewer than 20, so nothing is dropped and the 95th is the highest.
    expect(traffic.percentiles).toEqual([
      {
        serviceId: 'initech-office',
        customerName: 'Initech',
        description: 'Office internet',
        direction: 'in',
        commitMbps: 5,
        percentileBps: 10e6,
        sampleCount: 10,
      },
    ]);
    const uplink = (
      await get('/api/devices/edge-1/interfaces/2/traffic?range=week')
    ).json<InterfaceTraffic>();
    expect(uplink).toMatchObject({ stepMs: 30 * MINUTE, percentiles: [] });
    expect(uplink.timeMs).toHaveLength(336);
  });

  it('sums up the network: busiest interfaces, errors and discards, interfaces down, silent devices', async () => {
    const answer = await get('/api/network/health');
    expect(answer.statusCode).toBe(200);
    const health = answer.json<NetworkHealth>();
    expect(health.busiest[0]).toMatchObject({
      device: 'edge-1',
      interface: 'ge-0/0/2',
      utilizationPercent: 80,
    });
    expect(health.errored).toEqual([
      {
        device: 'edge-1',
        ifIndex: 2,
        interface: 'ge-0/0/2',
        description: 'uplink',
        inErrorsPs: 6,
        outErrorsPs: 0,
        inDiscardsPs: 0,
        outDiscardsPs: 1,
        errorsAndDiscardsPs: 7,
      },
    ]);
    expect(health.interfacesDown).toEqual([
      { device: 'edge-1', interface: 'ge-0/0/1', operStatus: 'down' },
    ]);
    expect(health.silent).toEqual(['edge-2']);
    expect(health.devices).toBe(2);
    // Only polled interfaces can be seen down: the wall says how many of these three are.
    expect(health.interfacesConfigured).toBe(3);
  });

  it.each([
    [
      '/api/devices/edge-1/interfaces/1/traffic?range=year',
      400,
      /^query parameter "range" must be one of: hour, day, week, month$/,
    ],
    ['/api/devices/edge-1/interfaces/one/traffic', 400, /^path parameter "ifIndex" must match/],
    ['/api/devices/no%20such/interfaces/1/traffic', 400, /^path parameter "name" must match/],
    ['/api/devices/edge-9', 404, /no device named edge-9/],
    ['/api/devices/edge-1/interfaces/7/traffic', 404, /no configured interface with ifIndex 7/],
  ])('answers %s with %i and a clear message', async (url, status, message) => {
    const answer = await get(url);
    expect(answer.statusCode).toBe(status);
    expect(answer.json<{ message: string }>().message).toMatch(message);
  });

  it.each([
    [null, 401],
    [METRICS, 403],
  ])('refuses token %s with %i', async (token, status) => {
    for (const url of ['/api/services', '/api/devices/edge-1', '/api/network/health']) {
      expect((await get(url, token)).statusCode).toBe(status);
    }
  });

  it('reads a database the collector has not created yet as nothing polled', async () => {
    const fresh = await buildApp({
      pool: fixture.pool,
      redis: fixture.redis,
      config: networkConfig(`never_written_${String(process.pid)}_${String(Date.now())}`),
      settings: fixture.settings,
      logger: createLogger({ level: 'silent' }),
      dashboardDir: null,
      maxAuthFailuresPerMinute: 1000,
    });
    try {
      const headers = { authorization: `Bearer ${VIEWER}` };
      const health = await fresh.inject({ url: '/api/network/health', headers });
      expect(health.statusCode).toBe(200);
      expect(health.json<NetworkHealth>()).toMatchObject({ busiest: [], errored: [] });
      const traffic = await fresh.inject({
        url: '/api/devices/edge-1/interfaces/1/traffic',
        headers,
      });
      expect(traffic.statusCode).toBe(200);
      // Every step of the window, none with a rate.
      expect(new Set(traffic.json<{ inBps: unknown[] }>().inBps)).toEqual(new Set([null]));
    } finally {
      await fresh.close();
    }
  });

  it('answers 503 when InfluxDB cannot be read', async () => {
    const blind = await buildApp({
      pool: fixture.pool,
      redis: fixture.redis,
      config: networkConfig(influx.name),
      settings: { ...fixture.settings, influxUrl: 'http://127.0.0.1:9' },
      logger: createLogger({ level: 'silent' }),
      dashboardDir: null,
      maxAuthFailuresPerMinute: 1000,
    });
    try {
      for (const url of [
        '/api/devices/edge-1',
        '/api/devices/edge-1/interfaces/1/traffic',
        '/api/network/health',
      ]) {
        const answer = await blind.inject({ url, headers: { authorization: `Bearer ${VIEWER}` } });
        expect(answer.statusCode).toBe(503);
        expect(answer.json<{ message: string }>().message).toBe(
          'InfluxDB could not be read; try again shortly',
        );
      }
    } finally {
      await blind.close();
    }
  });
});
