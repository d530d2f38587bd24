import { createTrafficProfile, cumulativeOctets, type TrafficProfile } from './traffic.js';

/** A configured interface, as the simulator needs it. */
export interface InterfaceSpec {
  readonly ifIndex: number;
  readonly name: string;
  readonly speedMbps: number;
}

/** The simulated state of one interface: its fault state and what its counters did not count. */
export interface InterfaceState {
  readonly ifIndex: number;
  readonly name: string;
  readonly profile: TrafficProfile;
  readonly operUp: boolean;
  /** When the oper status last changed (or the device booted), epoch ms. */
  readonly lastChangeMs: number;
  /** When the interface went down, while it is down: its counters are frozen since then. */
  readonly downSinceMs: number | undefined;
  /** Octets the traffic model carried since boot while the interface was down (not counted). */
  readonly skippedInOctets: bigint;
  readonly skippedOutOctets: bigint;
}

/** The simulated state of one device since its last (re)boot. */
export interface DeviceState {
  readonly device: string;
  readonly bootMs: number;
  /** How many times the device has booted (snmpEngineBoots): 1 at creation, +1 per reboot. */
  readonly boots: number;
  readonly interfaces: readonly InterfaceState[];
}

/** What can happen to a device. */
export type DeviceInput =
  | { readonly kind: 'setLink'; readonly ifName: string; readonly up: boolean }
  | { readonly kind: 'reboot' };

/** What the simulator must do (send which notification) after an input. */
export type DeviceDecision =
  | { readonly kind: 'linkDown' | 'linkUp'; readonly ifIndex: number; readonly ifName: string }
  | { readonly kind: 'coldStart' }
  | { readonly kind: 'unchanged'; readonly ifName: string }
  | { readonly kind: 'unknownInterface'; readonly ifName: string };

/** A device that has just booted at `nowMs`, every interface up. */
export function createDeviceState(
  device: string,
  interfaces: readonly InterfaceSpec[],
  nowMs: number,
): DeviceState {
  return {
    device,
    bootMs: nowMs,
    boots: 1,
    interfaces: interfaces.map((spec) => ({
      ifIndex: spec.ifIndex,
      name: spec.name,
      profile: createTrafficProfile({ device, ifName: spec.name, speedMbps: spec.speedMbps }),
      operUp: true,
      lastChangeMs: nowMs,
      downSinceMs: undefined,
      skippedInOctets: 0n,
      skippedOutOctets: 0n,
    })),
  };
}

function setLink(
  iface: InterfaceState,
  up: boolean,
  nowMs: number,
): { iface: InterfaceState; decision: DeviceDecision } {
  if (iface.operUp === up) {
    return { iface, decision: { kind: 'unchanged', ifName: iface.name } };
  }
  const decision = {
    kind: up ? 'linkUp' : 'linkDown',
    ifIndex: iface.ifIndex,
    ifName: iface.name,
  } as const;
  if (!up) {
    return {
      iface: { ...iface, operUp: false, lastChangeMs: nowMs, downSinceMs: nowMs },
      decision,
    };
  }
  // Coming back up: the traffic the model carried while the port was down was never counted, so
  // it is added to what the counters skip; they resume from where they froze.
  const downSince = Math.min(iface.downSinceMs ?? nowMs, nowMs);
  const before = cumulativeOctets(iface.profile, downSince);
  const after = cumulativeOctets(iface.profile, nowMs);
  return {
    iface: {
      ...iface,
      operUp: true,
      lastChangeMs: nowMs,
      downSinceMs: undefined,
      skippedInOctets: iface.skippedInOctets + after.inOctets - before.inOctets,
      skippedOutOctets: iface.skippedOutOctets + after.outOctets - before.outOctets,
    },
    decision,
  };
}

/**
 * Applies one input to a device at `nowMs`. A reboot restarts sysUpTime and the counters from
 * zero but keeps each interface's fault state (a cut cable stays cut across a reboot).
 */
export function applyDeviceInput(
  state: DeviceState,
  input: DeviceInput,
  nowMs: number,
): { state: DeviceState; decisions: DeviceDecision[] } {
  switch (input.kind) {
    case 'setLink': {
      const index = state.interfaces.findIndex((i) => i.name === input.ifName);
      const iface = state.interfaces[index];
      if (iface === undefined) {
        return { state, decisions: [{ kind: 'unknownInterface', ifName: input.ifName }] };
      }
      const changed = setLink(iface, input.up, nowMs);
      const interfaces = state.interfaces.map((i, n) => (n === index ? changed.iface : i));
      return { state: { ...state, interfaces }, decisions: [changed.decision] };
    }
    case 'reboot':
      return {
        state: {
          ...state,
          bootMs: nowMs,
          boots: state.boots + 1,
          interfaces: state.interfaces.map((iface) => ({
            ...iface,
            lastChangeMs: nowMs,
            downSinceMs: iface.operUp ? undefined : nowMs,
            skippedInOctets: 0n,
            skippedOutOctets: 0n,
          })),
        },
        decisions: [{ kind: 'coldStart' }],
      };
  }
}
