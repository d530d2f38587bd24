import {
  forcedCorrection,
  inErrorsSinceBoot,
  type DeviceState,
  type InterfaceState,
} from './device-state.js';
import { cumulativeOctets } from './traffic.js';

const TWO_POW_32 = 1n << 32n;
const TWO_POW_64 = 1n << 64n;

/** IF-MIB oper status values the simulator uses. */
export const IF_OPER_UP = 1;
export const IF_OPER_DOWN = 2;

/** What an agent serves for one interface at one instant. */
export interface InterfaceReading {
  readonly ifIndex: number;
  readonly ifName: string;
  /** ifOperStatus: 1 up, 2 down. */
  readonly operStatus: typeof IF_OPER_UP | typeof IF_OPER_DOWN;
  /** ifLastChange: sysUpTime at the last oper status change, in hundredths of a second. */
  readonly lastChangeTicks: number;
  /** ifHCInOctets / ifHCOutOctets: 64-bit counters, wrapping at 2^64. */
  readonly hcInOctets: bigint;
  readonly hcOutOctets: bigint;
  /** ifInOctets / ifOutOctets: 32-bit counters, always the 64-bit value mod 2^32. */
  readonly inOctets: number;
  readonly outOctets: number;
  /**
   * ifInErrors / ifOutErrors / ifInDiscards / ifOutDiscards: 32-bit packet counters since boot.
   * Only received errors move (a degraded optic); the others stay 0, as on a healthy port.
   */
  readonly inErrors: number;
  readonly outErrors: number;
  readonly inDiscards: number;
  readonly outDiscards: number;
}

/** Hundredths of a second between two instants, wrapping at 2^32 like TimeTicks. */
function ticksBetween(fromMs: number, toMs: number): number {
  return Math.floor(Math.max(0, toMs - fromMs) / 10) % 2 ** 32;
}

/** sysUpTime: hundredths of a second since the device (re)booted, wrapping at 2^32. */
export function sysUpTimeTicks(state: DeviceState, nowMs: number): number {
  return ticksBetween(state.bootMs, nowMs);
}

/**
 * Octets counted since boot: what the traffic model carried since boot, minus what it carried
 * while the interface was down, with forced-utilisation stretches counted at their forced rate
 * instead. While down, the value is frozen at the instant it went down.
 */
export function octetsSinceBoot(
  state: DeviceState,
  iface: InterfaceState,
  nowMs: number,
): { inOctets: bigint; outOctets: bigint } {
  const end = Math.max(iface.downSinceMs ?? nowMs, state.bootMs);
  const atBoot = cumulativeOctets(iface.profile, state.bootMs);
  const endMs = Math.max(Math.min(end, nowMs), state.bootMs);
  const atEnd = cumulativeOctets(iface.profile, endMs);
  // A forced utilisation replaces the model's octets over its stretches (see device-state).
  const forced = forcedCorrection(iface, endMs);
  return {
    inOctets:
      atEnd.inOctets -
      atBoot.inOctets -
      iface.skippedInOctets +
      iface.forcedExtraInOctets +
      forced.inOctets,
    outOctets:
      atEnd.outOctets -
      atBoot.outOctets -
      iface.skippedOutOctets +
      iface.forcedExtraOutOctets +
      forced.outOctets,
  };
}

/** The 64-bit counter value of an octet count (wraps at 2^64). */
export function toCounter64(octets: bigint): bigint {
  return ((octets % TWO_POW_64) + TWO_POW_64) % TWO_POW_64;
}

/** The 32-bit counter value of a count (wraps at 2^32). */
export function toCounter32(octets: bigint): number {
  return Number(((octets % TWO_POW_32) + TWO_POW_32) % TWO_POW_32);
}

/** Everything an agent serves about one interface of a device, at `nowMs`. */
export function readInterface(
  state: DeviceState,
  iface: InterfaceState,
  nowMs: number,
): InterfaceReading {
  const octets = octetsSinceBoot(state, iface, nowMs);
  return {
    ifIndex: iface.ifIndex,
    ifName: iface.name,
    operStatus: iface.operUp ? IF_OPER_UP : IF_OPER_DOWN,
    lastChangeTicks: ticksBetween(state.bootMs, iface.lastChangeMs),
    hcInOctets: toCounter64(octets.inOctets),
    hcOutOctets: toCounter64(octets.outOctets),
    inOctets: toCounter32(octets.inOctets),
    outOctets: toCounter32(octets.outOctets),
    inErrors: toCounter32(inErrorsSinceBoot(iface, nowMs)),
    outErrors: 0,
    inDiscards: 0,
    outDiscards: 0,
  };
}
