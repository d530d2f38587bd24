import { fnv1a32, unitFromSeed } from './hash.js';

/** One hour in milliseconds: the traffic curve has a breakpoint at the start of every hour. */
export const HOUR_MS = 3_600_000;
const HOURS_PER_WEEK = 168;

/**
 * Share of an interface's peak rate at the start of each UTC hour of a weekday: quiet nights,
 * a morning ramp, busy office hours (roughly 09:00 to 18:00 in central Europe) and an evening
 * tail. Between breakpoints the rate is interpolated linearly.
 */
const DAILY_CURVE: readonly number[] = [
  0.18, 0.14, 0.12, 0.11, 0.11, 0.14, 0.22, 0.38, 0.62, 0.82, 0.92, 0.95, 0.9, 0.93, 0.97, 1.0,
  0.96, 0.88, 0.78, 0.72, 0.7, 0.62, 0.45, 0.28,
];
/** Saturdays and Sundays carry this share of a weekday's traffic. */
const WEEKEND_FACTOR = 0.55;
/** Each hourly breakpoint varies by up to this share, up or down, per interface and direction. */
const NOISE = 0.15;
/** Peak utilisation of an interface lies between MIN and MIN + SPREAD of its speed. */
const PEAK_MIN = 0.15;
const PEAK_SPREAD = 0.45;
/** The largest week total the 64-bit arrays of a curve hold. */
const MAX_WEEK_OCTETS = 2n ** 64n - 1n;
/** 1970-01-01, the first hour of the week grid, was a Thursday (day 4 counting Sunday as 0). */
const EPOCH_WEEKDAY = 4;

/** The rate curve of one direction of one interface over one week, with its integral. */
export interface DirectionCurve {
  /** Rate in bits/s at the start of each hour of the week; 169 entries, the last equals the first. */
  readonly rateBps: readonly number[];
  /**
   * `prefixOctets[k]` = whole octets (each hour's rounded down) of the hours before hour k; 169
   * entries, the last is a week's total. A typed array rather than bigint[]: a network of 100,000
   * interfaces would otherwise hold 34 million bigint objects that every full garbage collection
   * of the simulator has to mark.
   */
  readonly prefixOctets: BigUint64Array;
}

/**
 * The deterministic traffic of one interface. Its curve repeats every week (the week grid starts
 * at the Unix epoch), so the octets carried between any two instants are computed in constant
 * time, exactly, as bigint.
 */
export interface TrafficProfile {
  readonly speedBps: number;
  readonly in: DirectionCurve;
  readonly out: DirectionCurve;
}

/** What identifies an interface's traffic: the same identity always gives the same curve. */
export interface TrafficIdentity {
  readonly device: string;
  readonly ifName: string;
  readonly speedMbps: number;
  /**
   * The busiest hour's rate of each direction the port is sold for (see `soldPeakMbps`), Mbit/s:
   * the peak then lies between 85 % and 100 % of it (never above PEAK_MIN + PEAK_SPREAD of the
   * speed). Without it, the peak is a share of the speed.
   */
  readonly peakMbps?: number | undefined;
}

/**
 * The mean rate of the weekly curve as a share of its peak (noise aside): the weekdays' and
 * weekends' hourly shares, averaged. A month carries about this × peak × its seconds / 8 octets.
 */
export const MEAN_SHARE_OF_PEAK =
  (DAILY_CURVE.reduce((sum, share) => sum + share, 0) / DAILY_CURVE.length) *
  ((5 + 2 * WEEKEND_FACTOR) / 7);

/** The peak of a direction as a share of the speed. */
function peakShare(speedBps: number, peakBps: number | undefined, unit: number): number {
  const highest = PEAK_MIN + PEAK_SPREAD;
  if (peakBps === undefined) return PEAK_MIN + PEAK_SPREAD * unit;
  return Math.min(highest, (peakBps * (0.85 + 0.15 * unit)) / speedBps);
}

function buildCurve(
  speedBps: number,
  peakBps: number | undefined,
  seed: number,
  direction: 0 | 1,
): DirectionCurve {
  const peak = peakShare(speedBps, peakBps, unitFromSeed(seed, 1_000 + direction));
  const rateBps: number[] = [];
  for (let k = 0; k < HOURS_PER_WEEK; k++) {
    const weekday = (EPOCH_WEEKDAY + Math.floor(k / 24)) % 7;
    const dayFactor = weekday === 0 || weekday === 6 ? WEEKEND_FACTOR : 1;
    const noise = 1 + NOISE * (2 * unitFromSeed(seed, 2 * k + direction) - 1);
    rateBps.push(speedBps * peak * (DAILY_CURVE[k % 24] ?? 0) * dayFactor * noise);
  }
  rateBps.push(rateBps[0] ?? 0);
  const prefixOctets = new BigUint64Array(HOURS_PER_WEEK + 1);
  let total = 0n;
  for (let k = 0; k < HOURS_PER_WEEK; k++) {
    const octets = BigInt(Math.floor(segmentOctets(rateBps, k, HOUR_MS / 1000)));
    total += octets;
    prefixOctets[k + 1] = total;
  }
  // A week of a 200 Tbit/s interface fits 64 bits; a faster one is refused rather than wrapped.
  if (total > MAX_WEEK_OCTETS)
    throw new RangeError(`${String(speedBps)} bit/s is too fast to simulate`);
  return { rateBps, prefixOctets };
}

/** Octets carried in the first `seconds` of hour k: the integral of a linear rate, over 8. */
function segmentOctets(rateBps: readonly number[], k: number, seconds: number): number {
  const start = rateBps[k] ?? 0;
  const end = rateBps[k + 1] ?? start;
  const bits = start * seconds + ((end - start) * seconds * seconds) / (2 * (HOUR_MS / 1000));
  return bits / 8;
}

/** Builds the traffic profile of an interface from its identity (pure, deterministic). */
export function createTrafficProfile(identity: TrafficIdentity): TrafficProfile {
  const speedBps = identity.speedMbps * 1_000_000;
  const seed = fnv1a32(`${identity.device}\u0000${identity.ifName}`);
  const peakBps = identity.peakMbps === undefined ? undefined : identity.peakMbps * 1_000_000;
  return {
    speedBps,
    in: buildCurve(speedBps, peakBps, seed, 0),
    out: buildCurve(speedBps, peakBps, seed, 1),
  };
}

/** Splits an epoch instant into its week, its hour of the week and the ms into that hour. */
function locate(epochMs: number): { week: number; hour: number; msIntoHour: number } {
  const hourIndex = Math.floor(epochMs / HOUR_MS);
  const week = Math.floor(hourIndex / HOURS_PER_WEEK);
  return {
    week,
    hour: hourIndex - week * HOURS_PER_WEEK,
    msIntoHour: epochMs - hourIndex * HOUR_MS,
  };
}

function rateOf(curve: DirectionCurve, epochMs: number): number {
  const { hour, msIntoHour } = locate(epochMs);
  const start = curve.rateBps[hour] ?? 0;
  const end = curve.rateBps[hour + 1] ?? start;
  return start + ((end - start) * msIntoHour) / HOUR_MS;
}

/**
 * Octets carried from the start of the week grid to `epochMs`. Only differences between two
 * instants mean something; the value is non-decreasing in `epochMs`, because each hour's partial
 * integral is rounded down and capped at that hour's whole-octet total.
 */
function octetsOf(curve: DirectionCurve, epochMs: number): bigint {
  const { week, hour, msIntoHour } = locate(epochMs);
  const before = curve.prefixOctets[hour] ?? 0n;
  const full = (curve.prefixOctets[hour + 1] ?? before) - before;
  const partial = BigInt(Math.floor(segmentOctets(curve.rateBps, hour, msIntoHour / 1000)));
  const weekTotal = curve.prefixOctets[HOURS_PER_WEEK] ?? 0n;
  return BigInt(week) * weekTotal + before + (partial < full ? partial : full);
}

/** The rate of an interface at an instant, in bits per second, each direction. */
export function trafficRateBps(
  profile: TrafficProfile,
  epochMs: number,
): { readonly inBps: number; readonly outBps: number } {
  return { inBps: rateOf(profile.in, epochMs), outBps: rateOf(profile.out, epochMs) };
}

/**
 * The model's octet odometer of an interface at an instant (see `octetsOf`): subtract two
 * readings to get the octets carried between them.
 */
export function cumulativeOctets(
  profile: TrafficProfile,
  epochMs: number,
): { readonly inOctets: bigint; readonly outOctets: bigint } {
  return { inOctets: octetsOf(profile.in, epochMs), outOctets: octetsOf(profile.out, epochMs) };
}
