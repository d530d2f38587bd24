/**
 * Reading what identifies one address over SNMP: the credentials are tried in order on the
 * system group, and the first that answers reads the interface tables and LLDP-MIB. This file
 * only knows how to read; the discovery run decides what to probe, how fast, and what it means.
 */
import snmp from 'net-snmp';
import type { DiscoveredInterface, DiscoveryConfig, SnmpUser } from '@faultline/shared';
import type { LldpDevice, LldpLocalPort, LldpPortId, LldpRemote } from '../core/lldp-links.js';
import { toSnmpUser } from './snmp-users.js';

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const SYS_OBJECT_ID = '1.3.6.1.2.1.1.2.0';
const SYS_NAME = '1.3.6.1.2.1.1.5.0';
const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IFX_ENTRY = '1.3.6.1.2.1.31.1.1.1';
const LLDP_LOC_CHASSIS_ID = '1.0.8802.1.1.2.1.3.2.0';
const LLDP_LOC_PORT_ENTRY = '1.0.8802.1.1.2.1.3.7.1';
const LLDP_REM_ENTRY = '1.0.8802.1.1.2.1.4.1.1';

/** The columns walked, each as `<entry>.<column>`. */
const COLUMNS = {
  ifDescr: `${IF_ENTRY}.2`,
  ifType: `${IF_ENTRY}.3`,
  ifSpeed: `${IF_ENTRY}.5`,
  ifName: `${IFX_ENTRY}.1`,
  ifHighSpeed: `${IFX_ENTRY}.15`,
  ifAlias: `${IFX_ENTRY}.18`,
  locPortIdSubtype: `${LLDP_LOC_PORT_ENTRY}.2`,
  locPortId: `${LLDP_LOC_PORT_ENTRY}.3`,
  remChassisId: `${LLDP_REM_ENTRY}.5`,
  remPortIdSubtype: `${LLDP_REM_ENTRY}.6`,
  remPortId: `${LLDP_REM_ENTRY}.7`,
  remSysName: `${LLDP_REM_ENTRY}.9`,
} as const;
type Column = keyof typeof COLUMNS;
/** GetBulk max-repetitions per walk request. */
const BULK_REPETITIONS = 50;

/** How one address is asked. */
export interface ProbeOptions {
  readonly port: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly credentials: DiscoveryConfig['credentials'];
  readonly users: readonly SnmpUser[];
}

/** What an address answered: nothing, or the device with its LLDP tables. */
export type ProbeResult =
  { readonly kind: 'silent' } | { readonly kind: 'found'; readonly device: LldpDevice };

function get(session: snmp.Session, oids: string[]): Promise<snmp.Varbind[]> {
  return new Promise((resolve, reject) => {
    session.get(oids, (error, varbinds) => {
      if (error) reject(error);
      else resolve(varbinds ?? []);
    });
  });
}

/** Every value under `column`, by the index after it (`24`, or `0.24.1` in lldpRemTable). */
function walk(session: snmp.Session, column: string): Promise<Map<string, unknown>> {
  return new Promise((resolve, reject) => {
    const values = new Map<string, unknown>();
    session.subtree(
      column,
      BULK_REPETITIONS,
      (varbinds) => {
        for (const varbind of varbinds) {
          if (!snmp.isVarbindError(varbind))
            values.set(varbind.oid.slice(column.length + 1), varbind.value);
        }
        return undefined;
      },
      (error) => {
        if (error) reject(error);
        else resolve(values);
      },
    );
  });
}

/** An OCTET STRING as text when it is printable, else as hex (MAC addresses, binary ids). */
export function octets(value: unknown): string {
  if (!Buffer.isBuffer(value)) return typeof value === 'string' ? value : '';
  const printable = value.every((byte) => byte >= 0x20 && byte < 0x7f);
  return printable ? value.toString('latin1') : value.toString('hex');
}

/** An OCTET STRING as hex, always (chassis ids compare byte for byte). */
function hex(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('hex') : '';
}

function integer(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function sessionFor(
  address: string,
  credential: DiscoveryConfig['credentials'][number],
  options: ProbeOptions,
): snmp.Session | undefined {
  const sessionOptions: snmp.SessionOptions = {
    port: options.port,
    timeout: options.timeoutMs,
    retries: options.retries,
    transport: 'udp4',
  };
  if (credential.version === '2c') {
    return snmp.createSession(address, credential.community, {
      ...sessionOptions,
      version: snmp.Version2c,
    });
  }
  const user = options.users.find((u) => u.name === credential.user);
  return user === undefined
    ? undefined
    : snmp.createV3Session(address, toSnmpUser(user), sessionOptions);
}

/** The interfaces from the if/ifX columns: ifName when there is one, else ifDescr. */
function interfacesOf(walked: Record<Column, Map<string, unknown>>): DiscoveredInterface[] {
  const indexes = new Set([...walked.ifDescr.keys(), ...walked.ifName.keys()]);
  return [...indexes]
    .map(Number)
    .filter((ifIndex) => Number.isInteger(ifIndex))
    .sort((a, b) => a - b)
    .map((ifIndex) => {
      const key = String(ifIndex);
      const highSpeed = integer(walked.ifHighSpeed.get(key));
      return {
        ifIndex,
        name: octets(walked.ifName.get(key)) || octets(walked.ifDescr.get(key)),
        alias: octets(walked.ifAlias.get(key)),
        speedMbps: highSpeed > 0 ? highSpeed : integer(walked.ifSpeed.get(key)) / 1_000_000,
        type: integer(walked.ifType.get(key)),
      };
    });
}

function localPortsOf(walked: Record<Column, Map<string, unknown>>): LldpLocalPort[] {
  return [...walked.locPortId.entries()].map(([key, value]) => ({
    portNum: Number(key),
    subtype: integer(walked.locPortIdSubtype.get(key)),
    id: octets(value),
  }));
}

/** lldpRemTable rows, indexed `<timeMark>.<localPortNum>.<remIndex>`. */
function remotesOf(walked: Record<Column, Map<string, unknown>>): LldpRemote[] {
  return [...walked.remChassisId.entries()].flatMap(([key, chassis]): LldpRemote[] => {
    const localPortNum = Number(key.split('.')[1]);
    if (!Number.isInteger(localPortNum)) return [];
    const port: LldpPortId = {
      subtype: integer(walked.remPortIdSubtype.get(key)),
      id: octets(walked.remPortId.get(key)),
    };
    return [
      { localPortNum, chassisId: hex(chassis), port, sysName: octets(walked.remSysName.get(key)) },
    ];
  });
}

/** Reads the tables of a device that answered its system group. */
async function readDevice(
  session: snmp.Session,
  address: string,
  credential: number,
  system: snmp.Varbind[],
): Promise<LldpDevice> {
  const [descr, objectId, name] = system.map((v) => (snmp.isVarbindError(v) ? undefined : v.value));
  const columns = Object.entries(COLUMNS) as [Column, string][];
  const walked = Object.fromEntries(
    await Promise.all(columns.map(async ([column, oid]) => [column, await walk(session, oid)])),
  ) as Record<Column, Map<string, unknown>>;
  const chassis = (await get(session, [LLDP_LOC_CHASSIS_ID]))[0];
  const chassisId = chassis === undefined || snmp.isVarbindError(chassis) ? '' : hex(chassis.value);
  return {
    device: {
      name: octets(name) || address,
      address,
      sysObjectId: typeof objectId === 'string' ? objectId : '',
      sysDescr: octets(descr),
      chassisId: chassisId === '' ? undefined : chassisId,
      credential,
      interfaces: interfacesOf(walked),
    },
    localPorts: localPortsOf(walked),
    remotes: remotesOf(walked),
  };
}

/**
 * Probes one address: each credential in order until one answers the system group (a wrong
 * community or v3 key looks like silence), then reads the device with it. An address that
 * answers none is `silent`; an error after it answered (a walk that fails) is thrown.
 */
export async function probeAddress(address: string, options: ProbeOptions): Promise<ProbeResult> {
  for (const [index, credential] of options.credentials.entries()) {
    const session = sessionFor(address, credential, options);
    if (session === undefined) continue;
    // A session's socket error (a closed socket) is reported by the request that fails.
    session.on('error', () => undefined);
    try {
      let system: snmp.Varbind[];
      try {
        system = await get(session, [SYS_DESCR, SYS_OBJECT_ID, SYS_NAME]);
      } catch {
        continue;
      }
      return { kind: 'found', device: await readDevice(session, address, index, system) };
    } finally {
      session.close();
    }
  }
  return { kind: 'silent' };
}
