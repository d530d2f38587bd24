import { createTrafficProfile, cumulativeOctets, type TrafficProfile } from './traffic.js';

/** A configured interface, as the simulator needs it. */
export interface InterfaceSpec {
  readonly ifIndex: number;
  readonly name: string;
  readonly speedMbps: number;
  /** The peak its service is sold for (`soldPeakMbps`), when it carries one. */
  readonly peakMbps?: number | undefined;
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
  /**
   * A forced utilisation (0–100 % of speed, both directions) replacing the traffic model, set by
   * a scenario to congest a link; undefined while the model drives the interface.
   */
  readonly utilizationPercent: number | undefined;
  /**
   * Start of the current forced-rate stretch: set exactly while the interface is up with a forced
   * utilisation. Its counters then grow at the forced rate instead of the model's.
   */
  readonly forcedSinceMs: number | undefined;
  /** Octets the forced stretches added beyond the model (signed: a low forced rate subtracts). */
  readonly forcedExtraInOctets: bigint;
  readonly forcedExtraOutOctets: bigint;
  /** Received frames per second failing their check (ifInErrors), 0 on a healthy port. */
  readonly inErrorsPerS: number;
  /**
   * Start of the current error-counting stretch: set exactly while the interface is up. Errors
   * before it are in `inErrorsCounted`; the counter is that plus the stretch at the current rate.
   */
  readonly errorsSinceMs: number | undefined;
  /** Errors counted since boot before the current stretch. */
  readonly inErrorsCounted: bigint;
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
  | { readonly kind: 'reboot' }
  | {
      readonly kind: 'setUtilization';
      readonly ifName: string;
      /** Percent of speed, or undefined to hand the interface back to the traffic model. */
      readonly percent: number | undefined;
    }
  | {
      readonly kind: 'setErrorRate';
      readonly ifName: string;
      /** Errored frames received per second from now on (0: healthy again). */
      readonly inErrorsPerS: number;
    };

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
      profile: createTrafficProfile({
        device,
        ifName: spec.name,
        speedMbps: spec.speedMbps,
        peakMbps: spec.peakMbps,
      }),
      operUp: true,
      lastChangeMs: nowMs,
      downSinceMs: undefined,
      skippedInOctets: 0n,
      skippedOutOctets: 0n,
      utilizationPercent: undefined,
      forcedSinceMs: undefined,
      forcedExtraInOctets: 0n,
      forcedExtraOutOctets: 0n,
      inErrorsPerS: 0,
      errorsSinceMs: nowMs,
      inErrorsCounted: 0n,
    })),
  };
}

/** Errors the current stretch counted up to `nowMs`, rounded down; 0 outside a stretch. */
function stretchErrors(iface: InterfaceState, nowMs: number): bigint {
  const since = iface.errorsSinceMs;
  if (since === undefined || nowMs <= since) return 0n;
  return BigInt(Math.floor((iface.inErrorsPerS * (nowMs - since)) / 1000));
}

/**
 * ifInErrors since boot at `nowMs`: what earlier stretches counted and what the current one adds
 * at its rate. It never goes back: a stretch is closed by adding what it counted.
 */
export function inErrorsSinceBoot(iface: InterfaceState, nowMs: number): bigint {
  return iface.inErrorsCounted + stretchErrors(iface, nowMs);
}

/** Ends the current error stretch at `nowMs`, keeping what it counted. */
function closeErrors(iface: InterfaceState, nowMs: number): InterfaceState {
  return {
    ...iface,
    inErrorsCounted: inErrorsSinceBoot(iface, nowMs),
    errorsSinceMs: undefined,
  };
}

/** Starts an error stretch at `nowMs` if the interface is up (a down port receives nothing). */
function openErrors(iface: InterfaceState, nowMs: number): InterfaceState {
  return { ...iface, errorsSinceMs: iface.operUp ? nowMs : undefined };
}

/** Octets a constant share of the speed carries over `[fromMs, toMs)`, rounded down. */
function forcedOctets(
  iface: InterfaceState,
  percent: number,
  fromMs: number,
  toMs: number,
): bigint {
  const bits = (iface.profile.speedBps * percent * Math.max(0, toMs - fromMs)) / 100_000;
  return BigInt(Math.floor(bits / 8));
}

/**
 * What the current forced stretch adds beyond the model, up to `nowMs`: the forced octets minus
 * what the model carried over the same stretch. Zero outside a forced stretch.
 */
export function forcedCorrection(
  iface: InterfaceState,
  nowMs: number,
): { inOctets: bigint; outOctets: bigint } {
  const since = iface.forcedSinceMs;
  const percent = iface.utilizationPercent;
  if (since === undefined || percent === undefined || nowMs <= since) {
    return { inOctets: 0n, outOctets: 0n };
  }
  const forced = forcedOctets(iface, percent, since, nowMs);
  const before = cumulativeOctets(iface.profile, since);
  const after = cumulativeOctets(iface.profile, nowMs);
  return {
    inOctets: forced - (after.inOctets - before.inOctets),
    outOctets: forced - (after.outOctets - before.outOctets),
  };
}

/** Ends the current forced stretch at `nowMs`, keeping what it added. */
function closeForced(iface: InterfaceState, nowMs: number): InterfaceState {
  const correction = forcedCorrection(iface, nowMs);
  return {
    ...iface,
    forcedSinceMs: undefined,
    forcedExtraInOctets: iface.forcedExtraInOctets + correction.inOctets,
    forcedExtraOutOctets: iface.forcedExtraOutOctets + correction.outOctets,
  };
}

/** Starts a forced stretch at `nowMs` if the interface is up with a forced utilisation. */
function openForced(iface: InterfaceState, nowMs: number): InterfaceState {
  const active = iface.operUp && iface.utilizationPercent !== undefined;
  return { ...iface, forcedSinceMs: active ? nowMs : undefined };
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
      iface: {
        ...closeErrors(closeForced(iface, nowMs), nowMs),
        operUp: false,
        lastChangeMs: nowMs,
        downSinceMs: nowMs,
      },
      decision,
    };
  }
  // Coming back up: the traffic the model carried while the port was down was never counted, so
  // it is added to what the counters skip; they resume from where they froze.
  const downSince = Math.min(iface.downSinceMs ?? nowMs, nowMs);
  const before = cumulativeOctets(iface.profile, downSince);
  const after = cumulativeOctets(iface.profile, nowMs);
  const upAgain: InterfaceState = {
    ...iface,
    operUp: true,
    lastChangeMs: nowMs,
    downSinceMs: undefined,
    skippedInOctets: iface.skippedInOctets + after.inOctets - before.inOctets,
    skippedOutOctets: iface.skippedOutOctets + after.outOctets - before.outOctets,
  };
  return { iface: openErrors(openForced(upAgain, nowMs), nowMs), decision };
}

/** Changes how one interface behaves without changing its status (no notification). */
function retune(
  state: DeviceState,
  ifName: string,
  update: (iface: InterfaceState) => InterfaceState,
): { state: DeviceState; decisions: DeviceDecision[] } {
  const index = state.interfaces.findIndex((i) => i.name === ifName);
  const iface = state.interfaces[index];
  if (iface === undefined) return { state, decisions: [{ kind: 'unknownInterface', ifName }] };
  const interfaces = state.interfaces.map((i, n) => (n === index ? update(iface) : i));
  return { state: { ...state, interfaces }, decisions: [{ kind: 'unchanged', ifName }] };
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
          interfaces: state.interfaces.map((iface) => {
            const restarted: InterfaceState = {
              ...iface,
              lastChangeMs: nowMs,
              downSinceMs: iface.operUp ? undefined : nowMs,
              skippedInOctets: 0n,
              skippedOutOctets: 0n,
              forcedExtraInOctets: 0n,
              forcedExtraOutOctets: 0n,
              inErrorsCounted: 0n,
            };
            return openErrors(openForced(restarted, nowMs), nowMs);
          }),
        },
        decisions: [{ kind: 'coldStart' }],
      };
    case 'setUtilization':
      return retune(state, input.ifName, (iface) =>
        openForced({ ...closeForced(iface, nowMs), utilizationPercent: input.percent }, nowMs),
      );
    case 'setErrorRate':
      return retune(state, input.ifName, (iface) =>
        openErrors({ ...closeErrors(iface, nowMs), inErrorsPerS: input.inErrorsPerS }, nowMs),
      );
  }
}
