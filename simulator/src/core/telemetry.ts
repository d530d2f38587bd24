import type { Config, TelemetryMessage } from '@faultline/shared';
import { fnv1a32, unitFromSeed } from './hash.js';

/** The metrics a simulated device publishes. */
export const TELEMETRY_METRICS = {
  opticalRx: 'optical_rx_dbm',
  temperature: 'temperature_c',
  cpu: 'cpu_percent',
} as const;

/** Received power a transceiver reports with no light (link down): the bottom of its range. */
export const NO_LIGHT_DBM = -40;

/** What the telemetry of one interface depends on at one instant. */
export interface TelemetryPort {
  readonly name: string;
  readonly operUp: boolean;
  /** Received power a scenario forces, or undefined for the port's normal level. */
  readonly forcedDbm: number | undefined;
  /** Current utilisation, 0 to 1 (heats the box and loads its CPU). */
  readonly utilization: number;
}

/** What the telemetry of one device depends on at one instant. */
export interface TelemetryDevice {
  readonly name: string;
  /** Optical ports: uplinks and customer-facing interfaces. */
  readonly opticalPorts: readonly TelemetryPort[];
  /** Mean utilisation over all its interfaces, 0 to 1. */
  readonly utilization: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * Noise in [-1, 1) for one series, constant within a minute: two simulators (or a test and the
 * simulator) agree on a reading at the same instant.
 */
function noise(series: string, nowMs: number): number {
  return 2 * unitFromSeed(fnv1a32(series), Math.floor(nowMs / 60_000)) - 1;
}

/**
 * The readings a device publishes at `nowMs`, as telemetry envelopes: received optical power
 * per optical port (about -8 dBm, each port with its own level between -9.5 and -6.5, jitter of
 * ±0.1 dB; no light at all when the port is down), box temperature (30 to 45 °C plus up to 12 °C
 * under load) and CPU (5 to 20 % plus up to 60 % under load). Pure and deterministic.
 */
export function deviceTelemetry(device: TelemetryDevice, nowMs: number): TelemetryMessage[] {
  const seed = fnv1a32(device.name);
  const optics = device.opticalPorts.map((port): TelemetryMessage => {
    const series = `${device.name}\u0000${port.name}`;
    const normal = -9.5 + 3 * unitFromSeed(fnv1a32(series), 7);
    const level = port.forcedDbm ?? normal;
    const value = port.operUp ? level + 0.1 * noise(`${series}\u0000rx`, nowMs) : NO_LIGHT_DBM;
    return {
      device: device.name,
      metric: TELEMETRY_METRICS.opticalRx,
      value: round2(Math.max(NO_LIGHT_DBM, value)),
      time: nowMs,
      tags: { interface: port.name },
    };
  });
  const load = Math.min(1, Math.max(0, device.utilization));
  const temperature =
    30 + 15 * unitFromSeed(seed, 1) + 12 * load + 0.5 * noise(`${device.name}\u0000temp`, nowMs);
  const cpu =
    5 + 15 * unitFromSeed(seed, 2) + 60 * load + 3 * noise(`${device.name}\u0000cpu`, nowMs);
  return [
    ...optics,
    {
      device: device.name,
      metric: TELEMETRY_METRICS.temperature,
      value: round2(temperature),
      time: nowMs,
    },
    {
      device: device.name,
      metric: TELEMETRY_METRICS.cpu,
      value: round2(Math.min(100, Math.max(0, cpu))),
      time: nowMs,
    },
  ];
}

/**
 * The interfaces of a device that carry optics worth watching: link ends (uplinks) and ports
 * that carry a customer service.
 */
export function opticalPorts(
  config: Pick<Config, 'links' | 'customers'>,
  device: string,
): Set<string> {
  const ports = new Set<string>();
  for (const link of config.links) {
    if (link.a.device === device) ports.add(link.a.interface);
    if (link.b.device === device) ports.add(link.b.interface);
  }
  for (const customer of config.customers) {
    for (const service of customer.services) {
      if (service.device === device) ports.add(service.interface);
    }
  }
  return ports;
}
