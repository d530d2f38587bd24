import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import { createCorrelator } from '@faultline/correlator';
import {
  createLogger,
  parseConfig,
  type Component,
  type ComponentMetric,
  type Runtime,
} from '@faultline/shared';
import { createInfluxDatabase, createTestDatabase, testSettings } from '../support/services.js';
import { scriptedAgent, snmptrap } from './snmp-tools.js';

/**
 * A restart is one short record: a real snmpd agent (its sysUpTime scripted) sends coldStart
 * through `snmptrap`, the correlator opens the warning alarm, and the collector's next poll that
 * finds the device answering after the restart clears it with its reason, once per boot.
 */

const WAIT = { timeout: 20_000, interval: 50 };
const KEY = 'coldStart:edge-1';

interface AlarmRow {
  id: string;
  state: string;
}
interface HistoryRow {
  change: string;
  cause: string;
}

/** Restart clears the collector's polls made (one decision, one clear per restart key). */
function restartsSeen(collector: Collector): number {
  return collector
    .metrics()
    .filter((m: ComponentMetric) => m.name === 'faultline_collector_poll_events_total')
    .filter((m) => m.labels?.kind === 'restarted')
    .reduce((sum, m) => sum + m.value, 0);
}

describe('restart alarms cleared by the next poll (real snmpd, snmptrap, collector, correlator)', () => {
  let agent: Awaited<ReturnType<typeof scriptedAgent>>;
  let runtime: Runtime;
  let correlator: Component;
  let db: pg.Client;
  const drops: (() => Promise<void>)[] = [];
  const collectors: Collector[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase();
    const influx = await createInfluxDatabase();
    drops.push(
      () => database.drop(),
      () => influx.drop(),
    );
    agent = await scriptedAgent();
    const parsed = parseConfig(`
influx: { api: v1, database: ${influx.name} }
telemetry: { sessionExpiryS: 0 }
correlation: { holdS: 0 }
devices:
  - name: edge-1
    address: 127.0.0.1
    pollIntervalS: 30
    snmp: { version: 2c, community: public, port: ${String(agent.agent.port)} }
    interfaces:
      - { ifIndex: 1, name: ge-0/0/1, speedMbps: 1000 }
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
  });
  afterAll(async () => {
    for (const collector of collectors) await collector.stop();
    await correlator.stop();
    await agent.agent.stop();
    await db.end();
    for (const drop of drops.reverse()) await drop();
  });

  async function startCollector(): Promise<Collector> {
    const collector = createCollector({ runtime, schedulePolls: false });
    collectors.push(collector);
    await collector.start();
    return collector;
  }

  async function coldStartTrap(collector: Collector): Promise<AlarmRow> {
    const port = collector.trapAddress()?.port ?? 0;
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'public',
      '--clientaddr=127.0.0.1',
      `127.0.0.1:${String(port)}`,
      '',
      '1.3.6.1.6.3.1.1.5.1',
    ]);
    return vi.waitFor(async () => {
      const { rows } = await db.query<AlarmRow>(
        "SELECT id, state FROM alarms WHERE reduction_key = $1 AND state = 'active'",
        [KEY],
      );
      expect(rows).toHaveLength(1);
      const [row] = rows;
      if (row === undefined) throw new Error('no active coldStart alarm');
      return row;
    }, WAIT);
  }

  async function clearedHistory(alarmId: string): Promise<[string, string][]> {
    return vi.waitFor(async () => {
      const { rows } = await db.query<HistoryRow & { state: string }>(
        `SELECT h.change, h.cause, a.state FROM alarm_history h JOIN alarms a ON a.id = h.alarm_id
         WHERE h.alarm_id = $1 ORDER BY h.id`,
        [alarmId],
      );
      expect(rows[0]?.state).toBe('cleared');
      return rows.map((h) => [h.change, h.cause]);
    }, WAIT);
  }

  it('clears the coldStart alarm with its reason at the poll after the one that saw the boot, once', async () => {
    const collector = await startCollector();
    // The device booted 12 s ago and says so; the next poll, 30 s on, reports the restart over.
    await agent.uptime(1200);
    const opened = await coldStartTrap(collector);
    await collector.pollNow('edge-1');
    expect(restartsSeen(collector)).toBe(0);
    await agent.uptime(4200);
    await collector.pollNow('edge-1');
    expect(await clearedHistory(opened.id)).toEqual([
      ['raised', expect.stringMatching(/^event .+ \(coldStart\)$/)],
      [
        'cleared',
        expect.stringMatching(
          /^event .+ \(restartOver\): restarted 42 s before this poll; answers polls again$/,
        ),
      ],
    ]);
    expect(restartsSeen(collector)).toBe(1);

    // The same boot, polled again: nothing more.
    await agent.uptime(7200);
    await collector.pollNow('edge-1');
    expect(restartsSeen(collector)).toBe(1);

    // A reboot seen as sysUpTime going back clears the next coldStart, one poll later.
    const again = await coldStartTrap(collector);
    await agent.uptime(300);
    await collector.pollNow('edge-1');
    await agent.uptime(3300);
    await collector.pollNow('edge-1');
    expect((await clearedHistory(again.id)).at(-1)).toEqual([
      'cleared',
      expect.stringMatching(/restarted 33 s before this poll; answers polls again$/),
    ]);
    expect(restartsSeen(collector)).toBe(2);
  }, 60_000);

  it('sends nothing at a collector start for a device that booted long ago', async () => {
    for (const collector of collectors.splice(0)) await collector.stop();
    await agent.uptime(8_640_000);
    const collector = await startCollector();
    const opened = await coldStartTrap(collector);
    await collector.pollNow('edge-1');
    await collector.pollNow('edge-1');
    expect(restartsSeen(collector)).toBe(0);
    const { rows } = await db.query<AlarmRow>('SELECT id, state FROM alarms WHERE id = $1', [
      opened.id,
    ]);
    expect(rows).toEqual([{ id: opened.id, state: 'active' }]);
  }, 60_000);
});
