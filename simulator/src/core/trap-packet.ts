/**
 * Hand-made BER for SNMPv2c traps, for the storm sender: one packet is encoded once and only its
 * request-id is patched per send, which is what lets a storm reach tens of thousands of traps a
 * second without an encoder in the loop.
 */

const SYS_UP_TIME_0 = '1.3.6.1.2.1.1.3.0';
const SNMP_TRAP_OID_0 = '1.3.6.1.6.3.1.1.4.1.0';
const TAG = {
  integer: 0x02,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  timeTicks: 0x43,
  trapV2: 0xa7,
} as const;

/** Request-ids are kept in [2^23, 2^31): always exactly four content bytes, minimally encoded. */
export const REQUEST_ID_MIN = 0x0080_0000;
export const REQUEST_ID_SPAN = 0x7fff_ffff - REQUEST_ID_MIN;

function length(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

function tlv(tag: number, content: readonly number[]): number[] {
  return [tag, ...length(content.length), ...content];
}

/** Minimal two's-complement content bytes of a non-negative integer (unsigned for TimeTicks). */
function integerContent(value: number): number[] {
  const bytes: number[] = [];
  let rest = Math.floor(value);
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return bytes;
}

/** The content bytes of an OBJECT IDENTIFIER. */
export function oidContent(oid: string): number[] {
  const [first = 0, second = 0, ...rest] = oid.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      chunk.unshift((value & 0x7f) | 0x80);
    }
    bytes.push(...chunk);
  }
  return bytes;
}

/** A trap to encode. Varbinds after sysUpTime.0 and snmpTrapOID.0 are INTEGERs. */
export interface TrapPacketSpec {
  readonly community: string;
  readonly upTimeTicks: number;
  readonly trapOid: string;
  readonly varbinds: readonly { readonly oid: string; readonly value: number }[];
}

/** An encoded trap and where its request-id's four content bytes sit. */
export interface TrapPacket {
  readonly bytes: Uint8Array;
  readonly requestIdOffset: number;
}

/** Encodes an SNMPv2c Trap-PDU with a placeholder request-id to patch with `setRequestId`. */
export function encodeTrapPacket(spec: TrapPacketSpec): TrapPacket {
  const varbind = (oid: string, value: number[]): number[] =>
    tlv(TAG.sequence, [...tlv(TAG.oid, oidContent(oid)), ...value]);
  const varbinds = [
    ...varbind(SYS_UP_TIME_0, tlv(TAG.timeTicks, integerContent(spec.upTimeTicks % 2 ** 32))),
    ...varbind(SNMP_TRAP_OID_0, tlv(TAG.oid, oidContent(spec.trapOid))),
    ...spec.varbinds.flatMap((v) => varbind(v.oid, tlv(TAG.integer, integerContent(v.value)))),
  ];
  const requestId = [TAG.integer, 4, 0x00, 0x80, 0x00, 0x00];
  const pduRest = [
    ...tlv(TAG.integer, [0]),
    ...tlv(TAG.integer, [0]),
    ...tlv(TAG.sequence, varbinds),
  ];
  const pdu = tlv(TAG.trapV2, [...requestId, ...pduRest]);
  const head = [
    ...tlv(TAG.integer, [1]),
    ...tlv(TAG.octetString, [...Buffer.from(spec.community)]),
  ];
  const message = tlv(TAG.sequence, [...head, ...pdu]);
  // The request-id's content follows the message header, the community, the PDU header and its
  // own tag and length: find it by the lengths just encoded rather than searching the bytes.
  const messageHeader = message.length - head.length - pdu.length;
  const pduHeader = pdu.length - requestId.length - pduRest.length;
  return {
    bytes: Uint8Array.from(message),
    requestIdOffset: messageHeader + head.length + pduHeader + 2,
  };
}

/** Writes the request-id of the n-th trap of a storm into a packet (in place). */
export function setRequestId(packet: TrapPacket, n: number): void {
  const id = REQUEST_ID_MIN + (n % REQUEST_ID_SPAN);
  const at = packet.requestIdOffset;
  packet.bytes[at] = (id >>> 24) & 0xff;
  packet.bytes[at + 1] = (id >>> 16) & 0xff;
  packet.bytes[at + 2] = (id >>> 8) & 0xff;
  packet.bytes[at + 3] = id & 0xff;
}
