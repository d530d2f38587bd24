import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import { createCorrelator } from '@faultline/correlator';
import {
  createLogger,
  hotStateKeys,
  parseConfig,
  type Alarm,
  type Component,
  type ComponentMetric,
  type Runtime,
} from '@faultline/shared';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { scriptedAgent } from './snmp-tools.js';

/**
 * Restart reconciliation, end to end: a collector raises linkDown from its polls, the correlator
 * opens the alarm and the customer's outage, the collector stops; a new collector starts, reads the
 * open link alarms from the correlator's Redis mirror and its first poll verifies them against a
 * real snmpd. Each test has its own device, agent and customer service in one correlator world.
 */

const DOWN = 2;
const UP = 1;

interface AlarmRow {
  id: string;
  state: string;
  count: number;
  cleared_at: Date | null;
}
interface HistoryRow {
  change: string;
  at: Date;
  cause: string;
}
interface OutageRow {
  ended_at: Date | null;
}

describe('restart reconciliation of link alarms (real snmpd, collector and correlator)', () => {
  let database: TestDatabase;
  let dropInflux: () => Promise<void>;
  let runtime: Runtime;
  let correlator: Component;
  let db: pg.Client;
  let redis: Redis;
  const agents: Awaited<ReturnType<typeof scriptedAgent>>[] = [];
  const collectors: Collector[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const influx = await createInfluxDatabase();
    dropInflux = () => influx.drop();
    for (let n = 0; n < 2; n++) agents.push(await scriptedAgent());
    const devices = agents
      .map(
        ({ agent }, n) => `
  - name: edge-${String(n + 1)}
    address: 127.0.0.1
    snmp: { version: 2c, community: public, port: ${String(agent.port)} }
    interfaces:
      - { ifIndex: 1, name: ge-0/0/1, speedMbps: 1000 }`,
      )
      .join('');
    const parsed = parseConfig(`
influx: { api: v1, database: ${influx.name} }
telemetry: { sessionExpiryS: 0 }
correlation: { holdS: 0 }
devices:${devices}
pricePlans:
  - { id: flat, type: flat, monthlyCharge: '10.00' }
customers:
  - id: acme
    name: ACME
    currency: EUR
    timeZone: UTC
    services:
      - { id: acme-1, device: edge-1, interface: ge-0/0/1, plan: flat }
      - { id: acme-2, device: edge-2, interface: ge-0/0/1, plan: flat }
`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    runtime = {
      settings: testSettings({ databaseUrl: database.url, trapHost: '127.0.0.1', trapPort: 0 }),
      config: parsed.value,
      logger: createLogger({ level: 'silent' }),
    };
    correlator = createCorrelator({ runtime });
    await correlator.start();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    redis = new Redis(runtime.settings.redisUrl);
  });

  afterEach(async () => {
    for (const collector of collectors.splice(0)) await collector.stop();
  });

  afterAll(async () => {
    await correlator.stop();
    for (const { agent } of agents) await agent.stop();
    const stream = redis.scanStream({ match: `${runtime.settings.prefix}:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
    await redis.quit();
    await db.end();
    await dropInflux();
    await database.drop();
  });

  async function startCollector(): Promise<Collector> {
    const collector = createCollector({ runtime, schedulePolls: false });
    await collector.start();
    collectors.push(collector);
    return collector;
  }

  async function stopCollector(collector: Collector): Promise<void> {
    collectors.splice(collectors.indexOf(collector), 1);
    await collector.stop();
  }

  /** Events the collector's polls made, by kind: counted when made, before they are batched. */
  const pollEvents = (collector: Collector): Record<string, number> =>
    Object.fromEntries(
      collector
        .metrics()
        .filter((m: ComponentMetric) => m.name === 'faultline_collector_poll_events_total')
        .filter((m) => m.value > 0)
        .map((m) => [m.labels?.kind ?? '', m.value]),
    );

  async function alarm(key: string): Promise<AlarmRow | undefined> {
    const result = await db.query<AlarmRow>(
      'SELECT id, state, count, cleared_at FROM alarms WHERE reduction_key = $1',
      [key],
    );
    expect(result.rows.length).toBeLessThanOrEqual(1);
    return result.rows[0];
  }

  async function history(alarmId: string): Promise<HistoryRow[]> {
    const result = await db.query<HistoryRow>(
      'SELECT change, at, cause FROM alarm_history WHERE alarm_id = $1 ORDER BY id',
      [alarmId],
    );
    return result.rows;
  }

  async function outages(serviceId: string): Promise<OutageRow[]> {
    const result = await db.query<OutageRow>(
      'SELECT ended_at FROM outages WHERE service_id = $1 ORDER BY id',
      [serviceId],
    );
    return result.rows;
  }

  /**
   * A first collector sees the link up, then down: the correlator opens the alarm, mirrors it in
   * Redis and opens the service's outage. Then that collector stops.
   */
  async function linkDownBeforeRestart(
    device: string,
    agent: (typeof agents)[number],
    serviceId: string,
  ): Promise<{ key: string; opened: Alarm }> {
    const key = `linkDown:${device}:ifIndex=1`;
    const first = await startCollector();
    await agent.oper(UP);
    await first.pollNow(device);
    await agent.oper(DOWN);
    await first.pollNow(device);
    const opened = await vi.waitFor(
      async () => {
        const raw = await redis.hget(hotStateKeys(runtime.settings.prefix).openAlarms, key);
        expect(raw).not.toBeNull();
        return JSON.parse(raw ?? '') as Alarm;
      },
      { timeout: 20_000, interval: 50 },
    );
    await vi.waitFor(
      async () => {
        expect((await outages(serviceId)).map((o) => o.ended_at)).toEqual([null]);
      },
      { timeout: 20_000, interval: 50 },
    );
    await stopCollector(first);
    return { key, opened };
  }

  it('clears an alarm whose link came back while the collector was stopped, at its first poll, and ends the outage', async () => {
    const agent = agents[0];
    if (agent === undefined) throw new Error('no agent');
    const { key, opened } = await linkDownBeforeRestart('edge-1', agent, 'acme-1');
    // The link comes back while no collector runs: its linkUp trap would go unheard.
    await agent.oper(UP);

    const second = await startCollector();
    const poll = await second.pollNow('edge-1');
    const cleared = await vi.waitFor(
      async () => {
        const row = await alarm(key);
        expect(row?.state).toBe('cleared');
        return row;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(cleared).toMatchObject({ id: opened.id, count: 1 });
    expect(cleared?.cleared_at?.getTime()).toBe(poll.timeMs);
    const verifiedAt = new Date(poll.timeMs).toISOString();
    expect((await history(opened.id)).map((h) => [h.change, h.cause])).toEqual([
      ['raised', expect.stringMatching(/^event .+ \(linkDown\)$/)],
      [
        'cleared',
        expect.stringMatching(
          new RegExp(
            `^event .+ \\(linkUp\\): verified up by poll; state unknown between ${opened.lastSeen.replaceAll('.', '\\.')} and ${verifiedAt.replaceAll('.', '\\.')}$`,
          ),
        ),
      ],
    ]);
    // The correlation step that sees the alarm cleared ends the outage, at that step's time.
    const [outage] = await vi.waitFor(
      async () => {
        const rows = await outages('acme-1');
        expect(rows).toHaveLength(1);
        expect(rows[0]?.ended_at).not.toBeNull();
        return rows;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(outage?.ended_at?.getTime()).toBeGreaterThanOrEqual(poll.timeMs);
    expect(outage?.ended_at?.getTime()).toBeLessThanOrEqual(Date.now());
    // The verification is one event, sent once: a second poll says nothing more.
    await second.pollNow('edge-1');
    expect(pollEvents(second)).toEqual({ linkVerifiedUp: 1 });
  }, 90_000);

  it('leaves the alarm and the outage open when the first poll finds the link still down', async () => {
    const agent = agents[1];
    if (agent === undefined) throw new Error('no agent');
    const { key, opened } = await linkDownBeforeRestart('edge-2', agent, 'acme-2');

    const second = await startCollector();
    await second.pollNow('edge-2');
    // Nothing sent, so nothing can change the alarm: the alarm open before stays as it was.
    expect(pollEvents(second)).toEqual({});
    expect(await alarm(key)).toMatchObject({ id: opened.id, state: 'active', count: 1 });
    expect((await outages('acme-2')).map((o) => o.ended_at)).toEqual([null]);

    // Confirmed down, the link is followed as usual: its return clears the alarm.
    await agent.oper(UP);
    await second.pollNow('edge-2');
    await vi.waitFor(
      async () => {
        expect(await alarm(key)).toMatchObject({ id: opened.id, state: 'cleared', count: 1 });
      },
      { timeout: 20_000, interval: 50 },
    );
    expect((await history(opened.id)).map((h) => [h.change, h.cause])).toEqual([
      ['raised', expect.stringMatching(/^event .+ \(linkDown\)$/)],
      ['cleared', expect.stringMatching(/^event .+ \(linkUp\)$/)],
    ]);
    expect(pollEvents(second)).toEqual({ linkUp: 1 });
  }, 90_000);
});
