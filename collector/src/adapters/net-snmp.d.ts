/**
 * Narrow local types for the parts of net-snmp 3.29 this collector uses. The published @types lag
 * behind and type the receiver as `any`; these follow the library's README and source. Only the
 * adapters import net-snmp.
 */
declare module 'net-snmp' {
  import type { RemoteInfo, SocketType } from 'node:dgram';

  namespace snmp {
    interface Varbind {
      oid: string;
      type: number;
      value: unknown;
    }

    /** Anything shaped like node:dgram's createSocket, to tune the sockets the library opens. */
    interface DgramModule {
      /** The receiver uses bind, send, address and close, and the socket's events. */
      createSocket(type: SocketType): NodeJS.EventEmitter;
    }

    interface ReceiverOptions {
      port?: number;
      address?: string | null;
      transport?: 'udp4' | 'udp6';
      disableAuthorization?: boolean;
      includeAuthentication?: boolean;
      engineID?: string;
      dgramModule?: DgramModule;
    }

    /** A received notification PDU; the v1 fields are present on Trap-PDUs only. */
    interface ReceivedPdu {
      type: number;
      id?: number;
      varbinds: Varbind[];
      community?: string;
      user?: string;
      enterprise?: string;
      agentAddr?: string;
      generic?: number;
      specific?: number;
      upTime?: number;
    }

    interface ReceivedNotification {
      pdu: ReceivedPdu;
      rinfo: RemoteInfo;
    }

    /** Errors from the library carry the sender of the offending packet when there was one. */
    interface SnmpError extends Error {
      rinfo?: RemoteInfo;
      code?: number;
      status?: number;
    }

    /** An SNMPv3 user as the library takes it: protocols and level are its numeric constants. */
    interface User {
      name: string;
      level: number;
      authProtocol?: number;
      authKey?: string;
      privProtocol?: number;
      privKey?: string;
    }

    interface Authorizer {
      addUser(user: User): void;
      addCommunity(community: string): void;
      getCommunities(): string[];
    }

    interface Receiver {
      getAuthorizer(): Authorizer;
      close(callback?: (socket: { address: string; family: string; port: number }) => void): void;
    }

    interface SessionOptions {
      port?: number;
      retries?: number;
      timeout?: number;
      backoff?: number;
      transport?: 'udp4' | 'udp6';
      version?: number;
      idBitsSize?: 16 | 32;
      dgramModule?: DgramModule;
    }

    type ResponseCallback = (error: SnmpError | null, varbinds?: Varbind[]) => void;

    interface Session {
      get(oids: string[], callback: ResponseCallback): void;
      /** Walks one subtree with GetBulk (v2c/v3); `feed` returning true stops the walk. */
      subtree(
        oid: string,
        maxRepetitions: number,
        feed: (varbinds: Varbind[]) => boolean | undefined,
        done: (error?: SnmpError | null) => void,
      ): void;
      close(): void;
      on(event: 'error', listener: (error: Error) => void): this;
      on(event: 'close', listener: () => void): this;
    }

    /** One definition of a parsed MIB module, as the library's parser leaves it. */
    interface MibEntry {
      ObjectName?: string;
      OID?: string;
      MACRO?: string;
    }

    /** The library's MIB parser with its translations. */
    interface ModuleStore {
      loadFromFile(fileName: string): void;
      getModule(moduleName: string): Record<string, MibEntry> | undefined;
      getModules(includeBase: boolean): Record<string, Record<string, MibEntry>>;
      getModuleNames(includeBase: boolean): string[];
    }

    function createModuleStore(options?: { baseModules?: string[] }): ModuleStore;

    const SecurityLevel: {
      readonly noAuthNoPriv: number;
      readonly authNoPriv: number;
      readonly authPriv: number;
    };
    const AuthProtocols: Readonly<
      Record<'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512', number>
    >;
    const PrivProtocols: Readonly<Record<'des' | 'aes' | 'aes256b' | 'aes256r', number>>;
    const Version1: number;
    const Version2c: number;
    const Version3: number;
    const PduType: {
      readonly Trap: number;
      readonly TrapV2: number;
      readonly InformRequest: number;
    };

    function createReceiver(
      options: ReceiverOptions,
      callback: (error: SnmpError | null, notification: ReceivedNotification | null) => void,
    ): Receiver;
    function createSession(target: string, community: string, options?: SessionOptions): Session;
    function createV3Session(target: string, user: User, options?: SessionOptions): Session;
    function isVarbindError(varbind: Varbind): boolean;
    function varbindError(varbind: Varbind): string;

    /** What a request fails with when no answer came within its timeout and retries. */
    class RequestTimedOutError extends Error {}
  }

  export = snmp;
}
