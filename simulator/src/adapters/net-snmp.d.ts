// Narrow types for the parts of net-snmp 3.29 this package uses: the library ships no types and
// @types/net-snmp lags (it types the agent as any). Checked against node_modules/net-snmp/index.js.
declare module 'net-snmp' {
  import type * as dgram from 'node:dgram';

  interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }

  interface MibRequest {
    /** The instance OID being read or written, dotted decimal. */
    readonly oid: string;
    /** The PDU type of the request (PduType). */
    readonly operation: number;
    /** The MIB node holding the value; the response takes its value when done() is called. */
    readonly instanceNode: { value: unknown };
    done(error?: { errorStatus: number; type?: number; value?: unknown }): void;
  }

  interface TableColumn {
    number: number;
    name: string;
    type: number;
    maxAccess: number;
  }

  interface ScalarProvider {
    name: string;
    type: number;
    oid: string;
    scalarType: number;
    maxAccess: number;
    handler?: (request: MibRequest) => void;
  }

  interface TableProvider {
    name: string;
    type: number;
    /** The entry OID (e.g. ifEntry 1.3.6.1.2.1.2.2.1), not the table OID. */
    oid: string;
    maxAccess: number;
    tableColumns: TableColumn[];
    tableIndex?: { columnName: string }[];
    tableAugments?: string;
    handler?: (request: MibRequest) => void;
  }

  interface Mib {
    registerProvider(provider: ScalarProvider | TableProvider): void;
    setScalarValue(name: string, value: unknown): void;
    addTableRow(name: string, row: unknown[]): void;
  }

  interface User {
    name: string;
    level: number;
    authProtocol?: number;
    authKey?: string;
    privProtocol?: number;
    privKey?: string;
  }

  interface Authorizer {
    addCommunity(community: string): void;
    addUser(user: User): void;
  }

  interface Agent {
    getMib(): Mib;
    getAuthorizer(): Authorizer;
    /** Calls `callback` once per listening socket after it closed. */
    close(callback?: (socket: unknown) => void): void;
  }

  interface AgentOptions {
    port: number;
    address: string;
    transport?: 'udp4' | 'udp6';
    disableAuthorization?: boolean;
    engineID?: string;
    /** Not in the agent's README, but its listener honours it (index.js, Listener). */
    dgramModule?: { createSocket(type: dgram.SocketType): dgram.Socket };
  }

  interface Session {
    trap(
      typeOrOid: string,
      varbinds: Varbind[],
      options: { upTime?: number },
      callback: (error: Error | null) => void,
    ): void;
    close(): void;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  interface SessionOptions {
    version: number;
    trapPort?: number;
    sourceAddress?: string;
    transport?: 'udp4' | 'udp6';
  }

  interface NetSnmp {
    readonly ObjectType: {
      readonly Integer: number;
      readonly OctetString: number;
      readonly OID: number;
      readonly Counter32: number;
      readonly Gauge32: number;
      readonly TimeTicks: number;
      readonly Counter64: number;
    };
    readonly MibProviderType: { readonly Scalar: number; readonly Table: number };
    readonly MaxAccess: { readonly 'read-only': number; readonly 'not-accessible': number };
    readonly ErrorStatus: { readonly GeneralError: number };
    readonly PduType: { readonly SetRequest: number };
    readonly Version2c: number;
    readonly SecurityLevel: {
      readonly noAuthNoPriv: number;
      readonly authNoPriv: number;
      readonly authPriv: number;
    };
    readonly AuthProtocols: Readonly<Record<string, number | undefined>>;
    readonly PrivProtocols: Readonly<Record<string, number | undefined>>;
    createAgent(
      options: AgentOptions,
      callback: (error: Error | null, data: unknown) => void,
    ): Agent;
    createSession(target: string, community: string, options: SessionOptions): Session;
  }

  const snmp: NetSnmp;
  export default snmp;
  export type { Agent, MibRequest, Session, TableColumn, User, Varbind };
}
