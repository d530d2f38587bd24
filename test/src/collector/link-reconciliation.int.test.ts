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
import { createPrivateRedis, type PrivateService } from '../support/private-services.js';
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
const WAIT = { timeout: 20_000, interval: 50 };

interface AlarmRow {
  id: string;
  state: string;
  count: number;
  cleared_at: Date | null;
}
interface HistoryRow {
  change: string;
  cause: string;
}
interface OutageRow {
  ended_at: Date | null;
}

type Agent = Awaited<ReturnType<typeof scriptedAgent>>;

/** Events the collector's polls made, by kind: counted when made, before they are batched. */
function pollEvents(collector: Collector): Record<string, number> {
  return Object.fromEntries(
    collector
      .metrics()
      .filter((m: ComponentMetric) => m.name === 'faultline_collector_poll_events_total')
      .filter((m) => m.value > 0)
      .map((m) => [m.labels?.kind ?? '', m.value]),
  );
}

/** The history cause of a clear verified by the poll at `verifiedAtMs`. */
function verifiedCause(lastSeen: string, verifiedAtMs: number): unknown {
  const escape = (text: string) => text.replaceAll('.', '\\.');
  const verifiedAt = new Date(verifiedAtMs).toISOString();
  return expect.stringMatching(
    new RegExp(
      `^event .+ \\(linkUp\\): verified up by poll; state unknown between ${escape(lastSeen)} and ${escape(verifiedAt)}$`,
    ),
  );
}

/**
 * One correlator world: its database and Redis prefix (on `redisUrl`, else the shared Redis), two
 * scripted agents for devices edge-1 and edge-2, each carrying one service of customer acme.
 */
async function createLinkWorld(redisUrl?: string) {
  const database: TestDatabase = await createTestDatabase();
  const influx = await createInfluxDatabase();
  const agents: Agent[] = [await scriptedAgent(), await scriptedAgent()];
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
  const runtime: Runtime = {
    settings: testSettings({
      ...(redisUrl === undefined ? {} : { redisUrl }),
      databaseUrl: database.url,
      trapHost: '127.0.0.1',
      trapPort: 0,
    }),
    config: parsed.value,
    logger: createLogger({ level: 'silent' }),
  };
  const correlator: Component = createCorrelator({ runtime });
  await correlator.start();
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const redis = new Redis(runtime.settings.redisUrl);
  // A private Redis is stopped on purpose: this client reconnects.
  redis.on('error', () => undefined);
  const collectors: Collector[] = [];

  const startCollector = async (): Promise<Collector> => {
    const collector = createCollector({ runtime, schedulePolls: false });
    await collector.start();
    collectors.push(collector);
    return collector;
  };
  const stopCollectors = async (): Promise<void> => {
    for (const collector of collectors.splice(0)) await collector.stop();
  };
  const outages = async (serviceId: string): Promise<OutageRow[]> =>
    (
      await db.query<OutageRow>('SELECT ended_at FROM outages WHERE service_id = $1 ORDER BY id', [
        serviceId,
      ])
    ).rows;

  return {
    agents,
    startCollector,
    stopCollectors,
    outages,
    async alarm(key: string): Promise<AlarmRow | undefined> {
      const result = await db.query<AlarmRow>(
        'SELECT id, state, count, cleared_at FROM alarms WHERE reduction_key = $1',
        [key],
      );
      expect(result.rows.length).toBeLessThanOrEqual(1);
      return result.rows[0];
    },
    async history(alarmId: string): Promise<HistoryRow[]> {
      const result = await db.query<HistoryRow>(
        'SELECT change, cause FROM alarm_history WHERE alarm_id = $1 ORDER BY id',
        [alarmId],
      );
      return result.rows;
    },
    /**
     * A first collector sees the link up, then down: the correlator opens the alarm, mirrors it in
     * Redis and opens the service's outage. Then that collector stops.
     */
    async linkDownBeforeRestart(
      device: string,
      agent: Agent,
      serviceId: string,
    ): Promise<{ key: string; opened: Alarm }> {
      const key = `linkDown:${device}:ifIndex=1`;
      const first = await startCollector();
      await agent.oper(UP);
      await first.pollNow(device);
      await agent.oper(DOWN);
      await first.pollNow(device);
      const opened = await vi.waitFor(async () => {
        const raw = await redis.hget(hotStateKeys(runtime.settings.prefix).openAlarms, key);
        expect(raw).not.toBeNull();
        return JSON.parse(raw ?? '') as Alarm;
      }, WAIT);
      await vi.waitFor(async () => {
        expect((await outages(serviceId)).map((o) => o.ended_at)).toEqual([null]);
      }, WAIT);
      await stopCollectors();
      return { key, opened };
    },
    async close() {
      await stopCollectors();
      await correlator.stop();
      for (const { agent } of agents) await agent.stop();
      const stream = redis.scanStream({ match: `${runtime.settings.prefix}:*`, count: 500 });
      for await (const keys of stream as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.del(...keys);
      }
      await redis.quit();
      await db.end();
      await influx.drop();
      await database.drop();
    },
  };
}

type LinkWorld = Awaited<ReturnType<typeof createLinkWorld>>;

/** The agent of edge-1 or edge-2. */
function agentOf(world: LinkWorld, n: 0 | 1): Agent {
  const agent = world.agents[n];
  if (agent === undefined) throw new Error('no agent');
  return agent;
}

describe('restart reconciliation of link alarms (real snmpd, collector and correlator)', () => {
  let world: LinkWorld;
  beforeAll(async () => {
    world = await createLinkWorld();
  });
  afterEach(() => world.stopCollectors());
  afterAll(() => world.close());

  it('clears an alarm whose link came back while the collector was stopped, at its first poll, and ends the outage', async () => {
    const agent = agentOf(world, 0);
    const { key, opened } = await world.linkDownBeforeRestart('edge-1', agent, 'acme-1');
    // The link comes back while no collector runs: its linkUp trap would go unheard.
    await agent.oper(UP);

    const second = await world.startCollector();
    const poll = await second.pollNow('edge-1');
    const cleared = await vi.waitFor(async () => {
      const row = await world.alarm(key);
      expect(row?.state).toBe('cleared');
      return row;
    }, WAIT);
    expect(cleared).toMatchObject({ id: opened.id, count: 1 });
    expect(cleared?.cleared_at?.getTime()).toBe(poll.timeMs);
    expect((await world.history(opened.id)).map((h) => [h.change, h.cause])).toEqual([
      ['raised', expect.stringMatching(/^event .+ \(linkDown\)$/)],
      ['cleared', verifiedCause(opened.lastSeen, poll.timeMs)],
    ]);
    // The correlation step that sees the alarm cleared ends the outage, at that step's time.
    const [outage] = await vi.waitFor(async () => {
      const rows = await world.outages('acme-1');
      expect(rows).toHaveLength(1);
      expect(rows[0]?.ended_at).not.toBeNull();
      return rows;
    }, WAIT);
    expect(outage?.ended_at?.getTime()).toBeGreaterThanOrEqual(poll.timeMs);
    expect(outage?.ended_at?.getTime()).toBeLessThanOrEqual(Date.now());
    // The verification is one event, sent once: a second poll says nothing more.
    await second.pollNow('edge-1');
    expect(pollEvents(second)).toEqual({ linkVerifiedUp: 1 });
  }, 90_000);

  it('leaves the alarm and the outage open when the first poll finds the link still down', async () => {
    const agent = agentOf(world, 1);
    const { key, opened } = await world.linkDownBeforeRestart('edge-2', agent, 'acme-2');

    const second = await world.startCollector();
    await second.pollNow('edge-2');
    // Nothing sent, so nothing can change the alarm: the alarm open before stays as it was.
    expect(pollEvents(second)).toEqual({});
    expect(await world.alarm(key)).toMatchObject({ id: opened.id, state: 'active', count: 1 });
    expect((await world.outages('acme-2')).map((o) => o.ended_at)).toEqual([null]);

    // Confirmed down, the link is followed as usual: its return clears the alarm.
    await agent.oper(UP);
    await second.pollNow('edge-2');
    await vi.waitFor(async () => {
      expect(await world.alarm(key)).toMatchObject({ id: opened.id, state: 'cleared', count: 1 });
    }, WAIT);
    expect((await world.history(opened.id)).map((h) => [h.change, h.cause])).toEqual([
      ['raised', expect.stringMatching(/^event .+ \(linkDown\)$/)],
      ['cleared', expect.stringMatching(/^event .+ \(linkUp\)$/)],
    ]);
    expect(pollEvents(second)).toEqual({ linkUp: 1 });
  }, 90_000);
});

describe('restart reconciliation when Redis is away at the start (private redis-server)', () => {
  let redis: PrivateService;
  let world: LinkWorld;
  beforeAll(async () => {
    redis = await createPrivateRedis({ appendOnly: true });
    await redis.start();
    world = await createLinkWorld(redis.url);
  });
  afterAll(async () => {
    await redis.start();
    await world.close();
    await redis.destroy();
  });

  it('starts anyway, reads the open link alarms once Redis is back, and the next poll clears', async () => {
    const agent = agentOf(world, 0);
    const { key, opened } = await world.linkDownBeforeRestart('edge-1', agent, 'acme-1');
    await agent.oper(UP);
    await redis.stop();

    const second = await world.startCollector();
    // Not known yet to have an alarm: an interface up on its first poll says nothing.
    await second.pollNow('edge-1');
    expect(pollEvents(second)).toEqual({});

    await redis.start();
    // The read is retried in the background; the first poll after it clears the alarm.
    const poll = await vi.waitFor(
      async () => {
        const answered = await second.pollNow('edge-1');
        expect(pollEvents(second)).toEqual({ linkVerifiedUp: 1 });
        return answered;
      },
      { timeout: 60_000, interval: 200 },
    );
    await vi.waitFor(async () => {
      expect(await world.alarm(key)).toMatchObject({ id: opened.id, state: 'cleared' });
    }, WAIT);
    expect((await world.history(opened.id)).map((h) => [h.change, h.cause])).toEqual([
      ['raised', expect.stringMatching(/^event .+ \(linkDown\)$/)],
      ['cleared', verifiedCause(opened.lastSeen, poll.timeMs)],
    ]);
    await vi.waitFor(async () => {
      expect((await world.outages('acme-1')).map((o) => o.ended_at === null)).toEqual([false]);
    }, WAIT);
  }, 120_000);
});
