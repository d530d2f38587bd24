// A real SNMPv2c trap as Net-SNMP's `snmptrap` puts it on the wire, captured on a loopback socket,
// so the trap benchmarks send what a real agent sends rather than Faultline's own encoding.
import type { TrapPacket } from '@faultline/simulator';
import { snmptrap } from '../collector/snmp-tools.js';
import { listenForTraps } from '../simulator/snmp-peers.js';

const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
/** snmptrap picks a random request-id per run; one of four content bytes comes within a few. */
const MAX_CAPTURES = 20;

/** Offset just past a BER tag and its length (short or long form) at `at`. */
function contentStart(bytes: Uint8Array, at: number): { start: number; length: number } {
  const first = bytes[at + 1] ?? 0;
  if (first < 0x80) return { start: at + 2, length: first };
  let length = 0;
  for (let k = 0; k < (first & 0x7f); k++) length = length * 256 + (bytes[at + 2 + k] ?? 0);
  return { start: at + 2 + (first & 0x7f), length };
}

/**
 * Where the request-id's content sits in a v2c trap (message SEQUENCE, version, community, PDU
 * header, then the request-id INTEGER), with its length; the storm sender patches four bytes.
 */
export function requestIdField(bytes: Uint8Array): { offset: number; length: number } {
  const message = contentStart(bytes, 0);
  const version = contentStart(bytes, message.start);
  const community = contentStart(bytes, version.start + version.length);
  const pdu = contentStart(bytes, community.start + community.length);
  const requestId = contentStart(bytes, pdu.start);
  return { offset: requestId.start, length: requestId.length };
}

/**
 * Runs `snmptrap` against a local socket and keeps the bytes of a linkDown of `ifIndex` with the
 * IF-MIB varbinds a device sends (ifIndex, ifAdminStatus up, ifOperStatus down), retrying until
 * its request-id has four content bytes, as the storm sender needs to vary it in place.
 */
export async function captureLinkDownTrap(community: string, ifIndex: number): Promise<TrapPacket> {
  const listener = await listenForTraps();
  try {
    for (let attempt = 0; attempt < MAX_CAPTURES; attempt++) {
      const index = String(ifIndex);
      await snmptrap([
        '-v',
        '2c',
        '-c',
        community,
        `127.0.0.1:${String(listener.port)}`,
        '',
        LINK_DOWN,
        `${IF_ENTRY}.1.${index}`,
        'i',
        index,
        `${IF_ENTRY}.7.${index}`,
        'i',
        '1',
        `${IF_ENTRY}.8.${index}`,
        'i',
        '2',
      ]);
      for (let wait = 0; listener.received.length <= attempt && wait < 100; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const datagram = listener.received[attempt];
      if (datagram === undefined) throw new Error('snmptrap sent nothing to the capture socket');
      const bytes = Uint8Array.from(datagram.buffer);
      const field = requestIdField(bytes);
      if (field.length === 4 && (bytes[field.offset] ?? 0x80) < 0x80) {
        return { bytes, requestIdOffset: field.offset };
      }
    }
    throw new Error(`no snmptrap request-id of four bytes in ${String(MAX_CAPTURES)} captures`);
  } finally {
    await listener.close();
  }
}
