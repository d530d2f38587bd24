import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FaultEvent } from '@faultline/shared';
import { sendUdp, snmpinform, snmptrap } from './snmp-tools.js';
import { startTrapCollector, type TrapCollector } from './trap-collector.js';
import { EVENTUALLY } from '../support/services.js';

const CONFIG = `
snmp:
  communities: [public]
telemetry: { sessionExpiryS: 0 }
devices:
  - name: edge-1
    address: 127.0.0.5
    snmp: { version: 2c, community: public }
    interfaces:
      - { ifIndex: 3, name: ge-0/0/3, speedMbps: 1000 }
`;

const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const IF_INDEX = '1.3.6.1.2.1.2.2.1.1';

describe('collector trap path (real snmptrap → receiver → events queue)', () => {
  let traps: TrapCollector;
  let target: string;
  let queuedEvents: () => Promise<FaultEvent[]>;
  let eventWhere: TrapCollector['eventWhere'];
  let counter: TrapCollector['counter'];

  beforeAll(async () => {
    traps = await startTrapCollector(CONFIG);
    ({ target, events: queuedEvents, eventWhere, counter } = traps);
  });

  afterAll(async () => {
    await traps.stop();
  });

  it('queues a linkDown from a configured device as its event', async () => {
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'public',
      '--clientaddr=127.0.0.5',
      target,
      '',
      LINK_DOWN,
      `${IF_INDEX}.3`,
      'i',
      '3',
      '1.3.6.1.2.1.2.2.1.7.3',
      'i',
      '1',
      '1.3.6.1.2.1.2.2.1.8.3',
      'i',
      '2',
    ]);
    const event = await eventWhere((e) => e.device === 'edge-1' && e.type === 'linkDown');
    expect(event).toMatchObject({
      source: 'trap',
      deviceKnown: true,
      component: 'ge-0/0/3',
      severity: 'major',
      reductionKey: 'linkDown:edge-1:ifIndex=3',
      details: { snmpVersion: '2c', pdu: 'trap', sourceAddress: '127.0.0.5' },
    });
    expect(JSON.stringify(event)).not.toContain('public');
  });

  it('attributes a trap from an address not in the config to that address', async () => {
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'public',
      '--clientaddr=127.0.0.77',
      target,
      '',
      LINK_DOWN,
      `${IF_INDEX}.9`,
      'i',
      '9',
    ]);
    const event = await eventWhere((e) => e.device === '127.0.0.77');
    expect(event).toMatchObject({
      deviceKnown: false,
      reductionKey: 'linkDown:127.0.0.77:ifIndex=9',
    });
    expect(event).not.toHaveProperty('component');
  });

  it('maps a v1 trap per RFC 3584 and finds the device by agent-addr', async () => {
    await snmptrap([
      '-v',
      '1',
      '-c',
      'public',
      target,
      '1.3.6.1.4.1.8072',
      '127.0.0.5',
      '3',
      '0',
      '',
      `${IF_INDEX}.3`,
      'i',
      '3',
    ]);
    const event = await eventWhere((e) => e.type === 'linkUp' && e.device === 'edge-1');
    expect(event).toMatchObject({
      severity: 'cleared',
      reductionKey: 'linkUp:edge-1:ifIndex=3',
      clearKey: 'linkDown:edge-1:ifIndex=3',
      details: { snmpVersion: '1', agentAddr: '127.0.0.5', generic: 3 },
    });
  });

  it('drops a trap with a wrong community and counts it unauthorized', async () => {
    const before = counter('traps_unauthorized_total');
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'not-the-community',
      '--clientaddr=127.0.0.78',
      target,
      '',
      LINK_DOWN,
    ]);
    await vi.waitFor(() => {
      expect(counter('traps_unauthorized_total')).toBe(before + 1);
    }, EVENTUALLY);
    // A trap sent after it arrives; the rejected one never does.
    await snmptrap(['-v', '2c', '-c', 'public', '--clientaddr=127.0.0.79', target, '', LINK_DOWN]);
    await eventWhere((e) => e.device === '127.0.0.79');
    // The rejected trap became no event of its own, only the security event about its source.
    const fromRejected = (await queuedEvents()).filter((e) => e.device === '127.0.0.78');
    expect(fromRejected.map((e) => [e.type, e.details.reason])).toEqual([
      ['trapAuthenticationFailure', 'unknown community'],
    ]);
  });

  it('counts garbage datagrams as malformed and keeps receiving', async () => {
    const before = counter('traps_malformed_total');
    await sendUdp(traps.port, [
      Buffer.from('not snmp at all'),
      Buffer.from([0x30, 0x03, 0x02, 0x01]),
      Buffer.from([0x30, 0x82, 0xff, 0xff, 0x02, 0x01, 0x01]),
      Buffer.alloc(0),
    ]);
    await vi.waitFor(() => {
      expect(counter('traps_malformed_total')).toBe(before + 4);
    }, EVENTUALLY);
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'public',
      '--clientaddr=127.0.0.80',
      target,
      '',
      '1.3.6.1.6.3.1.1.5.1',
    ]);
    const event = await eventWhere((e) => e.device === '127.0.0.80');
    expect(event).toMatchObject({
      type: 'coldStart',
      severity: 'warning',
      reductionKey: 'coldStart:127.0.0.80',
    });
  });

  it('acknowledges an inform and queues its event', async () => {
    await expect(
      snmpinform([
        '-v',
        '2c',
        '-c',
        'public',
        '--clientaddr=127.0.0.5',
        target,
        '',
        '1.3.6.1.6.3.1.1.5.2',
      ]),
    ).resolves.toBeUndefined();
    const event = await eventWhere((e) => e.type === 'warmStart');
    expect(event).toMatchObject({
      device: 'edge-1',
      reductionKey: 'warmStart:edge-1',
      details: { pdu: 'inform' },
    });
  });

  it('counts each datagram it received in exactly one outcome', async () => {
    expect(counter('traps_received_total')).toBe(
      counter('traps_decoded_total') +
        counter('traps_malformed_total') +
        counter('traps_unauthorized_total') +
        counter('traps_discovery_total'),
    );
    expect(counter('traps_dropped_total')).toBe(0);
    // A batch is counted as enqueued when Redis' answer to its add reaches the collector; the
    // tests above waited for the job in Redis, which can be seen before that answer arrives.
    await vi.waitFor(() => {
      expect(counter('events_enqueued_total')).toBe(
        counter('traps_decoded_total') + counter('trap_auth_failure_events_total'),
      );
    }, EVENTUALLY);
  });
});
