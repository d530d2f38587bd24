import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SnmpType,
  counterValue,
  decodeUnsigned,
  octetsToText,
  snmpTypeName,
  varbindDetail,
  varbindText,
} from './varbind.js';

const hex = (h: string): Buffer => Buffer.from(h, 'hex');

describe('decodeUnsigned', () => {
  it.each([
    ['', 0n],
    ['00', 0n],
    ['05', 5n],
    ['0100', 256n],
    ['00ffffffffffffffff', 18446744073709551615n],
    ['ffffffffffffffff', 18446744073709551615n],
    ['0020000000000001', 9007199254740993n],
    ['ff', 255n],
  ])('decodes %s', (bytes, expected) => {
    expect(decodeUnsigned(hex(bytes))).toBe(expected);
  });

  it('is the inverse of big-endian encoding for any 64-bit value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (value) => {
        const bytes = Buffer.alloc(8);
        bytes.writeBigUInt64BE(value);
        expect(decodeUnsigned(bytes)).toBe(value);
      }),
    );
  });
});

describe('counterValue', () => {
  it.each([
    [42, 42n],
    [4294967295, 4294967295n],
    [hex('00ffffffffffffffff'), 18446744073709551615n],
    [-1, undefined],
    [1.5, undefined],
    ['12', undefined],
    [null, undefined],
  ])('reads %s', (value, expected) => {
    expect(counterValue(value)).toBe(expected);
  });
});

describe('octetsToText', () => {
  it.each([
    [Buffer.from('eth0 uplink'), 'eth0 uplink'],
    [Buffer.from('Zürich PoP'), 'Zürich PoP'],
    [Buffer.from('line1\nline2\t.'), 'line1\nline2\t.'],
    [hex('001a2b3c4d5e'), '0x001a2b3c4d5e'],
    [hex('ff00'), '0xff00'],
    [Buffer.alloc(0), ''],
  ])('renders %s', (bytes, expected) => {
    expect(octetsToText(bytes)).toBe(expected);
  });
});

describe('varbindDetail', () => {
  it.each([
    [{ oid: '1.3.6.1.2.1.2.2.1.1.3', type: SnmpType.Integer, value: 3 }, 'Integer', 3],
    [{ oid: '1.3.6.1.2.1.1.3.0', type: SnmpType.TimeTicks, value: 75867 }, 'TimeTicks', 75867],
    [
      { oid: '1.3.6.1.6.3.1.1.4.1.0', type: SnmpType.OID, value: '1.3.6.1.6.3.1.1.5.3' },
      'OID',
      '1.3.6.1.6.3.1.1.5.3',
    ],
    [
      { oid: '1.3.6.1.2.1.2.2.1.2.3', type: SnmpType.OctetString, value: Buffer.from('xe-0/0/2') },
      'OctetString',
      'xe-0/0/2',
    ],
    [
      { oid: '1.3.6.1.2.1.2.2.1.6.3', type: SnmpType.OctetString, value: hex('00163e112233') },
      'OctetString',
      '0x00163e112233',
    ],
    [
      {
        oid: '1.3.6.1.2.1.31.1.1.1.6.3',
        type: SnmpType.Counter64,
        value: hex('00ffffffffffffffff'),
      },
      'Counter64',
      '18446744073709551615',
    ],
    [
      { oid: '1.3.6.1.2.1.31.1.1.1.6.3', type: SnmpType.Counter64, value: hex('2a') },
      'Counter64',
      '42',
    ],
    [
      { oid: '1.3.6.1.2.1.2.2.1.10.3', type: SnmpType.Counter32, value: 4294967295 },
      'Counter32',
      4294967295,
    ],
    [
      { oid: '1.3.6.1.6.3.18.1.3.0', type: SnmpType.IpAddress, value: '10.0.0.1' },
      'IpAddress',
      '10.0.0.1',
    ],
    [
      { oid: '1.3.6.1.4.1.1.1', type: SnmpType.Opaque, value: hex('9f780442') },
      'Opaque',
      '0x9f780442',
    ],
    [{ oid: '1.3.6.1.4.1.1.2', type: SnmpType.Null, value: null }, 'Null', null],
    [
      { oid: '1.3.6.1.4.1.1.3', type: SnmpType.NoSuchInstance, value: null },
      'NoSuchInstance',
      null,
    ],
    [{ oid: '1.3.6.1.4.1.1.4', type: 99, value: 7 }, 'type-99', 7],
  ])('renders %o as %s %o', (varbind, type, value) => {
    expect(varbindDetail(varbind)).toEqual({ oid: varbind.oid, type, value });
  });

  it('renders null as empty template text', () => {
    expect(varbindText({ oid: '1.2', type: SnmpType.Null, value: null })).toBe('');
    expect(varbindText({ oid: '1.2', type: SnmpType.Integer, value: 3 })).toBe('3');
    expect(snmpTypeName(SnmpType.Gauge32)).toBe('Gauge32');
  });
});
