import { randomUUID } from 'node:crypto';
import type { SocketType } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import snmp from 'net-snmp';
import type { Logger, SnmpUser } from '@faultline/shared';
import type { Notification } from '../core/trap-to-event.js';
import { ThreadedUdpSocket } from './threaded-udp-socket.js';
import { toSnmpUser } from './snmp-users.js';
import { createCounters, type Clock, type Counters } from '../ports.js';

/**
 * What the receiver counts. Every datagram is `received`; each then lands in exactly one of
 * `decoded`, `malformed`, `unauthorized` and `discovery` (an SNMPv3 engine-ID probe, answered
 * with a report). `dropped` counts the decoded notifications that could not be queued, and
 * `overflowed` the datagrams read off the socket but dropped because the backlog waiting to be
 * decoded was full (TRAP_BACKLOG_DATAGRAMS).
 */
export const TRAP_COUNTER_NAMES = [
  'received',
  'decoded',
  'malformed',
  'unauthorized',
  'discovery',
  'dropped',
  'overflowed',
] as const;
/** A trap receiver counter. */
export type TrapCounterName = (typeof TRAP_COUNTER_NAMES)[number];

/**
 * The socket receive buffer asked for. The default (~208 KiB) loses traps in a storm; the kernel
 * caps the request at net.core.rmem_max.
 */
export const TRAP_RECV_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * Datagrams read off the socket and waiting to be decoded, at most: a 100,000-trap storm fits
 * (about 300 bytes each in memory), a longer flood past what decoding keeps up with is dropped and
 * counted rather than taking the process's memory.
 */
export const TRAP_BACKLOG_DATAGRAMS = 200_000;

export interface TrapReceiverOptions {
  readonly host: string;
  /** 0 picks a free port (tests); `address()` tells which. */
  readonly port: number;
  /** Communities accepted on v1/v2c notifications; anything else is counted unauthorized. */
  readonly communities: readonly string[];
  /** SNMPv3 users accepted on v3 notifications (their keys are secrets: never logged). */
  readonly users?: readonly SnmpUser[];
  readonly recvBufferBytes?: number;
  /**
   * Told of each notification that failed authorization, with the sender and why, in words that
   * carry no secret (never the community tried). Must not throw.
   */
  readonly onUnauthorized?: (sourceAddress: string, reason: AuthFailureReason) => void;
  /**
   * Called once per decoded notification; returns false when it could not take it (counted as
   * dropped). A throw is caught and counted too: an escaping throw would crash the process.
   */
  readonly onNotification: (notification: Notification) => boolean;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly newId?: () => string;
}

export interface TrapReceiver {
  /** Binds the socket; resolves once it listens, rejects when it cannot bind. */
  start(): Promise<AddressInfo>;
  /** Closes the socket. */
  stop(): Promise<void>;
  /** The bound address while listening. */
  address(): AddressInfo | undefined;
  readonly counters: Readonly<Counters<TrapCounterName>>;
}

/** How a receiver error is counted: a packet that failed the community/user check, a packet that is not a usable notification, or trouble with the socket itself. */
export type ReceiverErrorKind = 'unauthorized' | 'malformed' | 'socket';

/** Why a notification failed authorization, without the secret it tried. */
export type AuthFailureReason =
  | 'unknown community'
  | 'unknown user'
  | 'security level too low'
  | 'wrong authentication key'
  | 'cannot decrypt (wrong privacy key)'
  | 'outside time window';

/**
 * The reason of an `unauthorized` receiver error. The library's messages name the community that
 * was tried, which may be a near-miss of the real one, so they are never passed on.
 */
export function authFailureReason(error: snmp.SnmpError): AuthFailureReason {
  if (error.name === 'ResponseInvalidError') {
    if (error.code === 4) return 'cannot decrypt (wrong privacy key)';
    if (error.code === 14) return 'outside time window';
    return 'wrong authentication key';
  }
  if (error.message.startsWith('Local community')) return 'unknown community';
  if (error.message.startsWith('Local user not found')) return 'unknown user';
  return 'security level too low';
}

/** BER of the SNMP-USER-BASED-SM-MIB counters a refusing report carries, by what they mean. */
const REPORT_REFUSALS: readonly [Buffer, AuthFailureReason][] = [
  // usmStatsUnknownUserNames.0 (1.3.6.1.6.3.15.1.1.3.0)
  [Buffer.from('060a2b060106030f01010300', 'hex'), 'unknown user'],
  // usmStatsWrongDigests.0 (1.3.6.1.6.3.15.1.1.5.0)
  [Buffer.from('060a2b060106030f01010500', 'hex'), 'security level too low'],
];

/**
 * The refusal an outgoing report stands for, or undefined for any other datagram (an inform's
 * response, an engine-discovery report).
 */
export function reportedRefusal(datagram: Buffer): AuthFailureReason | undefined {
  return REPORT_REFUSALS.find(([oid]) => datagram.includes(oid))?.[1];
}

/** BER of usmStatsUnknownEngineIDs.0 (1.3.6.1.6.3.15.1.1.4.0), the report that answers discovery. */
const DISCOVERY_REPORT = Buffer.from('060a2b060106030f01010400', 'hex');

/**
 * Whether an outgoing datagram is the report answering an SNMPv3 engine-ID discovery probe (a
 * sender of v3 informs asks first). The library answers those itself and never calls back.
 */
export function answersDiscovery(datagram: Buffer): boolean {
  return datagram.includes(DISCOVERY_REPORT);
}

/** net-snmp's ResponseInvalidCode values that mean "credentials did not check out" (v3). */
const AUTH_FAILURE_CODES = new Set([
  4 /* ECouldNotDecrypt */, 5 /* EAuthFailure */, 14 /* ENotInTimeWindow */,
]);

/**
 * Classifies an error the library reports to the receiver callback. Packet errors carry the
 * sender (`rinfo`); errors without one come from the socket.
 */
export function classifyReceiverError(error: snmp.SnmpError): ReceiverErrorKind {
  if (error.rinfo === undefined) return 'socket';
  if (error.name === 'RequestFailedError') return 'unauthorized';
  if (
    error.name === 'ResponseInvalidError' &&
    error.code !== undefined &&
    AUTH_FAILURE_CODES.has(error.code)
  ) {
    return 'unauthorized';
  }
  return 'malformed';
}

/**
 * Converts the library's notification into the core's, or undefined when the PDU is not a
 * notification. The version follows from the PDU: a Trap-PDU is v1; a v2 PDU with a user is v3.
 */
export function toNotification(
  received: snmp.ReceivedNotification,
  id: string,
  receivedAtMs: number,
): Notification | undefined {
  const { pdu, rinfo } = received;
  const base = {
    id,
    receivedAtMs,
    sourceAddress: rinfo.address,
    sourcePort: rinfo.port,
    varbinds: Array.isArray(pdu.varbinds) ? pdu.varbinds : [],
    ...(pdu.community === undefined ? {} : { community: pdu.community }),
    ...(pdu.user === undefined ? {} : { user: pdu.user }),
  };
  if (pdu.type === snmp.PduType.Trap) {
    return {
      ...base,
      version: '1',
      pdu: 'trap',
      v1: {
        enterprise: pdu.enterprise ?? '0.0',
        agentAddr: pdu.agentAddr ?? '0.0.0.0',
        generic: pdu.generic ?? 6,
        specific: pdu.specific ?? 0,
        timeTicks: pdu.upTime ?? 0,
      },
    };
  }
  if (pdu.type !== snmp.PduType.TrapV2 && pdu.type !== snmp.PduType.InformRequest) return undefined;
  return {
    ...base,
    version: pdu.user === undefined ? '2c' : '3',
    pdu: pdu.type === snmp.PduType.InformRequest ? 'inform' : 'trap',
    ...(pdu.id === undefined ? {} : { requestId: pdu.id }),
  };
}

/**
 * The SNMP notification receiver (v1, v2c, v3 with the configured users; informs are acknowledged by the library before the
 * callback runs). Its socket gets a multi-MiB receive buffer through the library's `dgramModule`
 * hook, and the socket is watched directly to count every datagram and to know when it listens.
 */
export function createTrapReceiver(options: TrapReceiverOptions): TrapReceiver {
  const logger = options.logger;
  const clock = options.clock ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const counters = createCounters(TRAP_COUNTER_NAMES);
  let receiver: snmp.Receiver | undefined;
  let socket: ThreadedUdpSocket | undefined;
  let bound: AddressInfo | undefined;

  const refuse = (source: string, reason: AuthFailureReason): void => {
    counters.unauthorized += 1;
    logger.debug({ kind: 'unauthorized', source, reason }, 'trap rejected');
    options.onUnauthorized?.(source, reason);
  };

  const handle = (
    error: snmp.SnmpError | null,
    received: snmp.ReceivedNotification | null,
  ): void => {
    try {
      if (error) {
        const kind = classifyReceiverError(error);
        if (kind === 'socket') {
          logger.error({ err: error }, 'trap socket error');
          return;
        }
        const source = error.rinfo?.address ?? 'unknown';
        if (kind === 'unauthorized') {
          refuse(source, authFailureReason(error));
        } else {
          counters.malformed += 1;
          logger.debug({ kind, source, reason: error.message }, 'trap rejected');
        }
        return;
      }
      if (received === null) return;
      // net-snmp takes a v3 message with an empty user name and no authentication as a
      // noAuthNoPriv notification of the user "" (the name RFC 3414 discovery uses) even though
      // no such user is configured: it is refused like any unknown user.
      if (received.pdu.user === '') {
        refuse(received.rinfo.address, 'unknown user');
        return;
      }
      const notification = toNotification(received, newId(), clock());
      if (notification === undefined) {
        counters.malformed += 1;
        return;
      }
      counters.decoded += 1;
      let accepted = false;
      try {
        accepted = options.onNotification(notification);
      } catch (handlerError) {
        logger.error(
          { err: handlerError, source: notification.sourceAddress },
          'trap handler failed',
        );
      }
      if (!accepted) counters.dropped += 1;
    } catch (unexpected) {
      logger.error({ err: unexpected }, 'trap receiver callback failed');
    }
  };

  const dgramModule: snmp.DgramModule = {
    createSocket(type: SocketType) {
      // Read by a thread of its own, so the kernel's buffer is drained however long the main
      // loop is busy (see ThreadedUdpSocket).
      const created = new ThreadedUdpSocket({
        type,
        recvBufferSize: options.recvBufferBytes ?? TRAP_RECV_BUFFER_BYTES,
        maxBacklog: TRAP_BACKLOG_DATAGRAMS,
        onOverflow: (count) => {
          counters.overflowed += count;
        },
      });
      // Registered before the library's own listener, so it sees every datagram first.
      created.on('message', () => {
        counters.received += 1;
      });
      // net-snmp turns port 0 into 162 (`port || 162`): bind where we were asked to, so 0 picks
      // a free port instead of taking (or colliding on) the standard one.
      const bindSocket = created.bind.bind(created);
      Object.assign(created, {
        bind: (_port: unknown, address?: string) => bindSocket(options.port, address),
      });
      // The library answers some refused v3 informs itself, with a report, and never calls back:
      // an unknown user, or a missing digest. Reports travel in clear, so their counter OID is
      // visible in the datagram; seeing it is how those refusals are counted and reported too.
      const sendDatagram = created.send.bind(created) as (...args: unknown[]) => void;
      Object.assign(created, {
        send: (...args: unknown[]) => {
          const [buffer, , , , address] = args;
          if (Buffer.isBuffer(buffer) && typeof address === 'string') {
            const reason = reportedRefusal(buffer);
            if (answersDiscovery(buffer)) counters.discovery += 1;
            if (reason !== undefined) {
              counters.unauthorized += 1;
              try {
                options.onUnauthorized?.(address, reason);
              } catch (error) {
                logger.error({ err: error }, 'unauthorized handler failed');
              }
            }
          }
          sendDatagram(...args);
        },
      });
      socket = created;
      return created;
    },
  };

  return {
    counters,
    address: () => bound,
    async start() {
      if (receiver !== undefined) throw new Error('trap receiver already started');
      const created = snmp.createReceiver(
        {
          port: options.port,
          address: options.host,
          transport: options.host.includes(':') ? 'udp6' : 'udp4',
          includeAuthentication: true,
          dgramModule,
        },
        handle,
      );
      receiver = created;
      const authorizer = created.getAuthorizer();
      for (const community of options.communities) authorizer.addCommunity(community);
      for (const user of options.users ?? []) authorizer.addUser(toSnmpUser(user));
      const listening = socket;
      if (listening === undefined)
        throw new Error('net-snmp did not open its socket through dgramModule');
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error): void => {
          listening.off('listening', onListening);
          reject(
            new Error(`cannot listen for traps on ${options.host}:${String(options.port)}`, {
              cause: error,
            }),
          );
        };
        const onListening = (): void => {
          listening.off('error', onError);
          resolve();
        };
        listening.once('error', onError);
        listening.once('listening', onListening);
      }).catch((error: unknown) => {
        try {
          created.close();
        } catch {
          // The socket that failed to bind may already be closed.
        }
        receiver = undefined;
        throw error;
      });
      bound = listening.address();
      logger.info(
        {
          address: bound.address,
          port: bound.port,
          recvBufferBytes: listening.getRecvBufferSize(),
        },
        'trap receiver listening',
      );
      return bound;
    },
    async stop() {
      const closing = receiver;
      receiver = undefined;
      bound = undefined;
      if (closing === undefined) return;
      await new Promise<void>((resolve) => {
        closing.close(() => {
          resolve();
        });
      });
    },
  };
}
