import type { TrapPacketSpec } from './trap-packet.js';

const TRAP_OIDS = {
  authenticationFailure: '1.3.6.1.6.3.1.1.5.5',
  linkDown: '1.3.6.1.6.3.1.1.5.3',
  linkUp: '1.3.6.1.6.3.1.1.5.4',
} as const;
const IF_ENTRY_OID = '1.3.6.1.2.1.2.2.1';

/**
 * The packet a storm repeats: an authenticationFailure (a classic storm: a misconfigured manager
 * hammering a device), or linkDown/linkUp of one port with the IF-MIB varbinds a device sends.
 */
export function stormPacket(spec: {
  readonly community: string;
  readonly upTimeTicks: number;
  readonly trap: keyof typeof TRAP_OIDS;
  readonly ifIndex: number | undefined;
}): TrapPacketSpec {
  const base = { community: spec.community, upTimeTicks: spec.upTimeTicks };
  if (spec.trap === 'authenticationFailure' || spec.ifIndex === undefined) {
    return { ...base, trapOid: TRAP_OIDS.authenticationFailure, varbinds: [] };
  }
  const suffix = `.${String(spec.ifIndex)}`;
  const status = spec.trap === 'linkUp' ? 1 : 2;
  return {
    ...base,
    trapOid: TRAP_OIDS[spec.trap],
    varbinds: [
      { oid: `${IF_ENTRY_OID}.1${suffix}`, value: spec.ifIndex },
      { oid: `${IF_ENTRY_OID}.7${suffix}`, value: 1 },
      { oid: `${IF_ENTRY_OID}.8${suffix}`, value: status },
    ],
  };
}
