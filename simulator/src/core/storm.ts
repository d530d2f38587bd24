/**
 * Rate control of a trap storm: how many traps are due after some time, sent in bursts on a
 * timer, so the average rate holds whatever the timer's resolution.
 */

/** A storm's bounds: a rate, a total, and a duration it never exceeds. */
export interface StormPlan {
  readonly ratePerS: number;
  readonly count: number;
}

/** The most a storm sends in one burst: keeps socket buffers and the event loop breathing. */
export const STORM_MAX_BURST = 500;

/**
 * How many traps to send now, `elapsedMs` after the storm began with `sent` already sent:
 * what the rate allows by now, minus what went out, capped by the burst size and the total.
 */
export function stormDue(plan: StormPlan, elapsedMs: number, sent: number): number {
  const allowed = Math.min(
    plan.count,
    Math.floor((plan.ratePerS * Math.max(0, elapsedMs)) / 1000) + 1,
  );
  return Math.max(0, Math.min(STORM_MAX_BURST, allowed - sent));
}

/** When the next trap is due, in ms after the storm began (for the sender's next timer). */
export function stormNextDueMs(plan: StormPlan, sent: number): number {
  return Math.ceil((sent * 1000) / plan.ratePerS);
}

/** How long a storm should take at its rate: the sender gives up after twice that plus a second. */
export function stormDeadlineMs(plan: StormPlan): number {
  return Math.ceil((2 * plan.count * 1000) / plan.ratePerS) + 1000;
}
