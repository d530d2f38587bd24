// Narrow types for the parts of net-snmp 3.29 this package uses: the library ships no types and
// @types/net-snmp lags (it types the agent as any). Checked against node_modules/net-snmp/index.js.
declare module 'net-snmp' {
  import type * as dgram from 'node:dgram';

  interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }

  /** A decoded request PDU, as the agent's request methods receive it. */
  interface RequestPdu {
    readonly type: number;
    readonly nonRepeaters: number;
    readonly maxRepetitions: number;
    readonly varbinds: readonly Varbind[];
    getResponsePduForRequest(): ResponsePdu;
  }

  interface ResponsePdu {
    varbinds: Varbind[];
    errorStatus?: number;
    errorIndex?: number;
  }

  /** An authenticated (and decrypted) request message: v1, v2c or v3. */
  interface RequestMessage {
    readonly pdu: RequestPdu;
  }

  /** How the agent answers one request message of each PDU type. */
  type RequestMethod = (
    socket: dgram.Socket,
    message: RequestMessage,
    rinfo: dgram.RemoteInfo,
  ) => void;

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
    getAuthorizer(): Authorizer;
    /**
     * Not in the agent's README: the methods `onMsg` calls once a message is authenticated and
     * decoded, per PDU type (index.js, Agent.prototype). An instance may replace them.
     */
    getRequest: RequestMethod;
    getNextRequest: RequestMethod;
    getBulkRequest: RequestMethod;
    setRequest: RequestMethod;
    /** Encodes the response in the request's version and security, and sends it back. */
    sendResponse(
      socket: dgram.Socket,
      rinfo: dgram.RemoteInfo,
      message: RequestMessage,
      pdu: ResponsePdu,
    ): void;
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
    readonly ErrorStatus: {
      readonly GeneralError: number;
      readonly NoCreation: number;
      readonly NotWritable: number;
    };
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
  export type { Agent, RequestMessage, RequestMethod, Session, User, Varbind };
}
