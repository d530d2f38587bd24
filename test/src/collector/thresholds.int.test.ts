import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import {
  createLogger,
  eventsPartitionQueue,
  parseConfig,
  type EventBatch,
} from '@faultline/shared';
import { createInfluxDatabase, testSettings } from '../support/services.js';
import { startSnmpd, type Snmpd } from './snmp-tools.js';

describe('collector utilization thresholds (scripted snmpd → poll → threshold events)', () => {
  const settings = testSettings({ trapHost: '127.0.0.1', trapPort: 0 });
  let agent: Snmpd;
  let collector: Collector;
  let queue: Queue<EventBatch>;
  let database: { name: string; drop(): Promise<void> };

  beforeAll(async () => {
    agent = await startSnmpd({
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
    database = await createInfluxDatabase();
    const config = parseConfig(`
influx: { api: v1, database: ${database.name} }
telemetry: { sessionExpiryS: 0 }
devices:
  - name: agg-9
    address: 127.0.0.1
    snmp: { version: 2c, community: public, port: ${String(agent.port)} }
    interfaces:
      - { ifIndex: 1, name: xe-0/0/1, speedMbps: 1000 }
thresholds:
  - { name: uplink-hot, source: poll, metric: utilization_percent, direction: above, raise: 90, clear: 70 }
`);
    if (!config.ok) throw new Error(JSON.stringify(config.problems));
    collector = createCollector({
      runtime: { settings, config: config.value, logger: createLogger({ level: 'silent' }) },
      schedulePolls: false,
    });
    await collector.start();
    // The collector's events go to their partition's queue: the default config has one.
    queue = new Queue<EventBatch>(eventsPartitionQueue(0), {
      connection: { url: settings.redisUrl },
      prefix: settings.prefix,
    });
  });

  afterAll(async () => {
    await collector.stop();
    await agent.stop();
    await queue.obliterate({ force: true });
    await queue.close();
    await database.drop();
  });

  it('raises above 90 % of the interface speed and clears below 70 %', async () => {
    // 60 s apart on the agent's clock: 95 % of 1 Gbit/s, then 80 % (still raised), then 50 %.
    const octetsPerMinute = (percent: number) => BigInt((percent / 100) * 1e9 * 60) / 8n;
    let octets = 0n;
    const steps = [0, 95, 80, 50];
    for (const [n, percent] of steps.entries()) {
      octets += percent === 0 ? 0n : octetsPerMinute(percent);
      await writeFile(
        join(agent.dir, 'state'),
        [
          `.1.3.6.1.2.1.1.3.0 timeticks ${String(100 + n * 6000)}`,
          `.1.3.6.1.2.1.31.1.1.1.6.1 counter64 ${octets.toString()}`,
          '.1.3.6.1.2.1.31.1.1.1.10.1 counter64 0',
          '.1.3.6.1.2.1.2.2.1.8.1 integer 1',
          '',
        ].join('\n'),
      );
      await collector.pollNow('agg-9');
    }
    const events = await vi.waitFor(
      async () => {
        const jobs = await queue.getJobs(['waiting']);
        const found = jobs
          .flatMap((job) => job.data.events)
          .filter((e) => e.source === 'threshold');
        expect(found).toHaveLength(2);
        return found.sort((a, b) => a.timeMs - b.timeMs);
      },
      { timeout: 10_000 },
    );
    expect(events.map((e) => [e.severity, e.reductionKey, e.clearKey, e.component])).toEqual([
      ['major', 'threshold:uplink-hot:agg-9:xe-0/0/1', undefined, 'xe-0/0/1'],
      [
        'cleared',
        'thresholdClear:uplink-hot:agg-9:xe-0/0/1',
        'threshold:uplink-hot:agg-9:xe-0/0/1',
        'xe-0/0/1',
      ],
    ]);
    expect(events[0]?.details).toMatchObject({ metric: 'utilization_percent', value: 95 });
  });
});
