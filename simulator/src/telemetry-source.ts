import type { Config, TelemetryMessage } from '@faultline/shared';
import type { DeviceState, InterfaceState } from './core/device-state.js';
import { deviceTelemetry, opticalPorts, type TelemetryDevice } from './core/telemetry.js';
import { trafficRateBps } from './core/traffic.js';

/** The telemetry of the whole simulated network at an instant. */
export interface TelemetrySource {
  /** Every reading of every device `include` accepts, at `nowMs`. */
  readings(nowMs: number, include: (device: string) => boolean): TelemetryMessage[];
}

/**
 * Gathers, from the simulator's state, what the pure telemetry model of each device depends on:
 * link states, utilisation (forced or from the traffic model) and forced optical levels.
 */
export function createTelemetrySource(deps: {
  readonly config: Config;
  readonly stateOf: (device: string) => DeviceState;
  readonly forcedDbm: (device: string, ifName: string) => number | undefined;
}): TelemetrySource {
  const { config } = deps;
  const optical = new Map(config.devices.map((d) => [d.name, opticalPorts(config, d.name)]));

  const utilization = (iface: InterfaceState, nowMs: number): number => {
    if (!iface.operUp) return 0;
    if (iface.utilizationPercent !== undefined) return iface.utilizationPercent / 100;
    const rate = trafficRateBps(iface.profile, nowMs);
    return (rate.inBps + rate.outBps) / 2 / iface.profile.speedBps;
  };

  const input = (device: string, nowMs: number): TelemetryDevice => {
    const ports = deps.stateOf(device).interfaces.map((iface) => ({
      name: iface.name,
      operUp: iface.operUp,
      forcedDbm: deps.forcedDbm(device, iface.name),
      utilization: utilization(iface, nowMs),
    }));
    return {
      name: device,
      opticalPorts: ports.filter((p) => optical.get(device)?.has(p.name) === true),
      utilization: ports.reduce((sum, p) => sum + p.utilization, 0) / Math.max(1, ports.length),
    };
  };

  return {
    readings(nowMs, include) {
      return config.devices
        .filter((d) => include(d.name))
        .flatMap((d) => deviceTelemetry(input(d.name, nowMs), nowMs));
    },
  };
}
