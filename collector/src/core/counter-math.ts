/**
 * Counter deltas and rates. Interface counters only grow, modulo 2^32 (ifInOctets, ifInErrors) or
 * 2^64 (ifHCInOctets); a rate is the delta between two samples over the time between them. What
 * can go wrong is decided here, as values: the first sample of a counter has nothing to compare
 * with, an agent restart (sysUpTime went back) resets its counters, and a delta that implies more
 * than the interface can carry is a counter glitch (a reset without restart, a missed 32-bit wrap)
 * that must not be stored as traffic. Octet counters and packet counters (errors, discards) go
 * through the same math; they differ only in the line bits one count stands for.
 */

/** Width of a counter in bits. */
export type CounterWidth = 32 | 64;

/** 2^width: counters of that width count modulo this. */
export function counterModulus(width: CounterWidth): bigint {
  return 1n << BigInt(width);
}

/**
 * The increase from `previous` to `current` of a counter that counts modulo 2^width: a current
 * value below the previous one means the counter wrapped once. Both values must be in range.
 */
export function counterDelta(
  previous: bigint,
  current: bigint,
  width: CounterWidth,
): { readonly delta: bigint; readonly wrapped: boolean } {
  if (current >= previous) return { delta: current - previous, wrapped: false };
  return { delta: current + counterModulus(width) - previous, wrapped: true };
}

/** Line bits one count of an octet counter stands for. */
export const OCTET_BITS = 8;
/**
 * Line bits the smallest Ethernet frame takes (64 bytes, plus 8 of preamble and 12 of inter-frame
 * gap): a line carries at most its speed over this many packets per second, errored or discarded
 * ones included, so a packet counter growing faster than that is a glitch.
 */
export const MIN_FRAME_BITS = 672;

/** One reading of one counter. */
export interface CounterSample {
  /** When the poll answered, epoch ms (the collector's clock). */
  readonly timeMs: number;
  /** The agent's sysUpTime in hundredths of a second, when it answered with one. */
  readonly uptimeTicks?: number;
  readonly value: bigint;
  readonly width: CounterWidth;
}

/**
 * A measured rate may exceed the interface speed by this factor before it is called impossible:
 * the counters and sysUpTime are not read at one instant, and agents cache counters for a few
 * seconds. Real glitches (a missed wrap, a reset without restart) are orders of magnitude above.
 */
export const RATE_TOLERANCE = 1.1;

/**
 * What the pair (previous, current) says about traffic. `delta` is in the counter's unit (octets,
 * packets), `ratePerS` is that unit per second, and `rateBps` the line rate it stands for (for
 * octets the traffic itself; for packets the least the line carried to count them).
 */
export type RateDecision =
  /** No earlier sample of this counter: nothing to compare with. */
  | { readonly kind: 'first' }
  /** The counter started again: the agent restarted, or the counter changed width. */
  | { readonly kind: 'reset'; readonly reason: 'uptime-went-back' | 'width-changed' }
  /** No time passed between the samples (a repeated or cached answer). */
  | { readonly kind: 'no-interval' }
  | {
      readonly kind: 'rate';
      readonly delta: bigint;
      readonly intervalS: number;
      readonly ratePerS: number;
      readonly rateBps: number;
      readonly wrapped: boolean;
    }
  /** A rate above the interface speed: a counter glitch, not traffic. */
  | {
      readonly kind: 'quarantined';
      readonly delta: bigint;
      readonly intervalS: number;
      readonly ratePerS: number;
      readonly rateBps: number;
      readonly limitBps: number;
      readonly wrapped: boolean;
    };

/**
 * The seconds between two samples: by the agent's sysUpTime when both have one (it does not
 * include network and queueing delays), else by the collector's clock. Negative when time went
 * back. sysUpTime itself wraps after 497 days; that wrap reads as a restart, which costs one rate.
 */
export function sampleIntervalS(previous: CounterSample, current: CounterSample): number {
  if (previous.uptimeTicks !== undefined && current.uptimeTicks !== undefined) {
    return (current.uptimeTicks - previous.uptimeTicks) / 100;
  }
  return (current.timeMs - previous.timeMs) / 1000;
}

/**
 * Decides what a new sample of a counter means, given the previous one, the interface speed in
 * bits per second (undefined or 0 when unknown: then no rate is impossible) and the line bits one
 * count stands for (`OCTET_BITS` for octet counters, `MIN_FRAME_BITS` for packet counters). The
 * caller keeps `current` as the next `previous` whatever the decision.
 */
export function rateDecision(
  previous: CounterSample | undefined,
  current: CounterSample,
  speedBps: number | undefined,
  bitsPerCount: number = OCTET_BITS,
): RateDecision {
  if (previous === undefined) return { kind: 'first' };
  if (previous.width !== current.width) return { kind: 'reset', reason: 'width-changed' };
  if (
    previous.uptimeTicks !== undefined &&
    current.uptimeTicks !== undefined &&
    current.uptimeTicks < previous.uptimeTicks
  ) {
    return { kind: 'reset', reason: 'uptime-went-back' };
  }
  const intervalS = sampleIntervalS(previous, current);
  if (!(intervalS > 0)) return { kind: 'no-interval' };
  const { delta, wrapped } = counterDelta(previous.value, current.value, current.width);
  const ratePerS = Number(delta) / intervalS;
  const rateBps = ratePerS * bitsPerCount;
  if (speedBps !== undefined && speedBps > 0) {
    const limitBps = speedBps * RATE_TOLERANCE;
    if (rateBps > limitBps)
      return { kind: 'quarantined', delta, intervalS, ratePerS, rateBps, limitBps, wrapped };
  }
  return { kind: 'rate', delta, intervalS, ratePerS, rateBps, wrapped };
}
