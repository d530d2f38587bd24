import type { EventDefinition } from '@faultline/shared';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_EVENT_DEFINITIONS,
  GENERIC_TRAP_OIDS,
  matchesVarbinds,
  mergeEventDefinitions,
  renderTemplate,
  selectDefinition,
  type TemplateContext,
} from './event-definitions.js';
import { SnmpType, type RawVarbind } from './varbind.js';

const varbinds: RawVarbind[] = [
  { oid: '1.3.6.1.2.1.1.3.0', type: SnmpType.TimeTicks, value: 1234 },
  { oid: '1.3.6.1.6.3.1.1.4.1.0', type: SnmpType.OID, value: GENERIC_TRAP_OIDS.linkDown },
  { oid: '1.3.6.1.2.1.2.2.1.1.3', type: SnmpType.Integer, value: 3 },
  { oid: '1.3.6.1.2.1.2.2.1.7.3', type: SnmpType.Integer, value: 1 },
  { oid: '1.3.6.1.2.1.2.2.1.8.3', type: SnmpType.Integer, value: 2 },
  {
    oid: '1.3.6.1.4.1.9.9.41.1.2.3.1.5.17',
    type: SnmpType.OctetString,
    value: Buffer.from('PSU 2 failed'),
  },
];

const context: TemplateContext = {
  device: 'core-1',
  type: 'linkDown',
  oid: GENERIC_TRAP_OIDS.linkDown,
  varbinds,
  interfaceName: (ifIndex) => (ifIndex === 3 ? 'xe-0/0/2' : undefined),
};

describe('renderTemplate', () => {
  it.each([
    ['{type}:{device}', 'linkDown:core-1'],
    ['trap {oid}', `trap ${GENERIC_TRAP_OIDS.linkDown}`],
    ['linkDown:{device}:ifIndex={vb:1.3.6.1.2.1.2.2.1.1}', 'linkDown:core-1:ifIndex=3'],
    ['oper={vb:1.3.6.1.2.1.2.2.1.8}', 'oper=2'],
    ['row {index:1.3.6.1.4.1.9.9.41.1.2.3.1.5}', 'row 17'],
    ['{vb:.1.3.6.1.4.1.9.9.41.1.2.3.1.5}', 'PSU 2 failed'],
    ['{interface:1.3.6.1.2.1.2.2.1.1}', 'xe-0/0/2'],
    ['missing=[{vb:1.3.6.1.4.1.99}]', 'missing=[]'],
    ['{index:1.3.6.1.4.1.99}', ''],
    ['{nope} {vb:abc} {device', '{nope} {vb:abc} {device'],
    ['{device}{device}', 'core-1core-1'],
  ])('renders %s', (template, expected) => {
    expect(renderTemplate(template, context)).toBe(expected);
  });

  it('renders an interface it does not know as empty', () => {
    const other = [{ oid: '1.3.6.1.2.1.2.2.1.1.9', type: SnmpType.Integer, value: 9 }];
    expect(
      renderTemplate('[{interface:1.3.6.1.2.1.2.2.1.1}]', { ...context, varbinds: other }),
    ).toBe('[]');
  });
});

describe('matchesVarbinds', () => {
  it.each([
    [undefined, true],
    [{}, true],
    [{ '1.3.6.1.2.1.2.2.1.8': '2' }, true],
    [{ '1.3.6.1.2.1.2.2.1.8': '1' }, false],
    [{ '1.3.6.1.2.1.2.2.1.8': '2', '1.3.6.1.2.1.2.2.1.7': '1' }, true],
    [{ '1.3.6.1.2.1.2.2.1.8': '2', '1.3.6.1.2.1.2.2.1.7': '2' }, false],
    [{ '1.3.6.1.4.1.9.9.41.1.2.3.1.5': 'PSU 2 failed' }, true],
    [{ '1.3.6.1.4.1.404': '' }, false],
  ])('match %o is %s', (match, expected) => {
    expect(matchesVarbinds(match, varbinds)).toBe(expected);
  });
});

const custom = (overrides: Partial<EventDefinition>): EventDefinition => ({
  trapOid: '1.3.6.1.4.1.2636.4.1.1',
  type: 'chassisPowerFailure',
  severity: 'critical',
  reductionKey: '{type}:{device}',
  description: 'Power failure on {device}',
  ...overrides,
});

describe('mergeEventDefinitions', () => {
  it('knows the five generic traps out of the box', () => {
    const table = mergeEventDefinitions([]);
    expect([...table.keys()].sort()).toEqual(Object.values(GENERIC_TRAP_OIDS).sort());
    expect(BUILTIN_EVENT_DEFINITIONS).toHaveLength(5);
  });

  it('adds configured definitions and lets them replace built-ins by trap OID', () => {
    const linkDown = custom({
      trapOid: GENERIC_TRAP_OIDS.linkDown,
      type: 'portDown',
      severity: 'minor',
    });
    const table = mergeEventDefinitions([custom({}), linkDown]);
    expect(table.get('1.3.6.1.4.1.2636.4.1.1')?.map((d) => d.definition.type)).toEqual([
      'chassisPowerFailure',
    ]);
    expect(table.get(GENERIC_TRAP_OIDS.linkDown)?.map((d) => d.definition)).toEqual([linkDown]);
    expect(table.get(GENERIC_TRAP_OIDS.linkUp)?.[0]?.definition.type).toBe('linkUp');
  });

  it('tries definitions of one trap OID in config order, the first whose match holds', () => {
    const table = mergeEventDefinitions([
      custom({ type: 'psuFailed', match: { '1.3.6.1.4.1.9.9.41.1.2.3.1.5': 'PSU 2 failed' } }),
      custom({ type: 'psuOther' }),
    ]);
    const oid = '1.3.6.1.4.1.2636.4.1.1';
    expect(selectDefinition(table, oid, varbinds)?.definition.type).toBe('psuFailed');
    expect(selectDefinition(table, oid, varbinds.slice(0, 2))?.definition.type).toBe('psuOther');
    expect(selectDefinition(table, '1.3.6.1.4.1.1', varbinds)).toBeUndefined();
  });

  it('finds no definition when none of a trap OID matches', () => {
    const table = mergeEventDefinitions([custom({ match: { '1.3.6.1.2.1.2.2.1.8': '1' } })]);
    expect(selectDefinition(table, '1.3.6.1.4.1.2636.4.1.1', varbinds)).toBeUndefined();
  });
});
