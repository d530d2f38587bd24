import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stormPacket } from './storm-traps.js';
import {
  encodeTrapPacket,
  oidContent,
  REQUEST_ID_MIN,
  REQUEST_ID_SPAN,
  setRequestId,
} from './trap-packet.js';

/** A minimal BER reader: tag, contents and the nested TLVs of constructed types. */
interface Tlv {
  readonly tag: number;
  readonly content: Uint8Array;
  readonly children: Tlv[];
}
function readTlvs(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let at = 0;
  while (at < bytes.length) {
    const tag = bytes[at] ?? 0;
    let length = bytes[at + 1] ?? 0;
    let header = 2;
    if (length & 0x80) {
      const octets = length & 0x7f;
      length = 0;
      for (let k = 0; k < octets; k++) length = length * 256 + (bytes[at + 2 + k] ?? 0);
      header += octets;
    }
    const content = bytes.subarray(at + header, at + header + length);
    out.push({ tag, content, children: tag & 0x20 ? readTlvs(content) : [] });
    at += header + length;
  }
  return out;
}
const integer = (tlv: Tlv | undefined): number =>
  [...(tlv?.content ?? [])].reduce((value, byte) => value * 256 + byte, 0);

describe('encodeTrapPacket', () => {
  it('encodes an SNMPv2c trap that a BER reader takes apart as such', () => {
    const packet = encodeTrapPacket(
      stormPacket({ community: 'public', upTimeTicks: 123_456, trap: 'linkDown', ifIndex: 300 }),
    );
    setRequestId(packet, 7);
    const [message] = readTlvs(packet.bytes);
    expect(message?.tag).toBe(0x30);
    const [version, community, pdu] = message?.children ?? [];
    expect(integer(version)).toBe(1);
    expect(Buffer.from(community?.content ?? []).toString()).toBe('public');
    expect(pdu?.tag).toBe(0xa7);
    const [requestId, errorStatus, errorIndex, varbinds] = pdu?.children ?? [];
    expect(integer(requestId)).toBe(REQUEST_ID_MIN + 7);
    expect([integer(errorStatus), integer(errorIndex)]).toEqual([0, 0]);
    const pairs = (varbinds?.children ?? []).map((vb) => vb.children);
    expect(pairs.map(([oid]) => Buffer.from(oid?.content ?? []).toString('hex'))).toEqual(
      [
        '1.3.6.1.2.1.1.3.0',
        '1.3.6.1.6.3.1.1.4.1.0',
        '1.3.6.1.2.1.2.2.1.1.300',
        '1.3.6.1.2.1.2.2.1.7.300',
        '1.3.6.1.2.1.2.2.1.8.300',
      ].map((oid) => Buffer.from(oidContent(oid)).toString('hex')),
    );
    expect(pairs[0]?.[1]?.tag).toBe(0x43);
    expect(integer(pairs[0]?.[1])).toBe(123_456);
    expect(Buffer.from(pairs[1]?.[1]?.content ?? []).toString('hex')).toBe(
      Buffer.from(oidContent('1.3.6.1.6.3.1.1.5.3')).toString('hex'),
    );
    expect([integer(pairs[2]?.[1]), integer(pairs[3]?.[1]), integer(pairs[4]?.[1])]).toEqual([
      300, 1, 2,
    ]);
  });

  it('patches only the request-id, always as a positive 4-byte INTEGER', () => {
    const packet = encodeTrapPacket(
      stormPacket({
        community: 'c',
        upTimeTicks: 1,
        trap: 'authenticationFailure',
        ifIndex: undefined,
      }),
    );
    const original = Uint8Array.from(packet.bytes);
    fc.assert(
      fc.property(fc.nat(), (n) => {
        setRequestId(packet, n);
        const changed = [...packet.bytes].flatMap((b, i) => (b === original[i] ? [] : [i]));
        for (const i of changed) {
          expect(i).toBeGreaterThanOrEqual(packet.requestIdOffset);
          expect(i).toBeLessThan(packet.requestIdOffset + 4);
        }
        const id = integer(readTlvs(packet.bytes)[0]?.children[2]?.children[0]);
        expect(id).toBe(REQUEST_ID_MIN + (n % REQUEST_ID_SPAN));
        expect(packet.bytes[packet.requestIdOffset] ?? 0x80).toBeLessThan(0x80);
      }),
    );
  });

  it.each<[string, string]>([
    ['1.3.6.1.2.1.1.3.0', '2b06010201010300'],
    ['1.3.6.1.4.1.8072.3.2.10', '2b06010401bf0803020a'],
    ['1.3.6.1.2.1.2.2.1.1.300', '2b0601020102020101822c'],
  ])('encodes OID %s', (oid, hex) => {
    expect(Buffer.from(oidContent(oid)).toString('hex')).toBe(hex);
  });
});
