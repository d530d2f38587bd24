/**
 * Reading the interface tables of one device: GETs of the configured interfaces, GetBulk walks of
 * the columns for devices with many interfaces, and the 32-bit fallbacks. The poller schedules
 * these reads; this file only knows how to read.
 */
import snmp from 'net-snmp';
import type { Device } from '@faultline/shared';
import type { DevicePoll, PolledInterface } from '../core/interface-points.js';
import { counterValue } from '../core/varbind.js';
import type { Clock } from '../ports.js';

/** The OIDs polled: SNMPv2-MIB sysUpTime and IF-MIB columns, each followed by `.ifIndex`. */
export const POLL_OIDS = {
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
  ifHighSpeed: '1.3.6.1.2.1.31.1.1.1.15',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifInOctets: '1.3.6.1.2.1.2.2.1.10',
  ifOutOctets: '1.3.6.1.2.1.2.2.1.16',
  ifSpeed: '1.3.6.1.2.1.2.2.1.5',
  ifInDiscards: '1.3.6.1.2.1.2.2.1.13',
  ifInErrors: '1.3.6.1.2.1.2.2.1.14',
  ifOutDiscards: '1.3.6.1.2.1.2.2.1.19',
  ifOutErrors: '1.3.6.1.2.1.2.2.1.20',
} as const;

/**
 * The ifTable packet counters read beside the octets of every interface, 64-bit or not (IF-MIB
 * has no 64-bit errors or discards), in the order `packetCounters` takes them.
 */
const PACKET_COLUMNS = [
  POLL_OIDS.ifInErrors,
  POLL_OIDS.ifOutErrors,
  POLL_OIDS.ifInDiscards,
  POLL_OIDS.ifOutDiscards,
] as const;

/**
 * Interfaces per GET: eight columns each, so 33 varbinds at most, which keeps every request and
 * response well under one MTU.
 */
const INTERFACES_PER_REQUEST = 4;
/**
 * From this many configured interfaces on, the 64-bit and packet columns are walked with GetBulk
 * instead of read by GET: eight walks of the whole table cost fewer round trips than a GET per 4
 * interfaces.
 */
export const BULK_MIN_INTERFACES = 32;
/** GetBulk max-repetitions per walk request. */
const BULK_REPETITIONS = 40;
const NO_SUCH_NAME = 2;

function get(session: snmp.Session, oids: string[]): Promise<snmp.Varbind[]> {
  return new Promise((resolve, reject) => {
    session.get(oids, (error, varbinds) => {
      if (error) reject(error);
      else resolve(varbinds ?? []);
    });
  });
}

/** Every varbind under `column`, by its last sub-identifier (the ifIndex). */
function walkColumn(session: snmp.Session, column: string): Promise<Map<number, snmp.Varbind>> {
  return new Promise((resolve, reject) => {
    const values = new Map<number, snmp.Varbind>();
    session.subtree(
      column,
      BULK_REPETITIONS,
      (varbinds) => {
        for (const varbind of varbinds) {
          if (snmp.isVarbindError(varbind)) continue;
          const ifIndex = Number(varbind.oid.slice(column.length + 1));
          if (Number.isInteger(ifIndex)) values.set(ifIndex, varbind);
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

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A varbind's value when it is not an exception (noSuchObject, noSuchInstance, endOfMibView). */
function present(varbind: snmp.Varbind | undefined): unknown {
  return varbind === undefined || snmp.isVarbindError(varbind) ? undefined : varbind.value;
}

function integer(varbind: snmp.Varbind | undefined): number | undefined {
  const value = present(varbind);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function counter(varbind: snmp.Varbind | undefined): bigint | undefined {
  return counterValue(present(varbind));
}

/** An interface's error and discard counters, given its varbind of each `PACKET_COLUMNS` column. */
function packetCounters(
  at: (column: number) => snmp.Varbind | undefined,
): Pick<PolledInterface, 'inErrors' | 'outErrors' | 'inDiscards' | 'outDiscards'> {
  const [inErrors, outErrors, inDiscards, outDiscards] = PACKET_COLUMNS.map((_, n) =>
    counter(at(n)),
  );
  return {
    ...(inErrors === undefined ? {} : { inErrors }),
    ...(outErrors === undefined ? {} : { outErrors }),
    ...(inDiscards === undefined ? {} : { inDiscards }),
    ...(outDiscards === undefined ? {} : { outDiscards }),
  };
}

/** ifSpeed saturates at 2^32−1 for interfaces faster than 4.29 Gbit/s: then it says nothing. */
function ifSpeedBps(varbind: snmp.Varbind | undefined): number | undefined {
  const speed = integer(varbind);
  return speed === undefined || speed <= 0 || speed >= 4_294_967_295 ? undefined : speed;
}

/**
 * One device's SNMP session and the knowledge gained about it: which interfaces have no 64-bit
 * counters (asked for 32-bit ones directly from then on).
 */
export interface DeviceSession {
  readonly device: Device;
  readonly session: snmp.Session;
  readonly version: '1' | '2c' | '3';
  readonly only32Bit: Set<number>;
}

/**
 * Reads 64-bit counters (ifXTable) of the given interfaces, with sysUpTime when asked; interfaces
 * whose agent has no ifHC counters are returned in `missing`.
 */
async function read64(
  target: DeviceSession,
  ifIndexes: readonly number[],
  withUptime: boolean,
): Promise<{ uptimeTicks?: number; interfaces: PolledInterface[]; missing: number[] }> {
  const columns = [
    POLL_OIDS.ifHCInOctets,
    POLL_OIDS.ifHCOutOctets,
    POLL_OIDS.ifHighSpeed,
    POLL_OIDS.ifOperStatus,
    ...PACKET_COLUMNS,
  ];
  const oids = ifIndexes.flatMap((i) => columns.map((c) => `${c}.${String(i)}`));
  const varbinds = await get(target.session, withUptime ? [POLL_OIDS.sysUpTime, ...oids] : oids);
  const offset = withUptime ? 1 : 0;
  const uptimeTicks = withUptime ? integer(varbinds[0]) : undefined;
  const interfaces: PolledInterface[] = [];
  const missing: number[] = [];
  ifIndexes.forEach((ifIndex, n) => {
    const at = (column: number): snmp.Varbind | undefined =>
      varbinds[offset + n * columns.length + column];
    const inOctets = counter(at(0));
    const outOctets = counter(at(1));
    if (inOctets === undefined && outOctets === undefined) {
      missing.push(ifIndex);
      return;
    }
    const highSpeedMbps = integer(at(2));
    const operStatus = integer(at(3));
    interfaces.push({
      ifIndex,
      width: 64,
      ...(inOctets === undefined ? {} : { inOctets }),
      ...(outOctets === undefined ? {} : { outOctets }),
      ...(highSpeedMbps === undefined || highSpeedMbps <= 0
        ? {}
        : { speedBps: highSpeedMbps * 1e6 }),
      ...(operStatus === undefined ? {} : { operStatus }),
      ...packetCounters((n) => at(4 + n)),
    });
  });
  return { ...(uptimeTicks === undefined ? {} : { uptimeTicks }), interfaces, missing };
}

/**
 * Reads the 64-bit columns (and the packet counters) of many interfaces by walking each column with GetBulk, then keeps the
 * configured ones; like `read64`, interfaces without ifHC counters come back in `missing`.
 */
async function readBulk64(
  target: DeviceSession,
  ifIndexes: readonly number[],
): Promise<{ uptimeTicks?: number; interfaces: PolledInterface[]; missing: number[] }> {
  const uptimeTicks = integer((await get(target.session, [POLL_OIDS.sysUpTime]))[0]);
  const inOctets = await walkColumn(target.session, POLL_OIDS.ifHCInOctets);
  const outOctets = await walkColumn(target.session, POLL_OIDS.ifHCOutOctets);
  const highSpeed = await walkColumn(target.session, POLL_OIDS.ifHighSpeed);
  const operStatus = await walkColumn(target.session, POLL_OIDS.ifOperStatus);
  const packets: Map<number, snmp.Varbind>[] = [];
  for (const column of PACKET_COLUMNS) packets.push(await walkColumn(target.session, column));
  const interfaces: PolledInterface[] = [];
  const missing: number[] = [];
  for (const ifIndex of ifIndexes) {
    const inValue = counter(inOctets.get(ifIndex));
    const outValue = counter(outOctets.get(ifIndex));
    if (inValue === undefined && outValue === undefined) {
      missing.push(ifIndex);
      continue;
    }
    const highSpeedMbps = integer(highSpeed.get(ifIndex));
    const status = integer(operStatus.get(ifIndex));
    interfaces.push({
      ifIndex,
      width: 64,
      ...(inValue === undefined ? {} : { inOctets: inValue }),
      ...(outValue === undefined ? {} : { outOctets: outValue }),
      ...(highSpeedMbps === undefined || highSpeedMbps <= 0
        ? {}
        : { speedBps: highSpeedMbps * 1e6 }),
      ...(status === undefined ? {} : { operStatus: status }),
      ...packetCounters((n) => packets[n]?.get(ifIndex)),
    });
  }
  return { ...(uptimeTicks === undefined ? {} : { uptimeTicks }), interfaces, missing };
}

/** Reads 32-bit counters (ifTable). In SNMPv1 one missing OID fails the whole request, so a failed batch is retried one interface at a time. */
async function read32(
  target: DeviceSession,
  ifIndexes: readonly number[],
  withUptime: boolean,
): Promise<{ uptimeTicks?: number; interfaces: PolledInterface[] }> {
  const columns = [
    POLL_OIDS.ifInOctets,
    POLL_OIDS.ifOutOctets,
    POLL_OIDS.ifSpeed,
    POLL_OIDS.ifOperStatus,
    ...PACKET_COLUMNS,
  ];
  const oids = ifIndexes.flatMap((i) => columns.map((c) => `${c}.${String(i)}`));
  let varbinds: snmp.Varbind[];
  try {
    varbinds = await get(target.session, withUptime ? [POLL_OIDS.sysUpTime, ...oids] : oids);
  } catch (error) {
    const status = (error as snmp.SnmpError).status;
    if (target.version !== '1' || status !== NO_SUCH_NAME || ifIndexes.length === 1) throw error;
    const uptime = withUptime
      ? integer((await get(target.session, [POLL_OIDS.sysUpTime]))[0])
      : undefined;
    const interfaces: PolledInterface[] = [];
    for (const ifIndex of ifIndexes) {
      const single = await read32(target, [ifIndex], false).catch(() => ({ interfaces: [] }));
      interfaces.push(...single.interfaces);
    }
    return { ...(uptime === undefined ? {} : { uptimeTicks: uptime }), interfaces };
  }
  const offset = withUptime ? 1 : 0;
  const uptimeTicks = withUptime ? integer(varbinds[0]) : undefined;
  const interfaces: PolledInterface[] = [];
  ifIndexes.forEach((ifIndex, n) => {
    const at = (column: number): snmp.Varbind | undefined =>
      varbinds[offset + n * columns.length + column];
    const inOctets = counter(at(0));
    const outOctets = counter(at(1));
    const speedBps = ifSpeedBps(at(2));
    const operStatus = integer(at(3));
    if (inOctets === undefined && outOctets === undefined && operStatus === undefined) return;
    interfaces.push({
      ifIndex,
      width: 32,
      ...(inOctets === undefined ? {} : { inOctets }),
      ...(outOctets === undefined ? {} : { outOctets }),
      ...(speedBps === undefined ? {} : { speedBps }),
      ...(operStatus === undefined ? {} : { operStatus }),
      ...packetCounters((n) => at(4 + n)),
    });
  });
  return { ...(uptimeTicks === undefined ? {} : { uptimeTicks }), interfaces };
}

/**
 * Polls the configured interfaces of one device: sysUpTime, then ifHCIn/OutOctets, ifHighSpeed,
 * ifOperStatus and the ifTable error and discard counters (by GET, or by GetBulk walks from `BULK_MIN_INTERFACES` interfaces on), falling
 * back to the 32-bit ifIn/OutOctets and ifSpeed for interfaces without ifXTable counters (and
 * always for SNMPv1, which has no Counter64). A device without configured interfaces is asked
 * for sysUpTime alone: that is its reachability check.
 */
export async function pollDevice(target: DeviceSession, clock: Clock): Promise<DevicePoll> {
  const all = target.device.interfaces.map((i) => i.ifIndex);
  const interfaces: PolledInterface[] = [];
  let uptimeTicks: number | undefined;
  let needUptime = true;
  const wide = target.version === '1' ? [] : all.filter((i) => !target.only32Bit.has(i));
  const narrow = all.filter((i) => !wide.includes(i));
  const bulk = wide.length >= BULK_MIN_INTERFACES;
  const reads = bulk
    ? [() => readBulk64(target, wide)]
    : chunks(wide, INTERFACES_PER_REQUEST).map((chunk) => () => read64(target, chunk, needUptime));
  for (const readChunk of reads) {
    const read = await readChunk();
    if (needUptime) uptimeTicks = read.uptimeTicks;
    needUptime = false;
    interfaces.push(...read.interfaces);
    for (const ifIndex of read.missing) {
      target.only32Bit.add(ifIndex);
      narrow.push(ifIndex);
    }
  }
  for (const chunk of chunks(narrow, INTERFACES_PER_REQUEST)) {
    const read = await read32(target, chunk, needUptime);
    if (needUptime) uptimeTicks = read.uptimeTicks;
    needUptime = false;
    interfaces.push(...read.interfaces);
  }
  if (needUptime) uptimeTicks = integer((await get(target.session, [POLL_OIDS.sysUpTime]))[0]);
  return {
    device: target.device.name,
    timeMs: clock(),
    ...(uptimeTicks === undefined ? {} : { uptimeTicks }),
    interfaces,
  };
}
