/**
 * What an SLA costs so far in an open period: the credit the month's run would write if the
 * period ended with the downtime seen so far, and how close the next tier is.
 *
 * Conventions (see docs/billing.md, "Live cost"):
 * - The figure is the run's own: `slaCredit` over the availability of the whole period with open
 *   outages lasting until now, on the base the run uses (`rateService`'s recurring charge of the
 *   whole period for the plans known now). At the period's end, with the same outages, the live
 *   credit is the run's credit line, to the minor unit.
 * - The next tier's credit is the credit the same base would earn at that tier (the larger credit
 *   of equal thresholds, capped), rounded by the one rounding function.
 * - Budget used = downtime / downtime allowed before the next tier, in percent: the share a budget
 *   warning compares with its threshold. Null when the deepest tier is already applied.
 */
import {
  type LiveSlaCost,
  type Sla,
  compare,
  displayDecimal,
  fromBigInt,
  fromNumber,
  min,
  mul,
  percentOf,
  ratio,
  toExactString,
  type Ratio,
} from '@faultline/shared';
import type { Availability } from './availability.js';
import { exactTiers, slaCredit, type SlaTier } from './credits.js';

/** What a live SLA cost is computed from. */
export interface LiveSlaCostInput {
  readonly serviceId: string;
  readonly currency: string;
  readonly sla: Sla;
  /** Availability over the whole period, open outages lasting until now. */
  readonly availability: Availability;
  /** The whole period's recurring charge (`rateService(...).recurringChargeMinor`). */
  readonly baseChargeMinor: bigint;
}

const HUNDRED = fromBigInt(100n);

/** The credit percent a tier threshold earns: the largest of the tiers at that threshold. */
function creditAt(tiers: readonly SlaTier[], belowPercent: Ratio): Ratio {
  let best: Ratio | null = null;
  for (const tier of tiers) {
    if (compare(tier.belowPercent, belowPercent) !== 0) continue;
    if (best === null || compare(tier.creditPercent, best) > 0) best = tier.creditPercent;
  }
  // The threshold is one of the tiers', so there is always one.
  return best ?? fromBigInt(0n);
}

/** The share of `allowedMs` that `downtimeMs` uses, percent, rounded to 2 decimals. */
function sharePercent(downtimeMs: number, allowedMs: number): number {
  if (allowedMs <= 0) return 100;
  return Number(displayDecimal(ratio(BigInt(downtimeMs) * 100n, BigInt(allowedMs)), 2));
}

/** The live cost of one service's SLA, and the whole minutes left before its next tier. */
export interface LiveSlaOutcome {
  readonly cost: LiveSlaCost;
  /** `SlaBudget.remainingMinutes`: null when the deepest tier is applied. */
  readonly budgetMinutes: number | null;
}

/** Availability in percent as the live views show it: at most 4 decimals ("99.9312"). */
export function availabilityPercent(availability: Availability): string {
  return displayDecimal(mul(availability.availability, HUNDRED), 4);
}

/** The live cost of one service's SLA. */
export function liveSlaCost(input: LiveSlaCostInput): LiveSlaOutcome {
  const outcome = slaCredit(input);
  const tiers = exactTiers(input.sla);
  const { availability } = input;
  const next = outcome.budget.nextTier;
  const cap = fromNumber(input.sla.creditCapPercent);
  const nextTierCreditMinor =
    next === null
      ? null
      : percentOf(input.baseChargeMinor, min(creditAt(tiers, next.belowPercent), cap));
  const allowedMs =
    outcome.budget.remainingMs === null
      ? null
      : outcome.budget.remainingMs + availability.downtimeMs;
  const cost: LiveSlaCost = {
    slaId: input.sla.id,
    availabilityPercent: availabilityPercent(availability),
    tier:
      outcome.kind === 'breached'
        ? {
            belowPercent: toExactString(outcome.tier.belowPercent),
            creditPercent: toExactString(outcome.tier.creditPercent),
          }
        : null,
    nextTierBelowPercent: next === null ? null : toExactString(next.belowPercent),
    creditMinor: (outcome.kind === 'breached' ? -outcome.line.amountMinor : 0n).toString(),
    nextTierCreditMinor: nextTierCreditMinor?.toString() ?? null,
    budgetUsedPercent: allowedMs === null ? null : sharePercent(availability.downtimeMs, allowedMs),
  };
  return { cost, budgetMinutes: outcome.budget.remainingMinutes };
}
