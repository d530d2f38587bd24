import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authPrivArgs, sendUdp, snmptrap } from '../collector/snmp-tools.js';
import { startTrapCollector, type TrapCollector } from '../collector/trap-collector.js';
import { listenForTraps, snmpTool } from '../simulator/snmp-peers.js';
import { EVENTUALLY } from '../support/services.js';

/**
 * Tens of thousands of malformed datagrams against the running trap receiver: real traps of each
 * version, truncated, with lengths that overrun the packet, with other versions and PDU types,
 * with bytes flipped, and plain garbage. The receiver must survive all of them, count every one,
 * and still take the valid trap sent after them.
 */

const CASES = 30_000;
/**
 * Sent in rounds, each waited for, so that no count races and the socket buffer never overflows,
 * even where the kernel caps it near its 208 KiB default (net.core.rmem_max).
 */
const ROUND = 100;
const SEED = 20_260_409;

const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const IF_INDEX = '1.3.6.1.2.1.2.2.1.1';
const KEYS = { auth: 'fuzz-auth-secret', priv: 'fuzz-priv-secret' };

const CONFIG = `
telemetry: { sessionExpiryS: 0 }
snmp:
  communities: [public]
  users:
    - { name: alice, authProtocol: sha, authKey: ${KEYS.auth}, privProtocol: aes, privKey: ${KEYS.priv} }
    - { name: bob, authProtocol: sha256, authKey: ${KEYS.auth} }
`;

/**
 * The first datagram `send` delivers to a plain UDP socket: a real packet to mutate. A tool that
 * waits for an answer (snmpget) fails once it times out; the datagram is all that matters.
 */
async function capture(send: (target: string) => Promise<unknown>): Promise<Buffer> {
  const listener = await listenForTraps();
  try {
    await send(`127.0.0.1:${String(listener.port)}`).catch(() => undefined);
    return await vi.waitFor(() => {
      const [first] = listener.received;
      if (first === undefined) throw new Error('nothing captured yet');
      return first.buffer;
    }, EVENTUALLY);
  } finally {
    await listener.close();
  }
}

/**
 * Real packets as Net-SNMP's tools send them: v1, v2c, v3 authPriv and v3 authNoPriv traps, and
 * the engine-ID discovery probe a v3 manager starts with.
 */
async function realPackets(): Promise<Buffer[]> {
  const varbinds = [`${IF_INDEX}.3`, 'i', '3'];
  return [
    await capture((target) =>
      snmptrap(['-v', '1', '-c', 'public', target, '1.3.6.1.4.1.8072', '127.0.0.1', '2', '0', '']),
    ),
    await capture((target) =>
      snmptrap(['-v', '2c', '-c', 'public', target, '', LINK_DOWN, ...varbinds]),
    ),
    await capture((target) =>
      snmptrap([
        ...authPrivArgs('alice', KEYS.auth, KEYS.priv),
        '-e',
        '0x8000000001020304',
        target,
        '',
        LINK_DOWN,
        ...varbinds,
      ]),
    ),
    await capture((target) =>
      snmptrap([
        '-v',
        '3',
        '-u',
        'bob',
        '-l',
        'authNoPriv',
        '-a',
        'SHA-256',
        '-A',
        KEYS.auth,
        '-e',
        '0x8000000001020305',
        target,
        '',
        LINK_DOWN,
        ...varbinds,
      ]),
    ),
    await capture((target) =>
      snmpTool('snmpget', target, ['1.3.6.1.2.1.1.1.0'], {
        v3: { user: 'alice', authKey: KEYS.auth, privKey: KEYS.priv },
        timeoutS: 1,
        retries: 0,
      }),
    ),
  ];
}

/** Where each BER header of a packet sits: its tag, and its length octets. */
interface BerHeader {
  readonly tag: number;
  readonly tagOffset: number;
  readonly lengthOffset: number;
  readonly lengthOctets: number;
}

/** The BER headers of a well-formed packet, walking into every constructed value. */
function berHeaders(packet: Buffer, start = 0, end = packet.length): BerHeader[] {
  const headers: BerHeader[] = [];
  let offset = start;
  while (offset + 2 <= end) {
    const tag = packet[offset] ?? 0;
    const first = packet[offset + 1] ?? 0;
    const lengthOctets = first < 0x80 ? 1 : 1 + (first & 0x7f);
    const length =
      first < 0x80 ? first : packet.readUIntBE(offset + 2, Math.min(first & 0x7f, 6) || 1);
    const contentOffset = offset + 1 + lengthOctets;
    headers.push({ tag, tagOffset: offset, lengthOffset: offset + 1, lengthOctets });
    if ((tag & 0x20) !== 0)
      headers.push(...berHeaders(packet, contentOffset, contentOffset + length));
    offset = contentOffset + length;
  }
  return headers;
}

const splice = (packet: Buffer, at: number, remove: number, insert: Uint8Array): Buffer =>
  Buffer.concat([packet.subarray(0, at), insert, packet.subarray(at + remove)]);

/** Length octets that claim more than the packet holds, or that BER does not allow. */
const badLength = fc.oneof(
  fc.constant(Uint8Array.of(0x80)), // indefinite: not allowed in SNMP
  fc.constant(Uint8Array.of(0xff)), // 127 length octets
  fc.constant(Uint8Array.of(0x84, 0xff, 0xff, 0xff, 0xff)),
  fc.constant(Uint8Array.of(0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9)),
  fc.integer({ min: 0x7f, max: 0xffff }).map((n) => Uint8Array.of(0x82, n >> 8, n & 0xff)),
  fc.integer({ min: 0, max: 0x7f }).map((n) => Uint8Array.of(n)),
);

/** One malformed datagram, built from the real packets. */
function malformed(packets: readonly Buffer[]): fc.Arbitrary<Buffer> {
  const packet = fc.constantFrom(...packets);
  const truncated = packet.chain((p) =>
    fc.integer({ min: 0, max: p.length - 1 }).map((cut) => p.subarray(0, cut)),
  );
  const overlong = packet.chain((p) => {
    const headers = berHeaders(p);
    return fc
      .tuple(fc.constantFrom(...headers), badLength)
      .map(([header, length]) => splice(p, header.lengthOffset, header.lengthOctets, length));
  });
  // The version is the first INTEGER inside the outer SEQUENCE.
  const wrongVersion = packet.chain((p) => {
    const version = berHeaders(p)[1];
    if (version === undefined) throw new Error('a real packet has a version');
    return fc
      .oneof(fc.constantFrom(2, 4, 127, 255, -1), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }))
      .map((n) => {
        const value = Buffer.alloc(4);
        value.writeInt32BE(n);
        return splice(
          p,
          version.lengthOffset,
          version.lengthOctets + (p[version.lengthOffset] ?? 0),
          Buffer.concat([Uint8Array.of(4), value]),
        );
      });
  });
  const otherTag = packet.chain((p) =>
    fc
      .tuple(fc.constantFrom(...berHeaders(p)), fc.integer({ min: 0, max: 255 }))
      .map(([header, tag]) => splice(p, header.tagOffset, 1, Uint8Array.of(tag))),
  );
  const flipped = packet.chain((p) =>
    fc
      .array(fc.tuple(fc.nat(p.length - 1), fc.integer({ min: 1, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((flips) => {
        const copy = Buffer.from(p);
        for (const [at, bits] of flips) copy[at] = (copy[at] ?? 0) ^ bits;
        return copy;
      }),
  );
  const garbage = fc.uint8Array({ maxLength: 1_400 }).map((bytes) => Buffer.from(bytes));
  const berShaped = fc
    .tuple(badLength, fc.uint8Array({ maxLength: 300 }))
    .map(([length, content]) => Buffer.concat([Uint8Array.of(0x30), length, content]));
  return fc.oneof(truncated, overlong, wrongVersion, otherTag, flipped, garbage, berShaped);
}

describe('trap receiver under malformed SNMP (fuzz over loopback UDP)', () => {
  let traps: TrapCollector;
  let packets: Buffer[];

  beforeAll(async () => {
    packets = await realPackets();
    traps = await startTrapCollector(CONFIG);
  });

  afterAll(async () => {
    await traps.stop();
  });

  const counter = (name: string): number => traps.counter(`traps_${name}_total`);

  it(`counts each of ${String(CASES)} malformed datagrams and still takes a valid trap`, async () => {
    const cases = fc.sample(malformed(packets), { seed: SEED, numRuns: CASES });
    for (let sent = 0; sent < cases.length; sent += ROUND) {
      await sendUdp(traps.port, cases.slice(sent, sent + ROUND));
      const expected = Math.min(sent + ROUND, cases.length);
      await vi.waitFor(
        () => {
          expect(counter('received')).toBe(expected);
        },
        { timeout: 10_000, interval: 5 },
      );
    }
    // Every datagram landed in exactly one outcome. Some mutations still make a valid trap (a
    // flipped varbind value) or a discovery probe; all the others are malformed or unauthorized.
    expect(
      counter('decoded') + counter('malformed') + counter('unauthorized') + counter('discovery'),
    ).toBe(CASES);
    expect(counter('malformed')).toBeGreaterThan(CASES / 2);
    expect(counter('dropped')).toBe(0);

    await snmptrap([
      '-v',
      '2c',
      '-c',
      'public',
      '--clientaddr=127.0.0.91',
      traps.target,
      '',
      LINK_DOWN,
    ]);
    const event = await traps.eventWhere((e) => e.device === '127.0.0.91');
    expect(event.type).toBe('linkDown');
    expect(counter('received')).toBe(CASES + 1);
  });
});
