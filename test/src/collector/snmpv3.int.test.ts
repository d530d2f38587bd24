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
import { createInfluxDatabase, testSettings, EVENTUALLY } from '../support/services.js';
import {
  authPrivArgs,
  sendUdp,
  snmpinform,
  snmptrap,
  startSnmpd,
  type Snmpd,
} from './snmp-tools.js';

const COLD_START = '1.3.6.1.6.3.1.1.5.1';
const WARM_START = '1.3.6.1.6.3.1.1.5.2';

const KEYS = {
  aliceAuth: 'alice-auth-secret',
  alicePriv: 'alice-priv-secret',
  bobAuth: 'bob-auth-secret',
  carolAuth: 'carol-auth-secret',
  carolPriv: 'carol-priv-secret',
  pollAuth: 'poll-auth-secret',
  pollPriv: 'poll-priv-secret',
};

describe('collector SNMPv3 (real snmptrap/snmpinform -v 3, snmpd with a v3 user)', () => {
  const settings = testSettings({ trapHost: '127.0.0.1', trapPort: 0 });
  let collector: Collector;
  let agent: Snmpd;
  let queue: Queue<EventBatch>;
  let database: { name: string; drop(): Promise<void> };
  let target: string;

  beforeAll(async () => {
    agent = await startSnmpd({
      conf: () => [
        `createUser pollu SHA-256 "${KEYS.pollAuth}" AES "${KEYS.pollPriv}"`,
        'rouser pollu priv',
      ],
    });
    database = await createInfluxDatabase();
    const config = parseConfig(`
influx: { api: v1, database: ${database.name} }
telemetry: { sessionExpiryS: 0 }
snmp:
  communities: [public]
  users:
    - { name: alice, authProtocol: sha, authKey: ${KEYS.aliceAuth}, privProtocol: aes, privKey: ${KEYS.alicePriv} }
    - { name: bob, authProtocol: sha256, authKey: ${KEYS.bobAuth} }
    - { name: carol, authProtocol: sha512, authKey: ${KEYS.carolAuth}, privProtocol: aes, privKey: ${KEYS.carolPriv} }
    - { name: pollu, authProtocol: sha256, authKey: ${KEYS.pollAuth}, privProtocol: aes, privKey: ${KEYS.pollPriv} }
devices:
  - name: edge-3
    address: 127.0.0.1
    snmp: { version: '3', user: pollu, port: ${String(agent.port)} }
`);
    if (!config.ok) throw new Error(JSON.stringify(config.problems));
    collector = createCollector({
      runtime: { settings, config: config.value, logger: createLogger({ level: 'silent' }) },
      schedulePolls: false,
    });
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
    await agent.stop();
    await queue.obliterate({ force: true });
    await queue.close();
    await database.drop();
  });

  async function events(): Promise<FaultEvent[]> {
    const jobs = await queue.getJobs(['waiting']);
    return jobs.flatMap((job) => job.data.events);
  }

  async function eventWhere(predicate: (event: FaultEvent) => boolean): Promise<FaultEvent> {
    return vi.waitFor(
      async () => {
        const found = (await events()).find(predicate);
        if (!found) throw new Error('event not queued yet');
        return found;
      },
      { timeout: 10_000, interval: 50 },
    );
  }

  const counter = (name: string): number =>
    collector.metrics().find((m) => m.name === `faultline_collector_${name}`)?.value ?? NaN;

  it('accepts an authPriv trap (SHA, AES)', async () => {
    await snmptrap([
      ...authPrivArgs('alice', KEYS.aliceAuth, KEYS.alicePriv),
      '--clientaddr=127.0.0.31',
      target,
      '',
      COLD_START,
    ]);
    const event = await eventWhere((e) => e.device === '127.0.0.31');
    expect(event).toMatchObject({ type: 'coldStart', details: { snmpVersion: '3', pdu: 'trap' } });
  });

  it('accepts an authNoPriv trap with SHA-256', async () => {
    await snmptrap([
      '-v',
      '3',
      '-l',
      'authNoPriv',
      '-u',
      'bob',
      '-a',
      'SHA-256',
      '-A',
      KEYS.bobAuth,
      '--clientaddr=127.0.0.32',
      target,
      '',
      COLD_START,
    ]);
    await eventWhere((e) => e.device === '127.0.0.32' && e.type === 'coldStart');
  });

  it('acknowledges an authPriv inform with SHA-512 and queues its event', async () => {
    await snmpinform([
      '-v',
      '3',
      '-l',
      'authPriv',
      '-u',
      'carol',
      '-a',
      'SHA-512',
      '-A',
      KEYS.carolAuth,
      '-x',
      'AES',
      '-X',
      KEYS.carolPriv,
      '--clientaddr=127.0.0.33',
      target,
      '',
      WARM_START,
    ]);
    const event = await eventWhere((e) => e.device === '127.0.0.33');
    expect(event).toMatchObject({
      type: 'warmStart',
      details: { snmpVersion: '3', pdu: 'inform' },
    });
  });

  it('refuses wrong keys and unknown users with one security event per source', async () => {
    const before = counter('traps_unauthorized_total');
    const refused = [
      [
        '-l',
        'authPriv',
        '-u',
        'alice',
        '-a',
        'SHA',
        '-A',
        'not-alices-key',
        '-x',
        'AES',
        '-X',
        KEYS.alicePriv,
      ],
      [
        '-l',
        'authPriv',
        '-u',
        'alice',
        '-a',
        'SHA',
        '-A',
        KEYS.aliceAuth,
        '-x',
        'AES',
        '-X',
        'not-alices-priv',
      ],
      ['-l', 'authNoPriv', '-u', 'mallory', '-a', 'SHA', '-A', 'whatever-key'],
      ['-l', 'authNoPriv', '-u', 'bob', '-a', 'SHA-256', '-A', 'not-bobs-key'],
    ];
    for (const args of refused) {
      await snmptrap(['-v', '3', ...args, '--clientaddr=127.0.0.34', target, '', COLD_START]);
    }
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'guessed',
      '--clientaddr=127.0.0.35',
      target,
      '',
      COLD_START,
    ]);
    await vi.waitFor(() => {
      expect(counter('traps_unauthorized_total')).toBe(before + refused.length + 1);
    }, EVENTUALLY);
    const security = await vi.waitFor(async () => {
      const found = (await events()).filter((e) => e.type === 'trapAuthenticationFailure');
      expect(found.map((e) => e.device).sort()).toEqual(['127.0.0.34', '127.0.0.35']);
      return found;
    }, EVENTUALLY);
    expect(security.find((e) => e.device === '127.0.0.34')).toMatchObject({
      source: 'trap',
      severity: 'warning',
      reductionKey: 'trapAuthenticationFailure:127.0.0.34',
      details: { reason: 'wrong authentication key', suppressedBefore: 0 },
    });
    expect(security.find((e) => e.device === '127.0.0.35')?.details).toMatchObject({
      reason: 'unknown community',
    });
    // The refused notifications themselves became no event.
    expect((await events()).filter((e) => e.device === '127.0.0.34')).toHaveLength(1);
    expect(counter('trap_auth_failure_events_total')).toBe(2);
  });

  it('counts an inform from an unknown user, which the library answers with a report', async () => {
    const before = counter('traps_unauthorized_total');
    await expect(
      snmpinform([
        '-v',
        '3',
        '-l',
        'authNoPriv',
        '-u',
        'mallory',
        '-a',
        'SHA',
        '-A',
        'whatever-key',
        '--clientaddr=127.0.0.36',
        target,
        '',
        WARM_START,
      ]),
    ).rejects.toThrow();
    await vi.waitFor(() => {
      expect(counter('traps_unauthorized_total')).toBeGreaterThan(before);
    }, EVENTUALLY);
    const event = await eventWhere((e) => e.device === '127.0.0.36');
    expect(event).toMatchObject({
      type: 'trapAuthenticationFailure',
      details: { reason: 'unknown user' },
    });
  });

  it('refuses a v3 trap with no user name and no authentication, and counts discovery probes', async () => {
    /** A v3 noAuthNoPriv message with an empty user name around the given PDU tag (hex). */
    const anonymous = (flags: string, pduTag: string) =>
      Buffer.from(
        [
          '303e020103', // SEQUENCE, version 3
          `30110204383328b4020300ffe30401${flags}020103`, // header: id, max size, flags, USM
          '0410300e0400020100020100040004000400', // security parameters: no engine, no user
          `301404000400${pduTag}0e02042e74ffaf0201000201003000`, // scoped PDU, no varbinds
        ].join(''),
        'hex',
      );
    const unauthorized = counter('traps_unauthorized_total');
    const discovery = counter('traps_discovery_total');
    const decoded = counter('traps_decoded_total');
    // A TrapV2-PDU, not reportable; then the engine-ID probe a v3 sender starts with.
    await sendUdp(Number(target.split(':')[1]), [anonymous('00', 'a7'), anonymous('04', 'a0')]);
    await vi.waitFor(() => {
      expect(counter('traps_unauthorized_total')).toBe(unauthorized + 1);
      expect(counter('traps_discovery_total')).toBe(discovery + 1);
    }, EVENTUALLY);
    expect(counter('traps_decoded_total')).toBe(decoded);
    const event = await eventWhere(
      (e) => e.type === 'trapAuthenticationFailure' && e.details.sourceAddress === '127.0.0.1',
    );
    expect(event.details).toMatchObject({ reason: 'unknown user' });
  });

  it('polls a device over SNMPv3 (authPriv, SHA-256, AES)', async () => {
    const poll = await collector.pollNow('edge-3');
    expect(poll.uptimeTicks).toBeGreaterThan(0);
  });

  it('never puts a key or a community tried into an event', async () => {
    const text = JSON.stringify(await events());
    expect(text).toContain('trapAuthenticationFailure');
    for (const secret of [...Object.values(KEYS), 'not-alices-key', 'guessed', 'public']) {
      expect(text).not.toContain(secret);
    }
  });
});
