import * as dgram from 'node:dgram';
import snmp, { type Agent, type MibRequest, type TableColumn, type User } from 'net-snmp';
import type { Config, Logger } from '@faultline/shared';
import type { InterfaceReading } from '../core/counters.js';

const SYSTEM_OID = '1.3.6.1.2.1.1';
const IF_NUMBER_OID = '1.3.6.1.2.1.2.1';
const IF_ENTRY_OID = '1.3.6.1.2.1.2.2.1';
const IFX_ENTRY_OID = '1.3.6.1.2.1.31.1.1.1';
/** SNMP-FRAMEWORK-MIB snmpEngine group. */
const SNMP_ENGINE_OID = '1.3.6.1.6.3.10.2.1';
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
}

/** Everything one device's agent needs. */
export interface DeviceAgentDeps {
  readonly address: string;
  readonly port: number;
  readonly credentials: AgentCredentials;
  readonly system: AgentSystem;
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

function column(number: number, name: string, type: number): TableColumn {
  return { number, name, type, maxAccess: snmp.MaxAccess['read-only'] };
}

/** Counter64 values must be 8-byte Buffers: a number or BigInt crashes the agent on read. */
export function counter64Buffer(value: bigint): Buffer {
  const buffer = Buffer.alloc(8);
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
 * Creates the agent of one device: the SNMPv2-MIB system group, ifNumber, the ifTable and the
 * ifXTable rows of the configured interfaces. Static values are stored in the MIB at start; live
 * ones (sysUpTime, oper status, last change, octet counters) are computed by provider handlers
 * each time a manager reads them, whichever of Get, GetNext or GetBulk it uses.
 */
export function createDeviceAgent(deps: DeviceAgentDeps): DeviceAgent {
  const { address, port, system, interfaces, reader, logger } = deps;
  let agent: Agent | undefined;

  /**
   * Fills the instance node of a table cell with its live value, if the column is live. A
   * handler runs inside net-snmp's socket listener, where a throw would crash the process.
   */
  const serveCell =
    (entryOid: string, live: (columnNumber: number, reading: InterfaceReading) => unknown) =>
    (request: MibRequest): void => {
      try {
        if (request.operation !== snmp.PduType.SetRequest) {
          const [columnNumber, ifIndex] = request.oid
            .slice(entryOid.length + 1)
            .split('.')
            .map(Number);
          const reading = ifIndex === undefined ? undefined : reader.readInterface(ifIndex);
          const value =
            reading === undefined || columnNumber === undefined
              ? undefined
              : live(columnNumber, reading);
          if (value !== undefined) request.instanceNode.value = value;
        }
        request.done();
      } catch (error) {
        logger.warn({ err: error, oid: request.oid }, 'agent failed to compute a value');
        request.done({ errorStatus: snmp.ErrorStatus.GeneralError });
      }
    };

  const populate = (target: Agent): void => {
    const mib = target.getMib();
    const { ObjectType, MibProviderType, MaxAccess } = snmp;
    const liveScalar = (name: string, oid: string, type: number, read: () => number): void => {
      mib.registerProvider({
        name,
        type: MibProviderType.Scalar,
        oid,
        scalarType: type,
        maxAccess: MaxAccess['read-only'],
        handler: (request: MibRequest) => {
          try {
            request.instanceNode.value = read();
            request.done();
          } catch (error) {
            logger.warn({ err: error, oid }, 'agent failed to compute a value');
            request.done({ errorStatus: snmp.ErrorStatus.GeneralError });
          }
        },
      });
      mib.setScalarValue(name, read());
    };
    const scalar = (name: string, sub: number, type: number, value: unknown): void => {
      mib.registerProvider({
        name,
        type: MibProviderType.Scalar,
        oid: `${SYSTEM_OID}.${String(sub)}`,
        scalarType: type,
        maxAccess: MaxAccess['read-only'],
      });
      mib.setScalarValue(name, value);
    };
    scalar('sysDescr', 1, ObjectType.OctetString, system.descr);
    scalar('sysObjectID', 2, ObjectType.OID, system.objectId);
    liveScalar('sysUpTime', `${SYSTEM_OID}.3`, ObjectType.TimeTicks, () => reader.upTimeTicks());
    scalar('sysContact', 4, ObjectType.OctetString, system.contact);
    scalar('sysName', 5, ObjectType.OctetString, system.name);
    scalar('sysLocation', 6, ObjectType.OctetString, system.location);
    mib.registerProvider({
      name: 'ifNumber',
      type: MibProviderType.Scalar,
      oid: IF_NUMBER_OID,
      scalarType: ObjectType.Integer,
      maxAccess: MaxAccess['read-only'],
    });
    mib.setScalarValue('ifNumber', interfaces.length);

    mib.registerProvider({
      name: 'ifTable',
      type: MibProviderType.Table,
      oid: IF_ENTRY_OID,
      maxAccess: MaxAccess['not-accessible'],
      tableColumns: [
        column(1, 'ifIndex', ObjectType.Integer),
        column(2, 'ifDescr', ObjectType.OctetString),
        column(3, 'ifType', ObjectType.Integer),
        column(5, 'ifSpeed', ObjectType.Gauge32),
        column(7, 'ifAdminStatus', ObjectType.Integer),
        column(8, 'ifOperStatus', ObjectType.Integer),
        column(9, 'ifLastChange', ObjectType.TimeTicks),
        column(10, 'ifInOctets', ObjectType.Counter32),
        column(16, 'ifOutOctets', ObjectType.Counter32),
      ],
      tableIndex: [{ columnName: 'ifIndex' }],
      handler: serveCell(IF_ENTRY_OID, (columnNumber, reading) => {
        switch (columnNumber) {
          case 8:
            return reading.operStatus;
          case 9:
            return reading.lastChangeTicks;
          case 10:
            return reading.inOctets;
          case 16:
            return reading.outOctets;
          default:
            return undefined;
        }
      }),
    });
    mib.registerProvider({
      name: 'ifXTable',
      type: MibProviderType.Table,
      oid: IFX_ENTRY_OID,
      maxAccess: MaxAccess['not-accessible'],
      tableColumns: [
        column(1, 'ifName', ObjectType.OctetString),
        column(6, 'ifHCInOctets', ObjectType.Counter64),
        column(10, 'ifHCOutOctets', ObjectType.Counter64),
        column(15, 'ifHighSpeed', ObjectType.Gauge32),
        column(18, 'ifAlias', ObjectType.OctetString),
      ],
      tableAugments: 'ifTable',
      handler: serveCell(IFX_ENTRY_OID, (columnNumber, reading) => {
        switch (columnNumber) {
          case 6:
            return counter64Buffer(reading.hcInOctets);
          case 10:
            return counter64Buffer(reading.hcOutOctets);
          default:
            return undefined;
        }
      }),
    });
    for (const iface of interfaces) {
      const reading = reader.readInterface(iface.ifIndex);
      if (reading === undefined) continue;
      const speedBps = iface.speedMbps * 1_000_000;
      mib.addTableRow('ifTable', [
        iface.ifIndex,
        iface.name,
        IF_TYPE_ETHERNET,
        Math.min(Math.round(speedBps), GAUGE32_MAX),
        IF_ADMIN_UP,
        reading.operStatus,
        reading.lastChangeTicks,
        reading.inOctets,
        reading.outOctets,
      ]);
      mib.addTableRow('ifXTable', [
        iface.ifIndex,
        iface.name,
        counter64Buffer(reading.hcInOctets),
        counter64Buffer(reading.hcOutOctets),
        Math.min(Math.round(iface.speedMbps), GAUGE32_MAX),
        iface.description,
      ]);
    }
    // Real agents serve more MIB after the ifXTable; without a node after it, net-snmp's agent
    // pads every GetBulk that reaches the end with endOfMibView varbinds, which snmpbulkwalk
    // prints as errors. The engine group also tells a manager about reboots.
    liveScalar('snmpEngineBoots', `${SNMP_ENGINE_OID}.2`, ObjectType.Integer, () =>
      reader.engineBoots(),
    );
    liveScalar('snmpEngineTime', `${SNMP_ENGINE_OID}.3`, ObjectType.Integer, () =>
      reader.engineTimeS(),
    );
    const authorizer = target.getAuthorizer();
    if (deps.credentials.community !== undefined)
      authorizer.addCommunity(deps.credentials.community);
    if (deps.credentials.user !== undefined) authorizer.addUser(toUser(deps.credentials.user));
  };

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
      populate(created);
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
