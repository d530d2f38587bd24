import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import {
  eventsPartitionQueue,
  createLogger,
  parseConfig,
  type EventBatch,
  type FaultEvent,
} from '@faultline/shared';
import { testSettings } from '../support/services.js';
import { snmptrap } from './snmp-tools.js';

const ACME_MIB = `ACME-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises, OBJECT-TYPE, NOTIFICATION-TYPE, Integer32 FROM SNMPv2-SMI;
acme OBJECT IDENTIFIER ::= { enterprises 99999 }
acmeTraps OBJECT IDENTIFIER ::= { acme 0 }
acmeFanSpeed OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "fan speed" ::= { acme 1 }
acmeFanFailure NOTIFICATION-TYPE OBJECTS { acmeFanSpeed } STATUS current
    DESCRIPTION "a fan failed" ::= { acmeTraps 1 }
END
`;

describe('collector MIBs (built-in and vendor files, real snmptrap)', () => {
  const settings = testSettings({ trapHost: '127.0.0.1', trapPort: 0 });
  let dir: string;
  let collector: Collector;
  let queue: Queue<EventBatch>;
  let target: string;

  function runtime(mibDirs: string[]) {
    const config = parseConfig(
      `telemetry: { sessionExpiryS: 0 }\nsnmp: { mibDirs: ${JSON.stringify(mibDirs)} }\n`,
    );
    if (!config.ok) throw new Error(JSON.stringify(config.problems));
    return { settings, config: config.value, logger: createLogger({ level: 'silent' }) };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-mibs-'));
    await writeFile(join(dir, 'ACME-MIB.mib'), ACME_MIB);
    await writeFile(join(dir, 'broken.mib'), 'BROKEN-MIB DEFINITIONS ::= BEGIN\n');
    collector = createCollector({ runtime: runtime([dir]), schedulePolls: false });
    await collector.start();
    const address = collector.trapAddress();
    if (address === undefined) throw new Error('no trap address');
    target = `127.0.0.1:${String(address.port)}`;
    // The collector's events go to their partition's queue: the default config has one.
    queue = new Queue<EventBatch>(eventsPartitionQueue(0), {
      connection: { url: settings.redisUrl },
      prefix: settings.prefix,
    });
  });

  afterAll(async () => {
    await collector.stop();
    await queue.obliterate({ force: true });
    await queue.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function eventFrom(device: string): Promise<FaultEvent> {
    return vi.waitFor(
      async () => {
        const jobs = await queue.getJobs(['waiting']);
        const found = jobs.flatMap((job) => job.data.events).find((e) => e.device === device);
        if (!found) throw new Error('not queued yet');
        return found;
      },
      { timeout: 10_000, interval: 50 },
    );
  }

  const gauge = (name: string): number =>
    collector.metrics().find((m) => m.name === `faultline_collector_${name}`)?.value ?? NaN;

  it('loads the vendor MIB and skips the broken file', () => {
    expect([gauge('mib_modules_loaded'), gauge('mib_files_skipped')]).toEqual([1, 1]);
  });

  it('names a vendor trap and its varbinds', async () => {
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'public',
      '--clientaddr=127.0.0.41',
      target,
      '',
      '1.3.6.1.4.1.99999.0.1',
      '1.3.6.1.4.1.99999.1.0',
      'i',
      '1200',
    ]);
    const event = await eventFrom('127.0.0.41');
    expect(event.description).toBe(
      'Unknown trap ACME-MIB::acmeFanFailure (1.3.6.1.4.1.99999.0.1) from 127.0.0.41',
    );
    expect(event.details).toMatchObject({ trapName: 'ACME-MIB::acmeFanFailure' });
    const names = (event.details.varbinds as { name?: string }[]).map((v) => v.name);
    expect(names).toEqual([
      'SNMPv2-MIB::sysUpTime.0',
      'SNMPv2-MIB::snmpTrapOID.0',
      'ACME-MIB::acmeFanSpeed.0',
    ]);
  });

  it('names standard IF-MIB varbinds', async () => {
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'public',
      '--clientaddr=127.0.0.42',
      target,
      '',
      '1.3.6.1.6.3.1.1.5.3',
      '1.3.6.1.2.1.2.2.1.1.4',
      'i',
      '4',
      '1.3.6.1.2.1.2.2.1.8.4',
      'i',
      '2',
    ]);
    const event = await eventFrom('127.0.0.42');
    expect(event.details).toMatchObject({ trapName: 'IF-MIB::linkDown' });
    expect((event.details.varbinds as { name?: string }[]).slice(2).map((v) => v.name)).toEqual([
      'IF-MIB::ifIndex.4',
      'IF-MIB::ifOperStatus.4',
    ]);
  });

  it('refuses to start with a MIB folder that does not exist', async () => {
    const other = createCollector({
      runtime: runtime([join(dir, 'missing')]),
      schedulePolls: false,
    });
    await expect(other.start()).rejects.toThrow(/cannot read MIB folder/);
  });
});
