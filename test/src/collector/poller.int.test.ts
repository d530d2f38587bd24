import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import { createLogger, parseConfig, type Config, type Settings } from '@faultline/shared';
import { createSimulator } from '@faultline/simulator';
import {
  EVENTUALLY,
  createInfluxDatabase,
  influxQuery,
  testSettings,
  uniqueName,
} from '../support/services.js';
import { startSnmpd, type Snmpd } from './snmp-tools.js';
import { isolatedExampleConfig } from '../simulator/example-network.js';

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

/** The raw JSON text of a query, to check integers beyond 2^53 digit by digit. */
async function selectText(database: string, q: string): Promise<string> {
  const url = new URL('/query', testSettings().influxUrl);
  url.searchParams.set('db', database);
  url.searchParams.set('q', q);
  return (await fetch(url)).text();
}

function config(yaml: string): Config {
  const parsed = parseConfig(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
}

/** No MQTT session left on the broker after the test (these tests use no telemetry). */
function withoutSession(cfg: Config): Config {
  return { ...cfg, telemetry: { ...cfg.telemetry, sessionExpiryS: 0 } };
}

describe('collector poll path (real snmpd → poller → counter math → InfluxDB)', () => {
  let database: { name: string; drop(): Promise<void> };
  let settings: Settings;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await createInfluxDatabase();
    settings = testSettings({ trapHost: '127.0.0.1', trapPort: 0 });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await database.drop();
  });

  async function collectorFor(yaml: string, schedulePolls: boolean): Promise<Collector> {
    const collector = createCollector({
      runtime: {
        settings,
        config: withoutSession(config(yaml)),
        logger: createLogger({ level: 'silent' }),
      },
      schedulePolls,
    });
    await collector.start();
    cleanups.push(() => collector.stop());
    return collector;
  }

  it('creates its InfluxDB 1.x database when it is missing', async () => {
    const name = uniqueName('ft');
    cleanups.push(async () => {
      await influxQuery(`DROP DATABASE "${name}"`);
    });
    await collectorFor(`influx: { api: v1, database: ${name} }`, false);
    const answer = (await influxQuery('SHOW DATABASES')) as {
      results: { series?: InfluxSeries[] }[];
    };
    const names = answer.results[0]?.series?.[0]?.values.map((row) => row[0]);
    expect(names).toContain(name);
  });

  it('polls a real agent on its schedule and stores its loopback counters', async () => {
    const agent = await startSnmpd({ conf: () => ['rocommunity public 127.0.0.1'] });
    cleanups.push(() => agent.stop());
    await collectorFor(
      `
influx: { api: v1, database: ${database.name} }
devices:
  - name: host-1
    address: 127.0.0.1
    snmp: { version: 2c, community: public, port: ${String(agent.port)} }
    pollIntervalS: 5
    interfaces:
      - { ifIndex: 1, name: lo, speedMbps: 100000 }
`,
      true,
    );
    const rows = await vi.waitFor(
      async () => {
        const found = await select(
          database.name,
          `SELECT * FROM interface WHERE device = 'host-1'`,
        );
        if (found.length < 2) throw new Error(`${String(found.length)} points so far`);
        return found;
      },
      { timeout: 25_000, interval: 500 },
    );
    const [first, second] = rows;
    expect(first).toMatchObject({
      device: 'host-1',
      interface: 'lo',
      ifIndex: '1',
      oper_status: 1,
      in_bps: null,
    });
    expect(Number.isInteger(first?.in_octets)).toBe(true);
    expect(Number.isInteger(first?.out_octets)).toBe(true);
    // The second poll has a rate, or flags one the loopback's reported speed makes impossible.
    expect(typeof second?.in_bps === 'number' || second?.quarantined === true).toBe(true);
    expect(Number(second?.in_octets)).toBeGreaterThanOrEqual(Number(first?.in_octets));
  }, 40_000);

  it("writes error and discard rates from the simulator's agent: a weak optic errors, its neighbour stays clean", async () => {
    // The example network's agg-2 on addresses of its own, on a clock the test moves: the rates
    // are over the agent's sysUpTime, so they come out exact.
    const network = await isolatedExampleConfig();
    let nowMs = Date.UTC(2026, 10, 25, 10);
    const simulator = createSimulator({
      config: network,
      trapTarget: { host: '127.0.0.1', port: 9 },
      logger: createLogger({ level: 'silent' }),
      clock: () => nowMs,
    });
    await simulator.start();
    cleanups.push(() => simulator.stop());
    const collector = createCollector({
      runtime: {
        settings,
        config: withoutSession({
          ...network,
          influx: { ...network.influx, api: 'v1', database: database.name },
        }),
        logger: createLogger({ level: 'silent' }),
      },
      schedulePolls: false,
    });
    await collector.start();
    cleanups.push(() => collector.stop());
    // -15.5 dBm on the uplink to core-1: about 31.6 errored frames a second.
    const run = await simulator.runScenario('weak-optic', {
      definition:
        'description: a weak optic\nsteps:\n' +
        '  - { at: 0s, action: optics, device: agg-2, interface: xe-0/0/48, dbm: -15.5 }\n',
    });
    await run.done;
    await collector.pollNow('agg-2');
    nowMs += 60_000;
    await collector.pollNow('agg-2');

    const rows = await vi.waitFor(
      async () => {
        const found = await select(
          database.name,
          `SELECT * FROM interface WHERE device = 'agg-2' AND in_bps >= 0`,
        );
        if (found.length < 3) throw new Error(`${String(found.length)} rates so far`);
        return found;
      },
      { timeout: 15_000, interval: 250 },
    );
    const weak = rows.find((r) => r.interface === 'xe-0/0/48');
    const clean = rows.find((r) => r.interface === 'xe-0/0/49');
    // floor(10^1.5 × 60) = 1897 errors in the minute.
    expect(weak).toMatchObject({
      in_errors_ps: 1897 / 60,
      out_errors_ps: 0,
      in_discards_ps: 0,
      out_discards_ps: 0,
    });
    expect(weak?.quarantined ?? null).toBeNull();
    expect(clean).toMatchObject({
      in_errors_ps: 0,
      out_errors_ps: 0,
      in_discards_ps: 0,
      out_discards_ps: 0,
    });
  }, 40_000);

  it('turns a scripted agent timeline into exact counters, rates, wraps, quarantines and resets', async () => {
    // A pass script serves sysUpTime, ifTable and ifXTable from a file the test rewrites: ifIndex 1
    // has 64-bit counters, ifIndex 2 only 32-bit ones (the poller must fall back to ifTable).
    const agent: Snmpd = await startSnmpd({
      exclude: ['system_mib'],
      files: (dir) => ({
        'pass.sh': {
          mode: 0o755,
          text: `#!/bin/sh\n[ "$1" = "-g" ] || exit 0\nline=$(grep -m1 "^$2 " ${join(dir, 'state')}) || exit 0\nset -- $line\nprintf '%s\\n%s\\n%s\\n' "$1" "$2" "$3"\n`,
        },
        state: { text: '' },
      }),
      conf: (dir) => [
        'rocommunity public 127.0.0.1',
        `pass .1.3.6.1.2.1.1.3 ${join(dir, 'pass.sh')}`,
        `pass .1.3.6.1.2.1.2.2.1 ${join(dir, 'pass.sh')}`,
        `pass .1.3.6.1.2.1.31.1.1.1 ${join(dir, 'pass.sh')}`,
      ],
    });
    cleanups.push(() => agent.stop());
    const state = async (s: {
      uptime: number;
      in1: bigint;
      out1: bigint;
      in2: number;
      oper2: number;
    }): Promise<void> => {
      const lines = [
        `.1.3.6.1.2.1.1.3.0 timeticks ${String(s.uptime)}`,
        `.1.3.6.1.2.1.31.1.1.1.6.1 counter64 ${s.in1.toString()}`,
        `.1.3.6.1.2.1.31.1.1.1.10.1 counter64 ${s.out1.toString()}`,
        '.1.3.6.1.2.1.31.1.1.1.15.1 gauge 1000',
        '.1.3.6.1.2.1.2.2.1.8.1 integer 1',
        `.1.3.6.1.2.1.2.2.1.10.2 counter ${String(s.in2)}`,
        '.1.3.6.1.2.1.2.2.1.16.2 counter 0',
        '.1.3.6.1.2.1.2.2.1.5.2 gauge 100000000',
        `.1.3.6.1.2.1.2.2.1.8.2 integer ${String(s.oper2)}`,
      ];
      await writeFile(join(agent.dir, 'state'), `${lines.join('\n')}\n`);
    };
    const collector = await collectorFor(
      `
influx: { api: v1, database: ${database.name} }
devices:
  - name: scripted-1
    address: 127.0.0.1
    snmp: { version: 2c, community: public, port: ${String(agent.port)} }
    interfaces:
      - { ifIndex: 1, name: xe-0/0/1, speedMbps: 1000 }
      - { ifIndex: 2, name: fe-0/0/2, speedMbps: 100 }
customers:
  - id: acme
    name: ACME
    currency: EUR
    services: [{ id: acme-transit, device: scripted-1, interface: xe-0/0/1, plan: flat }]
pricePlans:
  - { id: flat, type: flat, monthlyCharge: '1.00' }
`,
      false,
    );
    const big = 9_007_199_254_740_993n; // 2^53 + 1: a float would store …992
    const timeline = [
      { uptime: 100, in1: big, out1: 1000n, in2: 4_294_967_000, oper2: 1 }, // first samples
      { uptime: 6100, in1: big + 7_500_000n, out1: 1000n, in2: 704, oper2: 2 }, // +60 s, 1 Mbit/s, 32-bit wrap
      { uptime: 6200, in1: big + 7_500_000n + 10n ** 12n, out1: 1000n, in2: 1704, oper2: 2 }, // 8 Tbit/s: impossible
      { uptime: 50, in1: 10n, out1: 20n, in2: 30, oper2: 1 }, // agent restarted
    ];
    for (const step of timeline) {
      await state(step);
      const poll = await collector.pollNow('scripted-1');
      expect(poll.interfaces.map((i) => [i.ifIndex, i.width])).toEqual([
        [1, 64],
        [2, 32],
      ]);
    }

    const rows = await vi.waitFor(
      async () => {
        const found = await select(
          database.name,
          `SELECT * FROM interface WHERE device = 'scripted-1' ORDER BY time`,
        );
        if (found.length < 8) throw new Error(`${String(found.length)} points so far`);
        return found;
      },
      { timeout: 15_000, interval: 250 },
    );
    const by = (ifIndex: string) => rows.filter((r) => r.ifIndex === ifIndex);
    const [if1, if2] = [by('1'), by('2')];
    expect(if1.map((r) => [r.in_bps, r.out_bps, r.quarantined])).toEqual([
      [null, null, null],
      [1_000_000, 0, null],
      [null, 0, true],
      [null, null, null],
    ]);
    expect(if1[0]).toMatchObject({
      interface: 'xe-0/0/1',
      service: 'acme-transit',
      customer: 'acme',
      oper_status: 1,
    });
    expect(if2.map((r) => [r.in_octets, r.in_bps, r.oper_status])).toEqual([
      [4_294_967_000, null, 1],
      [704, (1000 * 8) / 60, 2],
      [1704, 8000, 2],
      [30, null, 1],
    ]);
    expect(if2[0]).toMatchObject({ interface: 'fe-0/0/2', service: null });
    const text = await selectText(
      database.name,
      `SELECT in_octets FROM interface WHERE device = 'scripted-1' AND ifIndex = '1' ORDER BY time LIMIT 2`,
    );
    expect(text).toContain(big.toString());
    expect(text).toContain((big + 7_500_000n).toString());

    const samples = collector
      .metrics()
      .filter((m) => m.name === 'faultline_collector_counter_samples_total')
      .map((m) => [m.labels?.decision, m.value]);
    expect(Object.fromEntries(samples)).toMatchObject({
      first: 4,
      rate: 7,
      quarantined: 1,
      reset: 4,
    });
    // Counted once InfluxDB's answer reaches the writer, which may be after the query above saw
    // the points: wait on the counter itself.
    await vi.waitFor(() => {
      const written = collector
        .metrics()
        .find((m) => m.name === 'faultline_collector_influx_points_written_total');
      expect(written?.value).toBe(8);
    }, EVENTUALLY);
  }, 40_000);
});
