/**
 * SLA credits from availability.
 *
 * Conventions (see docs/billing.md):
 * - A tier is breached when availability (in percent, exact) is strictly below its `belowPercent`:
 *   exactly 99.95 % does not breach a "below 99.95" tier.
 * - The tier applied is the breached tier with the lowest threshold (the deepest breach); on equal
 *   thresholds, the larger credit. Gold at 99.7 %: below 99.95 and below 99.9 are breached, the
 *   lowest is 99.9, so 25 %.
 * - credit = base charge × min(tier creditPercent, creditCapPercent) / 100, rounded once, as a
 *   negative `credit` line. The base is the period's recurring (monthly) charge of the service.
 * - Budget: the downtime that can still be added before the next tier is reached. The next tier is
 *   the not-yet-breached one with the highest threshold t; it is reached when downtime exceeds
 *   period × (1 − t / 100), so `remainingMs` = floor(period × (1 − t/100) − downtime) more
 *   milliseconds still keep the current credit.
 * - "More downtime never gives less credit" holds when credits do not decrease as thresholds go
 *   down; `slaTierProblems` reports configs that break it.
 */
import {
  type Sla,
  displayDecimal,
  compare,
  floor,
  fromBigInt,
  fromNumber,
  min,
  mul,
  ONE,
  ratio,
  sub,
  toExactString,
  type Ratio,
} from '@faultline/shared';
import type { Availability } from './availability.js';
import { makeLine, type RatedLine } from './rated-line.js';

/** One SLA tier, exact. */
export interface SlaTier {
  readonly belowPercent: Ratio;
  readonly creditPercent: Ratio;
}

/** How much more downtime the period can take before the next tier. */
export interface SlaBudget {
  /** The next tier that more downtime would reach; null when the deepest tier is already applied. */
  readonly nextTier: SlaTier | null;
  /** Downtime that can still be added without reaching it, ms (null without a next tier). */
  readonly remainingMs: number | null;
  /** `remainingMs` in whole minutes, rounded down. */
  readonly remainingMinutes: number | null;
}

/** The SLA outcome of one service and period. */
export type SlaOutcome =
  | { readonly kind: 'met'; readonly budget: SlaBudget }
  | {
      readonly kind: 'breached';
      readonly tier: SlaTier;
      readonly line: RatedLine;
      readonly budget: SlaBudget;
    };

/** What a credit is computed from. */
export interface SlaCreditInput {
  readonly serviceId: string;
  readonly currency: string;
  readonly sla: Sla;
  readonly availability: Availability;
  /** The period's recurring charge of the service, minor units (`RatingResult.recurringChargeMinor`). */
  readonly baseChargeMinor: bigint;
}

const HUNDRED = fromBigInt(100n);

/** The SLA's tiers as exact values. */
export function exactTiers(sla: Sla): SlaTier[] {
  return sla.tiers.map((tier) => ({
    belowPercent: fromNumber(tier.belowPercent),
    creditPercent: fromNumber(tier.creditPercent),
  }));
}

/** The tier applied at an availability (0..1), or null when no tier is breached. */
export function tierFor(tiers: readonly SlaTier[], availability: Ratio): SlaTier | null {
  const percent = mul(availability, HUNDRED);
  let chosen: SlaTier | null = null;
  for (const tier of tiers) {
    if (compare(percent, tier.belowPercent) >= 0) continue;
    const order = chosen === null ? -1 : compare(tier.belowPercent, chosen.belowPercent);
    if (
      order < 0 ||
      (order === 0 && chosen !== null && compare(tier.creditPercent, chosen.creditPercent) > 0)
    ) {
      chosen = tier;
    }
  }
  return chosen;
}

/** The budget left before the next tier, for a period length and its downtime so far. */
export function slaBudget(
  tiers: readonly SlaTier[],
  periodMs: number,
  downtimeMs: number,
): SlaBudget {
  const period = fromBigInt(BigInt(periodMs));
  const availability = periodMs > 0 ? sub(ONE, ratio(BigInt(downtimeMs), BigInt(periodMs))) : ONE;
  const percent = mul(availability, HUNDRED);
  let nextTier: SlaTier | null = null;
  for (const tier of tiers) {
    if (compare(percent, tier.belowPercent) < 0) continue; // already breached
    if (nextTier === null || compare(tier.belowPercent, nextTier.belowPercent) > 0) nextTier = tier;
  }
  if (nextTier === null) return { nextTier: null, remainingMs: null, remainingMinutes: null };
  const allowedMs = mul(period, sub(ONE, mul(nextTier.belowPercent, ratio(1n, 100n))));
  const remainingMs = Number(floor(sub(allowedMs, fromBigInt(BigInt(downtimeMs)))));
  return { nextTier, remainingMs, remainingMinutes: Math.floor(remainingMs / 60_000) };
}

/** The SLA outcome: met, or breached with its (negative) credit line citing the outages. */
export function slaCredit(input: SlaCreditInput): SlaOutcome {
  const tiers = exactTiers(input.sla);
  const { availability } = input;
  const budget = slaBudget(tiers, availability.periodMs, availability.downtimeMs);
  const tier = tierFor(tiers, availability.availability);
  if (tier === null) return { kind: 'met', budget };
  const cap = fromNumber(input.sla.creditCapPercent);
  const applied = min(tier.creditPercent, cap);
  const percent = mul(availability.availability, HUNDRED);
  const availabilityPercent = toExactString(percent);
  const line = makeLine({
    kind: 'credit',
    serviceId: input.serviceId,
    description:
      `SLA ${input.sla.id}: availability ${displayDecimal(percent, 4)}% below ${toExactString(tier.belowPercent)}%, ` +
      `credit ${toExactString(applied)}%${compare(applied, tier.creditPercent) < 0 ? ' (capped)' : ''}`,
    quantity: mul(applied, ratio(1n, 100n)),
    unitPriceMinor: fromBigInt(-input.baseChargeMinor),
    periodFraction: ONE,
    currency: input.currency,
    evidence: {
      kind: 'sla',
      slaId: input.sla.id,
      availabilityPercent,
      downtimeMs: availability.downtimeMs,
      periodMs: availability.periodMs,
      tier: {
        belowPercent: toExactString(tier.belowPercent),
        creditPercent: toExactString(tier.creditPercent),
      },
      capPercent: toExactString(cap),
      appliedPercent: toExactString(applied),
      capped: compare(applied, tier.creditPercent) < 0,
      outageIds: availability.countedOutageIds,
      baseChargeMinor: input.baseChargeMinor.toString(),
    },
  });
  return { kind: 'breached', tier, line, budget };
}
