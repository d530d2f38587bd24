import snmp, { type Session } from 'net-snmp';
import type { Logger } from '@faultline/shared';

const TRAP_OIDS = {
  coldStart: '1.3.6.1.6.3.1.1.5.1',
  linkDown: '1.3.6.1.6.3.1.1.5.3',
  linkUp: '1.3.6.1.6.3.1.1.5.4',
} as const;
const IF_ENTRY_OID = '1.3.6.1.2.1.2.2.1';

/** A notification a simulated device sends. */
export type OutgoingTrap =
  | { readonly kind: 'coldStart' }
  | {
      readonly kind: 'linkDown' | 'linkUp';
      readonly ifIndex: number;
      /** ifAdminStatus: 1 up, 2 down. */
      readonly adminStatus: number;
      /** ifOperStatus: 1 up, 2 down. */
      readonly operStatus: number;
    };

/** Who sends: the device's address (the trap's UDP source) and the community it uses. */
export interface TrapOrigin {
  readonly address: string;
  readonly community: string;
  /** The device's sysUpTime, in hundredths of a second, for the trap's first varbind. */
  readonly upTimeTicks: number | undefined;
}

/** Sends SNMPv2c traps to one target, each from the address of the device it speaks for. */
export interface TrapSender {
  send(origin: TrapOrigin, trap: OutgoingTrap): Promise<void>;
  /** Closes every session; sends after this open new ones. */
  close(): void;
}

/** One varbind of an outgoing trap (an ObjectType number and an integer value). */
export interface TrapVarbind {
  readonly oid: string;
  readonly type: number;
  readonly value: number;
}

/** The varbinds of a trap after sysUpTime.0 and snmpTrapOID.0 (which net-snmp adds itself). */
export function trapVarbinds(trap: OutgoingTrap): { oid: string; varbinds: TrapVarbind[] } {
  if (trap.kind === 'coldStart') return { oid: TRAP_OIDS.coldStart, varbinds: [] };
  const suffix = `.${String(trap.ifIndex)}`;
  const { Integer } = snmp.ObjectType;
  return {
    oid: TRAP_OIDS[trap.kind],
    varbinds: [
      { oid: `${IF_ENTRY_OID}.1${suffix}`, type: Integer, value: trap.ifIndex },
      { oid: `${IF_ENTRY_OID}.7${suffix}`, type: Integer, value: trap.adminStatus },
      { oid: `${IF_ENTRY_OID}.8${suffix}`, type: Integer, value: trap.operStatus },
    ],
  };
}

/**
 * Creates a trap sender. It keeps one session per device address and community: each session's
 * socket is bound to the device's address (net-snmp's `sourceAddress`), so the receiver sees the
 * trap come from the device, as it would from a real one. Every 127.0.0.0/8 address is local on
 * Linux, so a loopback network needs no setup.
 */
export function createTrapSender(deps: {
  readonly target: { readonly host: string; readonly port: number };
  readonly logger: Logger;
}): TrapSender {
  const sessions = new Map<string, Session>();

  const sessionFor = (origin: TrapOrigin): Session => {
    const key = `${origin.address}\u0000${origin.community}`;
    const existing = sessions.get(key);
    if (existing) return existing;
    const session = snmp.createSession(deps.target.host, origin.community, {
      version: snmp.Version2c,
      trapPort: deps.target.port,
      sourceAddress: origin.address,
      transport: deps.target.host.includes(':') ? 'udp6' : 'udp4',
    });
    session.on('error', (error) => {
      // A socket error (e.g. the source address is not local) ends this session; the next send
      // opens a new one.
      deps.logger.warn({ err: error, source: origin.address }, 'trap session failed');
      if (sessions.get(key) === session) sessions.delete(key);
    });
    sessions.set(key, session);
    return session;
  };

  return {
    send(origin, trap) {
      const { oid, varbinds } = trapVarbinds(trap);
      return new Promise<void>((resolve, reject) => {
        try {
          // net-snmp replaces an upTime of 0 with the process uptime; 1 tick is the honest
          // nearest value right after a (re)boot.
          const options =
            origin.upTimeTicks === undefined ? {} : { upTime: Math.max(1, origin.upTimeTicks) };
          sessionFor(origin).trap(oid, [...varbinds], options, (error) => {
            if (error) {
              reject(
                new Error(`cannot send ${trap.kind} from ${origin.address}`, { cause: error }),
              );
            } else {
              resolve();
            }
          });
        } catch (error) {
          reject(new Error(`cannot send ${trap.kind} from ${origin.address}`, { cause: error }));
        }
      });
    },
    close() {
      for (const session of sessions.values()) {
        try {
          session.close();
        } catch {
          // A session whose socket already failed has nothing left to close.
        }
      }
      sessions.clear();
    },
  };
}
