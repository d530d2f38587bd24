import { execFile } from 'node:child_process';
import type { RemoteInfo } from 'node:dgram';
import { promisify } from 'node:util';
import { ThreadedUdpSocket } from '@faultline/collector';

const execFileAsync = promisify(execFile);
/** Linux's usual default (net.core.rmem_default). */
const DEFAULT_RECV_BUFFER_BYTES = 212_992;

/**
 * Runs one of Net-SNMP's command-line managers (snmpget, snmpwalk, snmpbulkwalk) against an
 * agent and returns the values it printed, by numeric OID without the leading dot. `-Oe` prints
 * enumerations as numbers and `-Ot` time ticks as raw hundredths, so values compare as digits.
 */
export async function snmpTool(
  tool: 'snmpget' | 'snmpwalk' | 'snmpbulkwalk',
  target: string,
  oids: readonly string[],
  options: {
    community?: string;
    /** SNMPv3 authPriv with SHA and AES instead of v2c. */
    v3?: { user: string; authKey: string; privKey: string };
    timeoutS?: number;
    retries?: number;
  } = {},
): Promise<Map<string, string>> {
  const { v3 } = options;
  const security =
    v3 === undefined
      ? ['-v2c', '-c', options.community ?? 'public']
      : [
          '-v3',
          '-l',
          'authPriv',
          '-u',
          v3.user,
          '-a',
          'SHA',
          '-A',
          v3.authKey,
          '-x',
          'AES',
          '-X',
          v3.privKey,
        ];
  const { stdout } = await execFileAsync(tool, [
    ...security,
    '-On',
    '-Oe',
    '-Ot',
    '-t',
    String(options.timeoutS ?? 2),
    '-r',
    String(options.retries ?? 1),
    target,
    ...oids,
  ]);
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^\.([0-9.]+) = (?:[A-Za-z0-9-]+: )?(.*)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    values.set(match[1], match[2].replace(/^"(.*)"$/, '$1'));
  }
  return values;
}

/** One UDP datagram received by a trap listener, with its sender. */
export interface ReceivedDatagram {
  readonly buffer: Buffer;
  readonly address: string;
}

/** A UDP socket on a free loopback port that keeps every datagram it receives. */
export interface TrapListener {
  readonly port: number;
  readonly received: readonly ReceivedDatagram[];
  close(): Promise<void>;
}

/**
 * Listens on a free port of 127.0.0.1, read by a thread of its own (the collector's
 * ThreadedUdpSocket), as the collector reads its trap port. A simulator in this process sends a
 * storm's backlog in one synchronous burst when it fell behind (after the machine left it without
 * the CPU); a socket read by this process's main thread could not read during the burst, and the
 * kernel dropped what did not fit in its buffer. `recvBufferSize` is in bytes, capped by
 * net.core.rmem_max.
 */
export async function listenForTraps(
  options: { recvBufferSize?: number } = {},
): Promise<TrapListener> {
  const socket = new ThreadedUdpSocket({
    type: 'udp4',
    recvBufferSize: options.recvBufferSize ?? DEFAULT_RECV_BUFFER_BYTES,
    // Everything the thread reads is kept: a test counts what arrived.
    maxBacklog: Number.MAX_SAFE_INTEGER,
    onOverflow: () => undefined,
  });
  const received: ReceivedDatagram[] = [];
  socket.on('message', (buffer: Buffer, rinfo: RemoteInfo) => {
    received.push({ buffer, address: rinfo.address });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('listening', () => {
      socket.off('error', reject);
      resolve();
    });
    socket.bind(0, '127.0.0.1');
  });
  return {
    port: socket.address().port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        socket.close(() => {
          resolve();
        });
      }),
  };
}

/** The BER encoding (tag, length, contents) of an OBJECT IDENTIFIER, to find one in a datagram. */
export function berOid(oid: string): Buffer {
  const [first = 0, second = 0, ...rest] = oid.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return Buffer.from([0x06, bytes.length, ...bytes]);
}

/** The BER encoding of a small INTEGER (0..127). */
export function berSmallInteger(value: number): Buffer {
  return Buffer.from([0x02, 0x01, value]);
}

/**
 * Whether a datagram is an SNMPv2c Trap-PDU with this community: version 1 (v2c), the community
 * octet string, then the SNMPv2-Trap PDU tag (0xa7), in that order.
 */
export function isV2cTrap(buffer: Buffer, community: string): boolean {
  const header = Buffer.concat([
    Buffer.from([0x02, 0x01, 0x01, 0x04, community.length]),
    Buffer.from(community),
    Buffer.from([0xa7]),
  ]);
  return buffer.includes(header);
}
