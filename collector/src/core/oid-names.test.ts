import { describe, expect, it } from 'vitest';
import { createOidNames, NO_OID_NAMES } from './oid-names.js';

describe('createOidNames', () => {
  const names = createOidNames([
    ['1.3.6.1.4.1', 'SNMPv2-SMI::enterprises'],
    ['1.3.6.1.2.1.2.2.1.8', 'IF-MIB::ifOperStatus'],
    ['1.3.6.1.6.3.1.1.5.3', 'IF-MIB::linkDown'],
    ['.1.3.6.1.4.1.99999.0.1', 'ACME-MIB::acmeFanFailure'],
  ]);

  it.each([
    ['1.3.6.1.6.3.1.1.5.3', 'IF-MIB::linkDown'],
    ['.1.3.6.1.2.1.2.2.1.8.3', 'IF-MIB::ifOperStatus.3'],
    ['1.3.6.1.4.1.99999.0.1', 'ACME-MIB::acmeFanFailure'],
    ['1.3.6.1.4.1.99999.0.2', 'SNMPv2-SMI::enterprises.99999.0.2'],
    ['1.3.6.1.2.1.2.2.1', undefined],
    ['2.5', undefined],
  ])('names %s %s', (oid, expected) => {
    expect(names.nameOf(oid)).toBe(expected);
  });

  it('answers a repeated OID the same, found or not', () => {
    for (const oid of ['.1.3.6.1.2.1.2.2.1.8.3', '2.5', '.1.3.6.1.2.1.2.2.1.8.3', '2.5']) {
      expect(names.nameOf(oid)).toBe(oid === '2.5' ? undefined : 'IF-MIB::ifOperStatus.3');
    }
  });

  it('knows nothing without MIBs', () => {
    expect(NO_OID_NAMES.nameOf('1.3.6.1.6.3.1.1.5.3')).toBeUndefined();
  });
});
