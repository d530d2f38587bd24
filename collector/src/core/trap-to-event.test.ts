import { EventSchema, createValidator } from '@faultline/shared';
import { describe, expect, it } from 'vitest';
import { GENERIC_TRAP_OIDS, mergeEventDefinitions } from './event-definitions.js';
import { createInventory } from './inventory.js';
import { testInventoryConfig } from './testing/fixtures.js';
import { createOidNames } from './oid-names.js';
import { trapToEvent, v1TrapOid, v2Varbinds, type Notification } from './trap-to-event.js';
import { SnmpType, type RawVarbind } from './varbind.js';

const inventory = createInventory(testInventoryConfig());
const definitions = mergeEventDefinitions([
  {
    trapOid: '1.3.6.1.4.1.2636.4.1.1',
    type: 'chassisPowerFailure',
    severity: 'critical',
    reductionKey: '{type}:{device}',
    description: 'Power supply failure on {device}',
  },
]);
const validator = createValidator(EventSchema);

function v2(
  trapOid: string | undefined,
  extra: RawVarbind[] = [],
  overrides: Partial<Notification> = {},
): Notification {
  const head: RawVarbind[] = [{ oid: '1.3.6.1.2.1.1.3.0', type: SnmpType.TimeTicks, value: 4242 }];
  if (trapOid !== undefined)
    head.push({ oid: '1.3.6.1.6.3.1.1.4.1.0', type: SnmpType.OID, value: trapOid });
  return {
    id: 'evt-1',
    receivedAtMs: 1_700_000_000_000,
    version: '2c',
    pdu: 'trap',
    sourceAddress: '10.0.0.1',
    sourcePort: 40000,
    community: 'public',
    requestId: 77,
    varbinds: [...head, ...extra],
    ...overrides,
  };
}

const ifIndex = (n: number): RawVarbind => ({
  oid: `1.3.6.1.2.1.2.2.1.1.${String(n)}`,
  type: SnmpType.Integer,
  value: n,
});

describe('v1TrapOid (RFC 3584)', () => {
  it.each([
    [0, 0, GENERIC_TRAP_OIDS.coldStart],
    [1, 0, GENERIC_TRAP_OIDS.warmStart],
    [2, 0, GENERIC_TRAP_OIDS.linkDown],
    [3, 0, GENERIC_TRAP_OIDS.linkUp],
    [4, 0, GENERIC_TRAP_OIDS.authenticationFailure],
    [5, 0, '1.3.6.1.6.3.1.1.5.6'],
    [6, 17, '1.3.6.1.4.1.2636.0.17'],
  ])('generic %i specific %i → %s', (generic, specific, expected) => {
    expect(v1TrapOid({ enterprise: '.1.3.6.1.4.1.2636', generic, specific })).toBe(expected);
  });
});

describe('trapToEvent', () => {
  it('turns a linkDown from a known device into its event', () => {
    const event = trapToEvent(v2(GENERIC_TRAP_OIDS.linkDown, [ifIndex(3)]), inventory, definitions);
    expect(event).toMatchObject({
      id: 'evt-1',
      source: 'trap',
      device: 'core-1',
      deviceKnown: true,
      component: 'xe-0/0/2',
      type: 'linkDown',
      severity: 'major',
      timeMs: 1_700_000_000_000,
      reductionKey: 'linkDown:core-1:ifIndex=3',
      description: 'Link down on core-1 ifIndex 3',
    });
    expect(event.clearKey).toBeUndefined();
    expect(event.details).toMatchObject({
      snmpVersion: '2c',
      pdu: 'trap',
      trapOid: GENERIC_TRAP_OIDS.linkDown,
      sourceAddress: '10.0.0.1',
      requestId: 77,
      varbinds: [
        { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 4242 },
        { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID', value: GENERIC_TRAP_OIDS.linkDown },
        { oid: '1.3.6.1.2.1.2.2.1.1.3', type: 'Integer', value: 3 },
      ],
    });
    expect(validator.check(event).ok).toBe(true);
  });

  it('never copies the community into the event', () => {
    const event = trapToEvent(
      v2(GENERIC_TRAP_OIDS.linkDown, [], { community: 's3cret' }),
      inventory,
      definitions,
    );
    expect(JSON.stringify(event)).not.toContain('s3cret');
  });

  it.each([
    [
      GENERIC_TRAP_OIDS.linkUp,
      [ifIndex(3)],
      {
        type: 'linkUp',
        severity: 'cleared',
        reductionKey: 'linkUp:core-1:ifIndex=3',
        clearKey: 'linkDown:core-1:ifIndex=3',
        component: 'xe-0/0/2',
      },
    ],
    [
      GENERIC_TRAP_OIDS.linkDown,
      [ifIndex(9)],
      { type: 'linkDown', reductionKey: 'linkDown:core-1:ifIndex=9', component: undefined },
    ],
    [
      GENERIC_TRAP_OIDS.coldStart,
      [],
      {
        type: 'coldStart',
        severity: 'warning',
        reductionKey: 'coldStart:core-1',
        component: undefined,
      },
    ],
    [
      GENERIC_TRAP_OIDS.warmStart,
      [],
      { type: 'warmStart', severity: 'warning', reductionKey: 'warmStart:core-1' },
    ],
    [
      GENERIC_TRAP_OIDS.authenticationFailure,
      [],
      {
        type: 'authenticationFailure',
        severity: 'warning',
        reductionKey: 'authenticationFailure:core-1',
      },
    ],
    [
      '1.3.6.1.4.1.2636.4.1.1',
      [],
      {
        type: 'chassisPowerFailure',
        severity: 'critical',
        reductionKey: 'chassisPowerFailure:core-1',
        description: 'Power supply failure on core-1',
      },
    ],
    [
      '1.3.6.1.4.1.8072.9.9',
      [],
      {
        type: '1.3.6.1.4.1.8072.9.9',
        severity: 'indeterminate',
        reductionKey: 'trap:1.3.6.1.4.1.8072.9.9:core-1',
        description: 'Unknown trap 1.3.6.1.4.1.8072.9.9 from core-1',
      },
    ],
  ])('maps %s', (trapOid, extra, expected) => {
    const event = trapToEvent(v2(trapOid, extra), inventory, definitions);
    const absent = Object.entries(expected)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    const present = Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined));
    expect(event).toMatchObject(present);
    for (const key of absent) expect(event).not.toHaveProperty(key);
    expect(validator.check(event).ok).toBe(true);
  });

  it('attributes a trap from an unknown sender to its address', () => {
    const event = trapToEvent(
      v2(GENERIC_TRAP_OIDS.linkDown, [ifIndex(3)], { sourceAddress: '::ffff:192.0.2.55' }),
      inventory,
      definitions,
    );
    expect(event).toMatchObject({
      device: '192.0.2.55',
      deviceKnown: false,
      reductionKey: 'linkDown:192.0.2.55:ifIndex=3',
    });
    expect(event).not.toHaveProperty('component');
  });

  it('attributes a proxied v2 trap by snmpTrapAddress.0', () => {
    const event = trapToEvent(
      v2(
        GENERIC_TRAP_OIDS.coldStart,
        [{ oid: '1.3.6.1.6.3.18.1.3.0', type: SnmpType.IpAddress, value: '10.0.1.21' }],
        {
          sourceAddress: '192.0.2.1',
        },
      ),
      inventory,
      definitions,
    );
    expect(event).toMatchObject({ device: 'access-1', deviceKnown: true });
  });

  it('still makes an event of a notification without snmpTrapOID.0', () => {
    const event = trapToEvent(v2(undefined), inventory, definitions);
    expect(event).toMatchObject({
      type: '0.0',
      severity: 'indeterminate',
      reductionKey: 'trap:0.0:core-1',
    });
    expect(event.details.trapOidMissing).toBe(true);
  });

  it('clips template results to the event schema limits', () => {
    const long = mergeEventDefinitions([
      {
        trapOid: '1.3.6.1.4.1.1',
        type: 't',
        severity: 'minor',
        reductionKey: 'k{vb:1.3.6.1.4.1.2}',
        description: '{vb:1.3.6.1.4.1.2}',
      },
    ]);
    const text: RawVarbind = {
      oid: '1.3.6.1.4.1.2.0',
      type: SnmpType.OctetString,
      value: Buffer.from('x'.repeat(3000)),
    };
    const event = trapToEvent(v2('1.3.6.1.4.1.1', [text]), inventory, long);
    expect(event.reductionKey).toHaveLength(500);
    expect(event.description).toHaveLength(2000);
    expect(validator.check(event).ok).toBe(true);
  });

  describe('v1 traps', () => {
    const v1 = (
      generic: number,
      specific: number,
      overrides: Partial<Notification> = {},
    ): Notification => ({
      id: 'evt-v1',
      receivedAtMs: 1_700_000_000_500,
      version: '1',
      pdu: 'trap',
      sourceAddress: '192.0.2.9',
      sourcePort: 162,
      community: 'public',
      v1: {
        enterprise: '1.3.6.1.4.1.2636',
        agentAddr: '10.0.1.21',
        generic,
        specific,
        timeTicks: 999,
      },
      varbinds: [ifIndex(1)],
      ...overrides,
    });

    it('maps a generic linkDown and finds the device by agent-addr', () => {
      const event = trapToEvent(v1(2, 0), inventory, definitions);
      expect(event).toMatchObject({
        device: 'access-1',
        deviceKnown: true,
        type: 'linkDown',
        component: 'ge-0/0/1',
        reductionKey: 'linkDown:access-1:ifIndex=1',
        details: {
          snmpVersion: '1',
          enterprise: '1.3.6.1.4.1.2636',
          agentAddr: '10.0.1.21',
          generic: 2,
          specific: 0,
        },
      });
      expect(validator.check(event).ok).toBe(true);
    });

    it('prefers the source address over agent-addr', () => {
      const event = trapToEvent(v1(0, 0, { sourceAddress: '10.0.0.1' }), inventory, definitions);
      expect(event.device).toBe('core-1');
    });

    it('maps an enterprise-specific trap to enterprise.0.specific', () => {
      const event = trapToEvent(
        v1(6, 1, {
          v1: {
            enterprise: '1.3.6.1.4.1.2636.4.1',
            agentAddr: '0.0.0.0',
            generic: 6,
            specific: 1,
            timeTicks: 5,
          },
        }),
        inventory,
        definitions,
      );
      expect(event).toMatchObject({
        type: '1.3.6.1.4.1.2636.4.1.0.1',
        device: '192.0.2.9',
        deviceKnown: false,
      });
    });

    it('carries the RFC 3584 varbinds around its own', () => {
      const varbinds = v2Varbinds(v1(3, 0));
      expect(varbinds.map((v) => v.oid)).toEqual([
        '1.3.6.1.2.1.1.3.0',
        '1.3.6.1.6.3.1.1.4.1.0',
        '1.3.6.1.2.1.2.2.1.1.1',
        '1.3.6.1.6.3.18.1.3.0',
        '1.3.6.1.6.3.1.1.4.3.0',
      ]);
      expect(varbinds[1]?.value).toBe(GENERIC_TRAP_OIDS.linkUp);
      expect(varbinds[0]?.value).toBe(999);
    });
  });
});

describe('trapToEvent with MIB names', () => {
  const names = createOidNames([
    ['1.3.6.1.4.1.8072.9.9', 'ACME-MIB::acmeFanFailure'],
    ['1.3.6.1.2.1.2.2.1.1', 'IF-MIB::ifIndex'],
    ['1.3.6.1.2.1.1.3', 'SNMPv2-MIB::sysUpTime'],
  ]);

  it('names the trap and its varbinds in the details, and an unknown trap in its description', () => {
    const event = trapToEvent(
      v2('1.3.6.1.4.1.8072.9.9', [ifIndex(3)]),
      inventory,
      definitions,
      names,
    );
    expect(event.description).toBe(
      'Unknown trap ACME-MIB::acmeFanFailure (1.3.6.1.4.1.8072.9.9) from core-1',
    );
    expect(event.type).toBe('1.3.6.1.4.1.8072.9.9');
    expect(event.details).toMatchObject({ trapName: 'ACME-MIB::acmeFanFailure' });
    expect((event.details.varbinds as { name?: string }[]).map((v) => v.name)).toEqual([
      'SNMPv2-MIB::sysUpTime.0',
      undefined,
      'IF-MIB::ifIndex.3',
    ]);
    expect(validator.check(event).ok).toBe(true);
  });
});
