import * as dgram from 'node:dgram';
import snmp, { type Agent, type RequestMessage, type User, type Varbind } from 'net-snmp';
import type { Config, Logger } from '@faultline/shared';
import type { InterfaceReading } from '../core/counters.js';
import { CHASSIS_ID_MAC, PORT_ID_INTERFACE_NAME, type LldpNeighbour } from '../core/lldp.js';
import {
  createMibView,
  MibReadError,
  SCALAR_ROWS,
  type MibObject,
  type MibView,
} from '../core/mib-view.js';

const SYSTEM_OID = '1.3.6.1.2.1.1';
const IF_NUMBER_OID = '1.3.6.1.2.1.2.1';
const IF_ENTRY_OID = '1.3.6.1.2.1.2.2.1';
const IFX_ENTRY_OID = '1.3.6.1.2.1.31.1.1.1';
/** SNMP-FRAMEWORK-MIB snmpEngine group. */
const SNMP_ENGINE_OID = '1.3.6.1.6.3.10.2.1';
/** LLDP-MIB lldpLocalSystemData and the lldpRemTable's entry. */
const LLDP_LOCAL_OID = '1.0.8802.1.1.2.1.3';
const LLDP_LOC_PORT_ENTRY_OID = `${LLDP_LOCAL_OID}.7.1`;
const LLDP_REM_ENTRY_OID = '1.0.8802.1.1.2.1.4.1.1';
/** IANAifType ethernetCsmacd. */
const IF_TYPE_ETHERNET = 6;
const IF_ADMIN_UP = 1;
const GAUGE32_MAX = 4_294_967_295;

/** A configured interface as the agent describes it. */
export interface AgentInterface {
  readonly ifIndex: number;
  readonly name: string;
  readonly description: string;
  readonly speedMbps: number;
}

/** The SNMPv2-MIB system group of a device (sysUpTime is read live). */
export interface AgentSystem {
  readonly name: string;
  readonly descr: string;
  readonly objectId: string;
  readonly location: string;
  readonly contact: string;
}

/** Who may read the agent: a v2c community, a v3 user, or both. Secrets: never logged. */
export interface AgentCredentials {
  readonly community: string | undefined;
  readonly user: Config['snmp']['users'][number] | undefined;
}

/** Live values, computed at read time from the simulator's state. */
export interface AgentReader {
  upTimeTicks(): number;
  /** snmpEngineBoots: how many times the device has booted. */
  engineBoots(): number;
  /** snmpEngineTime: seconds since the last boot. */
  engineTimeS(): number;
  readInterface(ifIndex: number): InterfaceReading | undefined;
  /** The LLDP neighbour heard on an interface now, if any. */
  lldpNeighbour(ifIndex: number): LldpNeighbour | undefined;
}

/** Everything one device's agent needs. */
export interface DeviceAgentDeps {
  readonly address: string;
  readonly port: number;
  readonly credentials: AgentCredentials;
  readonly system: AgentSystem;
  /** The LLDP chassis id the device advertises (a MAC address). */
  readonly chassisId: Buffer;
  readonly interfaces: readonly AgentInterface[];
  readonly reader: AgentReader;
  readonly logger: Logger;
  /**
   * Whether the device answers at all right now: false while it is cut off from the NOC or
   * powered off. Requests that arrive meanwhile are dropped unanswered, as the network would.
   */
  readonly isAnswering?: () => boolean;
}

/** An SNMP agent serving one simulated device on its own address and port. */
export interface DeviceAgent {
  /** Resolves once the agent's UDP socket is bound; rejects if it cannot bind. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A Gauge32 of a speed: rounded, and saturated at 2^32 − 1 as IF-MIB says. */
function gauge32(value: number): number {
  return Math.min(Math.round(value), GAUGE32_MAX);
}

/** Counter64 values must be 8-byte Buffers: a number or BigInt crashes the agent on read. */
export function counter64Buffer(value: bigint): Buffer {
  // From the shared pool: every byte is written next.
  const buffer = Buffer.allocUnsafe(8);
  buffer.writeBigUInt64BE(BigInt.asUintN(64, value));
  return buffer;
}

function toUser(user: NonNullable<AgentCredentials['user']>): User {
  const authProtocol =
    user.authProtocol === undefined ? undefined : snmp.AuthProtocols[user.authProtocol];
  const privProtocol =
    user.privProtocol === undefined ? undefined : snmp.PrivProtocols[user.privProtocol];
  const hasAuth = authProtocol !== undefined && user.authKey !== undefined;
  const hasPriv = hasAuth && privProtocol !== undefined && user.privKey !== undefined;
  return {
    name: user.name,
    level: hasPriv
      ? snmp.SecurityLevel.authPriv
      : hasAuth
        ? snmp.SecurityLevel.authNoPriv
        : snmp.SecurityLevel.noAuthNoPriv,
    ...(hasAuth ? { authProtocol, authKey: user.authKey } : {}),
    ...(hasPriv ? { privProtocol, privKey: user.privKey } : {}),
  };
}

/**
 * Drops the datagrams a socket receives while `isAnswering` says no: net-snmp's agent never sees
 * them, so a manager times out exactly as it would on a device that is cut off.
 */
function muteWhenSilent(
  socket: dgram.Socket,
  isAnswering: (() => boolean) | undefined,
): dgram.Socket {
  if (isAnswering === undefined) return socket;
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  const gated = (event: string | symbol, ...args: unknown[]): boolean =>
    event === 'message' && !isAnswering() ? false : emit(event, ...args);
  socket.emit = gated as typeof socket.emit;
  return socket;
}

/**
 * The objects one device serves: the SNMPv2-MIB system group, ifNumber, the ifTable and ifXTable
 * columns over the configured interfaces, LLDP-MIB (`lldpObjects`) and the SNMP engine group. Live values (sysUpTime, oper
 * status, last change, octet counters, engine time) are read from `reader` at each request.
 */
function deviceObjects(deps: DeviceAgentDeps): MibObject[] {
  const { system, interfaces, reader } = deps;
  const { ObjectType } = snmp;
  const byIndex = new Map(interfaces.map((i) => [i.ifIndex, i]));
  const rows = [...byIndex.keys()].sort((a, b) => a - b);
  const scalar = (oid: string, type: number, read: () => unknown): MibObject => ({
    oid,
    type,
    rows: SCALAR_ROWS,
    read,
  });
  const configured =
    (pick: (iface: AgentInterface) => unknown) =>
    (ifIndex: number): unknown => {
      const iface = byIndex.get(ifIndex);
      return iface === undefined ? undefined : pick(iface);
    };
  const live =
    (pick: (reading: InterfaceReading) => unknown) =>
    (ifIndex: number): unknown => {
      const reading = reader.readInterface(ifIndex);
      return reading === undefined ? undefined : pick(reading);
    };
  const { Integer, OctetString, Gauge32, TimeTicks, Counter32, Counter64 } = ObjectType;
  /** Columns by entry OID: [column number, type, value by ifIndex]. */
  const columns: [string, number, number, (ifIndex: number) => unknown][] = [
    [IF_ENTRY_OID, 1, Integer, configured((i) => i.ifIndex)],
    [IF_ENTRY_OID, 2, OctetString, configured((i) => i.name)],
    [IF_ENTRY_OID, 3, Integer, configured(() => IF_TYPE_ETHERNET)],
    [IF_ENTRY_OID, 5, Gauge32, configured((i) => gauge32(i.speedMbps * 1_000_000))],
    [IF_ENTRY_OID, 7, Integer, configured(() => IF_ADMIN_UP)],
    [IF_ENTRY_OID, 8, Integer, live((r) => r.operStatus)],
    [IF_ENTRY_OID, 9, TimeTicks, live((r) => r.lastChangeTicks)],
    [IF_ENTRY_OID, 10, Counter32, live((r) => r.inOctets)],
    [IF_ENTRY_OID, 13, Counter32, live((r) => r.inDiscards)],
    [IF_ENTRY_OID, 14, Counter32, live((r) => r.inErrors)],
    [IF_ENTRY_OID, 16, Counter32, live((r) => r.outOctets)],
    [IF_ENTRY_OID, 19, Counter32, live((r) => r.outDiscards)],
    [IF_ENTRY_OID, 20, Counter32, live((r) => r.outErrors)],
    [IFX_ENTRY_OID, 1, OctetString, configured((i) => i.name)],
    [IFX_ENTRY_OID, 6, Counter64, live((r) => counter64Buffer(r.hcInOctets))],
    [IFX_ENTRY_OID, 10, Counter64, live((r) => counter64Buffer(r.hcOutOctets))],
    [IFX_ENTRY_OID, 15, Gauge32, configured((i) => gauge32(i.speedMbps))],
    [IFX_ENTRY_OID, 18, OctetString, configured((i) => i.description)],
  ];
  return [
    scalar(`${SYSTEM_OID}.1`, OctetString, () => system.descr),
    scalar(`${SYSTEM_OID}.2`, ObjectType.OID, () => system.objectId),
    scalar(`${SYSTEM_OID}.3`, TimeTicks, () => reader.upTimeTicks()),
    scalar(`${SYSTEM_OID}.4`, OctetString, () => system.contact),
    scalar(`${SYSTEM_OID}.5`, OctetString, () => system.name),
    scalar(`${SYSTEM_OID}.6`, OctetString, () => system.location),
    scalar(IF_NUMBER_OID, Integer, () => interfaces.length),
    ...columns.map(([entry, number, type, read]): MibObject => ({
      oid: `${entry}.${String(number)}`,
      type,
      rows,
      read,
    })),
    ...lldpObjects(deps, rows),
    // Real agents serve more MIB after the ifXTable, so walks of it end on another object rather
    // than on endOfMibView. The engine group also tells a manager about reboots.
    scalar(`${SNMP_ENGINE_OID}.2`, Integer, () => reader.engineBoots()),
    scalar(`${SNMP_ENGINE_OID}.3`, Integer, () => reader.engineTimeS()),
  ];
}

/**
 * LLDP-MIB: the local chassis and ports (port id subtype interfaceName, lldpLocPortNum = ifIndex)
 * and one lldpRemTable entry per port with a neighbour now. A remote entry's index is
 * `<lldpRemTimeMark 0>.<lldpRemLocalPortNum>.<lldpRemIndex 1>`: each port's column cells are an
 * object of their own, with the single row 1, and have no value while the port hears nobody.
 */
function lldpObjects(deps: DeviceAgentDeps, ifIndexes: readonly number[]): MibObject[] {
  const { system, interfaces, reader, chassisId } = deps;
  const { Integer, OctetString } = snmp.ObjectType;
  const byIndex = new Map(interfaces.map((i) => [i.ifIndex, i]));
  const local = (
    column: number,
    type: number,
    pick: (i: AgentInterface) => unknown,
  ): MibObject => ({
    oid: `${LLDP_LOC_PORT_ENTRY_OID}.${String(column)}`,
    type,
    rows: ifIndexes,
    read: (ifIndex) => {
      const iface = byIndex.get(ifIndex);
      return iface === undefined ? undefined : pick(iface);
    },
  });
  const remote: [number, number, (n: LldpNeighbour) => unknown][] = [
    [4, Integer, () => CHASSIS_ID_MAC],
    [5, OctetString, (n) => n.chassisId],
    [6, Integer, () => PORT_ID_INTERFACE_NAME],
    [7, OctetString, (n) => n.portId],
    [8, OctetString, (n) => n.portDescription],
    [9, OctetString, (n) => n.sysName],
  ];
  return [
    { oid: `${LLDP_LOCAL_OID}.1`, type: Integer, rows: SCALAR_ROWS, read: () => CHASSIS_ID_MAC },
    { oid: `${LLDP_LOCAL_OID}.2`, type: OctetString, rows: SCALAR_ROWS, read: () => chassisId },
    { oid: `${LLDP_LOCAL_OID}.3`, type: OctetString, rows: SCALAR_ROWS, read: () => system.name },
    local(2, Integer, () => PORT_ID_INTERFACE_NAME),
    local(3, OctetString, (i) => i.name),
    local(4, OctetString, (i) => i.description),
    ...remote.flatMap(([column, type, pick]) =>
      ifIndexes.map((ifIndex): MibObject => ({
        oid: `${LLDP_REM_ENTRY_OID}.${String(column)}.0.${String(ifIndex)}`,
        type,
        rows: [1],
        read: () => {
          const neighbour = reader.lldpNeighbour(ifIndex);
          return neighbour === undefined ? undefined : pick(neighbour);
        },
      })),
    ),
  ];
}

/**
 * Makes net-snmp's agent answer from `view`: the agent still receives, authenticates, decrypts
 * and decodes each request and encodes and sends the response (v1, v2c or v3), but Get, GetNext
 * and GetBulk are answered by the view instead of the agent's MIB tree and provider handlers,
 * which cost several times the CPU and memory per interface. A Set is refused (every object is
 * read-only): notWritable for an existing instance, noCreation otherwise.
 */
function answerFromView(agent: Agent, view: MibView, logger: Logger): void {
  const respond =
    (
      answer: (message: RequestMessage) => {
        varbinds: Varbind[];
        errorStatus?: number;
        errorIndex?: number;
      },
    ) =>
    (socket: dgram.Socket, message: RequestMessage, rinfo: dgram.RemoteInfo): void => {
      const pdu = message.pdu.getResponsePduForRequest();
      try {
        Object.assign(pdu, answer(message));
      } catch (error) {
        // This runs inside net-snmp's socket listener, where a throw would crash the process.
        const index = error instanceof MibReadError ? error.index : 0;
        logger.warn(
          { err: error, oid: message.pdu.varbinds[index]?.oid },
          'agent failed to compute a value',
        );
        pdu.varbinds = [...message.pdu.varbinds];
        pdu.errorStatus = snmp.ErrorStatus.GeneralError;
        pdu.errorIndex = index + 1;
      }
      agent.sendResponse(socket, rinfo, message, pdu);
    };
  const oidsOf = (message: RequestMessage): string[] => message.pdu.varbinds.map((v) => v.oid);
  agent.getRequest = respond((message) => ({ varbinds: view.get(oidsOf(message)) }));
  agent.getNextRequest = respond((message) => ({ varbinds: view.next(oidsOf(message)) }));
  agent.getBulkRequest = respond(({ pdu }) => ({
    varbinds: view.bulk(pdu.nonRepeaters, pdu.maxRepetitions, oidsOf({ pdu })),
  }));
  agent.setRequest = respond(({ pdu }) => {
    // The first variable binding already fails the request: every object is read-only.
    const first = pdu.varbinds[0];
    if (first === undefined) return { varbinds: [] };
    return {
      varbinds: [...pdu.varbinds],
      errorStatus: view.has(first.oid) ? snmp.ErrorStatus.NotWritable : snmp.ErrorStatus.NoCreation,
      errorIndex: 1,
    };
  });
}

/**
 * Creates the agent of one device (see `deviceObjects` for what it serves), answering whichever
 * of Get, GetNext or GetBulk a manager uses with the values of the moment.
 */
export function createDeviceAgent(deps: DeviceAgentDeps): DeviceAgent {
  const { address, port, logger } = deps;
  const view = createMibView(deviceObjects(deps));
  let agent: Agent | undefined;

  return {
    async start() {
      let socket: dgram.Socket | undefined;
      // The agent binds asynchronously and reports bind errors only through its callback; the
      // socket is captured here to await 'listening' or 'error' and report the outcome.
      const created = snmp.createAgent(
        {
          address,
          port,
          transport: address.includes(':') ? 'udp6' : 'udp4',
          dgramModule: {
            createSocket: (type) => {
              socket = muteWhenSilent(dgram.createSocket(type), deps.isAnswering);
              return socket;
            },
          },
        },
        (error) => {
          // Called for every request; an error is a bad community, user or packet from a
          // manager. Its message may quote the community tried, so only the class is logged.
          if (error) logger.debug({ error: error.name }, 'agent rejected a request');
        },
      );
      const bound = socket;
      if (bound === undefined) throw new Error('net-snmp agent created no socket');
      await new Promise<void>((resolve, reject) => {
        const onListening = (): void => {
          bound.off('error', onError);
          resolve();
        };
        const onError = (error: Error): void => {
          bound.off('listening', onListening);
          try {
            bound.close();
          } catch {
            // Already closed: nothing to release.
          }
          reject(
            new Error(`cannot bind SNMP agent to ${address}:${String(port)}`, { cause: error }),
          );
        };
        bound.once('listening', onListening);
        bound.once('error', onError);
      });
      answerFromView(created, view, logger);
      const authorizer = created.getAuthorizer();
      if (deps.credentials.community !== undefined)
        authorizer.addCommunity(deps.credentials.community);
      if (deps.credentials.user !== undefined) authorizer.addUser(toUser(deps.credentials.user));
      agent = created;
    },
    async stop() {
      const current = agent;
      agent = undefined;
      if (current === undefined) return;
      await new Promise<void>((resolve) => {
        try {
          current.close(() => {
            resolve();
          });
        } catch (error) {
          // The socket already closed after an error: there is nothing left to release.
          logger.debug({ err: error }, 'agent socket was already closed');
          resolve();
        }
      });
    },
  };
}
