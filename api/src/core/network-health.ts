import {
  operStatusName,
  type BusyInterface,
  type Device,
  type ErroredInterface,
  type ErrorRates,
  type InterfaceStatus,
  type NetworkHealth,
  type ServiceName,
} from '@faultline/shared';

/** What the last polls wrote for one interface (the `interface` measurement in InfluxDB). */
export interface PolledInterfaceNow extends Readonly<ErrorRates> {
  readonly device: string;
  readonly interface: string;
  /** Mean of the window's rates (these and the error rates); null when the window has none. */
  readonly inBps: number | null;
  readonly outBps: number | null;
  /** The last IF-MIB ifOperStatus number written, and when. */
  readonly operStatus: number | null;
  readonly lastPolledMs: number | null;
}

/** The window the health rates are means over. */
export const HEALTH_WINDOW_MS = 5 * 60_000;
/** The most busy interfaces the health summary lists, and the most errored. */
const BUSIEST_COUNT = 5;
const ERRORED_COUNT = 5;

/** The error and discard rates of a poll summary, null where there are none. */
function errorRates(last: PolledInterfaceNow | undefined): ErrorRates {
  return {
    inErrorsPs: last?.inErrorsPs ?? null,
    outErrorsPs: last?.outErrorsPs ?? null,
    inDiscardsPs: last?.inDiscardsPs ?? null,
    outDiscardsPs: last?.outDiscardsPs ?? null,
  };
}

/** Errors and discards per second, both directions together (0 without any rate). */
export function errorsAndDiscardsPs(rates: ErrorRates): number {
  return (
    (rates.inErrorsPs ?? 0) +
    (rates.outErrorsPs ?? 0) +
    (rates.inDiscardsPs ?? 0) +
    (rates.outDiscardsPs ?? 0)
  );
}

/** The larger direction of a rate pair in % of a speed; null without either rate. */
export function utilizationPercent(
  inBps: number | null,
  outBps: number | null,
  speedMbps: number,
): number | null {
  if (inBps === null && outBps === null) return null;
  return (Math.max(inBps ?? 0, outBps ?? 0) / (speedMbps * 1e6)) * 100;
}

const key = (device: string, iface: string) => `${device}\u0000${iface}`;

/** The polled values by device and interface name. */
function byInterface(polled: readonly PolledInterfaceNow[]): Map<string, PolledInterfaceNow> {
  return new Map(polled.map((p) => [key(p.device, p.interface), p]));
}

/** A device's configured interfaces with their last poll and the services they carry. */
export function interfaceStatuses(
  device: Pick<Device, 'name' | 'interfaces'>,
  polled: readonly PolledInterfaceNow[],
  services: readonly ServiceName[],
): InterfaceStatus[] {
  const now = byInterface(polled);
  return device.interfaces.map((entry) => {
    const last = now.get(key(device.name, entry.name));
    const inBps = last?.inBps ?? null;
    const outBps = last?.outBps ?? null;
    return {
      ifIndex: entry.ifIndex,
      name: entry.name,
      description: entry.description ?? null,
      speedMbps: entry.speedMbps,
      operStatus:
        last?.operStatus === null || last?.operStatus === undefined
          ? null
          : operStatusName(last.operStatus),
      inBps,
      outBps,
      utilizationPercent: utilizationPercent(inBps, outBps, entry.speedMbps),
      ...errorRates(last),
      lastPolledAt:
        last?.lastPolledMs === null || last?.lastPolledMs === undefined
          ? null
          : new Date(last.lastPolledMs).toISOString(),
      services: services.filter((s) => s.device === device.name && s.interface === entry.name),
    };
  });
}

/**
 * The network at a glance from the last polls: the busiest configured interfaces against their
 * speed, those that errored or discarded most packets, interfaces whose last status is not up, and
 * devices unreachable (from the topology) or silent (no poll written for three poll intervals, at
 * least the health window).
 */
export function networkHealth(
  devices: readonly Pick<Device, 'name' | 'interfaces' | 'pollIntervalS'>[],
  polled: readonly PolledInterfaceNow[],
  unreachable: readonly string[],
  nowMs: number,
): NetworkHealth {
  const now = byInterface(polled);
  const busy: BusyInterface[] = [];
  const errored: ErroredInterface[] = [];
  const down: NetworkHealth['interfacesDown'] = [];
  const silent: string[] = [];
  let interfacesPolled = 0;
  for (const device of devices) {
    const quietMs = Math.max(HEALTH_WINDOW_MS, 3 * device.pollIntervalS * 1000);
    let heard = false;
    for (const entry of device.interfaces) {
      const last = now.get(key(device.name, entry.name));
      if (last === undefined) continue;
      if (last.lastPolledMs !== null && nowMs - last.lastPolledMs <= quietMs) heard = true;
      if (last.inBps !== null || last.outBps !== null) interfacesPolled += 1;
      const status = last.operStatus === null ? null : operStatusName(last.operStatus);
      if (status !== null && status !== 'up') {
        down.push({ device: device.name, interface: entry.name, operStatus: status });
      }
      const rates = errorRates(last);
      const lostPs = errorsAndDiscardsPs(rates);
      if (lostPs > 0) {
        errored.push({
          device: device.name,
          ifIndex: entry.ifIndex,
          interface: entry.name,
          description: entry.description ?? null,
          ...rates,
          errorsAndDiscardsPs: lostPs,
        });
      }
      const utilization = utilizationPercent(last.inBps, last.outBps, entry.speedMbps);
      if (utilization === null) continue;
      busy.push({
        device: device.name,
        ifIndex: entry.ifIndex,
        interface: entry.name,
        description: entry.description ?? null,
        speedMbps: entry.speedMbps,
        inBps: last.inBps,
        outBps: last.outBps,
        utilizationPercent: utilization,
      });
    }
    if (!heard && device.interfaces.length > 0) silent.push(device.name);
  }
  busy.sort((a, b) => b.utilizationPercent - a.utilizationPercent);
  errored.sort((a, b) => b.errorsAndDiscardsPs - a.errorsAndDiscardsPs);
  return {
    windowMs: HEALTH_WINDOW_MS,
    busiest: busy.slice(0, BUSIEST_COUNT),
    errored: errored.slice(0, ERRORED_COUNT),
    interfacesPolled,
    interfacesConfigured: devices.reduce((sum, d) => sum + d.interfaces.length, 0),
    interfacesDown: down,
    unreachable: [...unreachable],
    silent,
    devices: devices.length,
  };
}
