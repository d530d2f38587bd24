import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInfluxReadings,
  interfaceQuery,
  parseAnswer,
  readingsFromAnswer,
  type InterfaceReading,
} from '@faultline/billing-bridge';
import { createInfluxDatabase, testSettings } from '../support/services.js';
import {
  END_MS,
  GAP_POLLS,
  POLLS,
  REBOOT_POLL,
  START_MS,
  monthLines,
  writeLines,
} from './billing-data.js';

const FROM_MS = START_MS - 3_600_000;
const TO_MS = END_MS + 3_600_000;

/** Counters past 2^53 and, stored negative as InfluxDB 1.x must, past 2^63 − 1. */
const HUGE = [
  `interface,device=access-1,interface=ge-0/0/3 in_octets=9007199254740993i,out_octets=-1i,in_bps=1 ${String(START_MS)}`,
  `interface,device=access-1,interface=ge-0/0/3 in_octets=-9223372036854775808i,out_octets=1i,quarantined=true ${String(START_MS + 300_000)}`,
];

describe('the InfluxDB reader (MessagePack) against JSON answers of the same query', () => {
  let influx: { name: string; drop(): Promise<void> };

  beforeAll(async () => {
    influx = await createInfluxDatabase();
    await writeLines(influx.name, [...monthLines(), ...HUGE]);
  });

  afterAll(async () => {
    await influx.drop();
  });

  async function query(iface: string, accept: string) {
    const url = new URL('/query', testSettings().influxUrl);
    url.searchParams.set('db', influx.name);
    url.searchParams.set('epoch', 'ms');
    url.searchParams.set('q', interfaceQuery('access-1', iface, FROM_MS, TO_MS));
    const response = await fetch(url, { headers: { accept } });
    const contentType = response.headers.get('content-type');
    return { contentType, body: new Uint8Array(await response.arrayBuffer()) };
  }

  async function readBoth(iface: string): Promise<[InterfaceReading[], InterfaceReading[]]> {
    const reader = createInfluxReadings({
      influxUrl: testSettings().influxUrl,
      database: influx.name,
      token: undefined,
    });
    const json = await query(iface, 'application/json');
    expect(json.contentType).toMatch(/^application\/json/);
    return [
      await reader.read('access-1', iface, FROM_MS, TO_MS),
      readingsFromAnswer(parseAnswer(json.body, json.contentType)),
    ];
  }

  it('is answered in MessagePack by this InfluxDB', async () => {
    expect((await query('ge-0/0/1', 'application/x-msgpack')).contentType).toBe(
      'application/x-msgpack',
    );
  });

  it('reads a 64-bit month exactly as JSON does', async () => {
    const [msgpack, json] = await readBoth('ge-0/0/1');
    expect(msgpack).toHaveLength(POLLS + 1);
    expect(msgpack).toEqual(json);
  });

  it('reads a 32-bit month with a reboot, wraps and a gap exactly as JSON does', async () => {
    const [msgpack, json] = await readBoth('ge-0/0/2');
    expect(msgpack).toHaveLength(POLLS + 1 - GAP_POLLS.length);
    expect(msgpack.filter((reading) => !reading.hasRate).map((r) => r.timeMs)).toEqual([
      START_MS,
      START_MS + REBOOT_POLL * 300_000,
    ]);
    expect(msgpack).toEqual(json);
  });

  it('reads counters past 2^53 and 2^63 exactly, and quarantine', async () => {
    const [msgpack, json] = await readBoth('ge-0/0/3');
    expect(msgpack).toEqual([
      {
        timeMs: START_MS,
        inOctets: 9_007_199_254_740_993n,
        outOctets: -1n,
        hasRate: true,
        quarantined: false,
      },
      {
        timeMs: START_MS + 300_000,
        inOctets: -(2n ** 63n),
        outOctets: 1n,
        hasRate: false,
        quarantined: true,
      },
    ]);
    expect(msgpack).toEqual(json);
  });

  it('reads nothing for a circuit without data', async () => {
    expect(await readBoth('ge-0/0/9')).toEqual([[], []]);
  });

  it("turns InfluxDB's errors and an unreachable server into exceptions", async () => {
    const missing = createInfluxReadings({
      influxUrl: testSettings().influxUrl,
      database: `${influx.name}_missing`,
      token: undefined,
    });
    await expect(missing.read('access-1', 'ge-0/0/1', FROM_MS, TO_MS)).rejects.toThrow(
      /database not found/,
    );
    const nowhere = createInfluxReadings({
      influxUrl: 'http://127.0.0.1:1',
      database: influx.name,
      token: undefined,
    });
    await expect(nowhere.read('access-1', 'ge-0/0/1', FROM_MS, TO_MS)).rejects.toThrow(
      /InfluxDB is unreachable/,
    );
  });

  it('gives up on a server that accepts and never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const reader = createInfluxReadings({
        influxUrl: `http://127.0.0.1:${String(port)}`,
        database: influx.name,
        token: undefined,
        answerTimeoutMs: 200,
      });
      const failure = await reader
        .read('access-1', 'ge-0/0/1', FROM_MS, TO_MS)
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toBe('InfluxDB is unreachable');
      expect(String((failure as Error).cause)).toMatch(/no answer within 200 ms/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
