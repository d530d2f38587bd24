import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import {
  eventsPartitionQueue,
  createLogger,
  parseConfig,
  type EventBatch,
  type FaultEvent,
  type Settings,
} from '@faultline/shared';
import { createInfluxDatabase, testSettings } from '../support/services.js';
import { scriptedAgent, startSnmpd } from './snmp-tools.js';

describe('collector polling reachability (real snmpd)', () => {
  let settings: Settings;
  let database: { name: string; drop(): Promise<void> };
  let queue: Queue<EventBatch>;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    settings = testSettings({ trapHost: '127.0.0.1', trapPort: 0 });
    database = await createInfluxDatabase();
    // The collector's events go to their partition's queue: the default config has one.
    queue = new Queue<EventBatch>(eventsPartitionQueue(0), {
      connection: { url: settings.redisUrl },
      prefix: settings.prefix,
    });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await database.drop();
  });

  async function collectorFor(yaml: string): Promise<Collector> {
    const parsed = parseConfig(
      `influx: { api: v1, database: ${database.name} }\ntelemetry: { sessionExpiryS: 0 }\n${yaml}`,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const collector = createCollector({
      runtime: { settings, config: parsed.value, logger: createLogger({ level: 'silent' }) },
      schedulePolls: false,
    });
    await collector.start();
    cleanups.push(() => collector.stop());
    return collector;
  }

  async function pollEvents(device: string, count: number): Promise<FaultEvent[]> {
    return vi.waitFor(
      async () => {
        const jobs = await queue.getJobs(['waiting']);
        const found = jobs
          .flatMap((job) => job.data.events)
          .filter((e) => e.device === device && e.source === 'poll')
          .sort((a, b) => a.timeMs - b.timeMs);
        expect(found).toHaveLength(count);
        return found;
      },
      { timeout: 10_000, interval: 100 },
    );
  }

  it('raises linkDown and deviceDown from polls, with the trap keys, and clears them', async () => {
    const first = await scriptedAgent();
    const port = first.agent.port;
    let agent = first.agent;
    cleanups.push(() => agent.stop());
    const collector = await collectorFor(`
snmp: { pollFailuresToDown: 2 }
devices:
  - name: polled-1
    address: 127.0.0.1
    snmp: { version: 2c, community: public, port: ${String(port)} }
    interfaces:
      - { ifIndex: 1, name: ge-0/0/1, speedMbps: 1000 }
`);
    await collector.pollNow('polled-1');
    await first.oper(2);
    await collector.pollNow('polled-1');
    await first.oper(1);
    await collector.pollNow('polled-1');
    await agent.stop();
    await expect(collector.pollNow('polled-1')).rejects.toThrow();
    await expect(collector.pollNow('polled-1')).rejects.toThrow();
    const second = await scriptedAgent(port);
    agent = second.agent;
    await collector.pollNow('polled-1');
    const events = await pollEvents('polled-1', 4);
    expect(events.map((e) => [e.type, e.severity, e.reductionKey, e.clearKey])).toEqual([
      ['linkDown', 'major', 'linkDown:polled-1:ifIndex=1', undefined],
      ['linkUp', 'cleared', 'linkUp:polled-1:ifIndex=1', 'linkDown:polled-1:ifIndex=1'],
      ['deviceDown', 'critical', 'deviceDown:polled-1', undefined],
      ['deviceUp', 'cleared', 'deviceUp:polled-1', 'deviceDown:polled-1'],
    ]);
    expect(events[0]?.component).toBe('ge-0/0/1');
  }, 60_000);

  it('walks the interface tables with GetBulk when a device has many interfaces', async () => {
    const agent = await startSnmpd({ conf: () => ['rocommunity public 127.0.0.1'] });
    cleanups.push(() => agent.stop());
    const interfaces = Array.from(
      { length: 40 },
      (_, n) => `      - { ifIndex: ${String(n + 1)}, name: if${String(n + 1)}, speedMbps: 1000 }`,
    ).join('\n');
    const collector = await collectorFor(`
devices:
  - name: big-1
    address: 127.0.0.1
    snmp: { version: 2c, community: public, port: ${String(agent.port)} }
    interfaces:
${interfaces}
`);
    const poll = await collector.pollNow('big-1');
    // The loopback is ifIndex 1 on Linux, with 64-bit counters and up.
    const lo = poll.interfaces.find((i) => i.ifIndex === 1);
    expect(lo).toMatchObject({ width: 64, operStatus: 1 });
    expect(typeof lo?.inOctets).toBe('bigint');
    expect(poll.uptimeTicks).toBeGreaterThan(0);
  });
});
