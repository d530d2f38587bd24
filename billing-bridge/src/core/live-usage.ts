/**
 * The live view of a service in its open period: usage so far, the 95th so far, where the
 * 95th would end, and how much downtime the SLA can still take.
 *
 * Projection: the period's remaining buckets are assumed to carry the mean rate of the buckets
 * observed so far, and the 95th is taken over the whole period. Bursts seen so far then use up
 * their share of the period's 5 % allowance, and the typical level fills the rest: early in a
 * month one burst dominates the 95th so far, but not the projection.
 */
import type { BillingLiveService, PricePlan, Sla } from '@faultline/shared';
import type { Availability } from './availability.js';
import { availabilityPercent, liveSlaCost } from './live-cost.js';
import { billablePercentile95, type Direction, type Percentile95 } from './percentile.js';
import type { Interval } from './periods.js';
import { rateService, type PlanAssignment } from './rating.js';
import { observedRates, rateStats, type PeriodUsage } from './usage.js';

/** What a live view is computed from. */
export interface LiveServiceInput {
  readonly serviceId: string;
  readonly currency: string;
  /** The whole open period. */
  readonly period: Interval;
  /** The plan in force now. */
  readonly plan: PricePlan;
  /** The plans over time (`planAssignments`): the base of the SLA credit, as the run rates it. */
  readonly plans: readonly PlanAssignment[];
  readonly sla: Sla | null;
  /** The usage of the elapsed part of the period, [period start, now). */
  readonly usage: PeriodUsage;
  /** The number of buckets of the whole period. */
  readonly periodBuckets: number;
  /** Availability over the whole period with outages up to now. */
  readonly availability: Availability;
}

function valueOf(result: Percentile95): number | null {
  return result.kind === 'value' ? result.valueBps : null;
}

function withMean(rates: Float64Array, extra: number): Float64Array {
  const filled = new Float64Array(rates.length + extra);
  filled.set(rates);
  filled.fill(rateStats(rates).meanBps, rates.length);
  return filled;
}

/** The live view of one service. */
export function liveService(input: LiveServiceInput): BillingLiveService {
  const { usage } = input;
  const direction: Direction = input.plan.type === 'percentile95' ? input.plan.direction : 'max';
  const rates = observedRates(usage);
  const now = billablePercentile95(rates.inBps, rates.outBps, direction);
  const elapsedBuckets = usage.inBps.length;
  const remaining = Math.max(0, input.periodBuckets - elapsedBuckets);
  const projected =
    rates.inBps.length === 0
      ? null
      : valueOf(
          billablePercentile95(
            withMean(rates.inBps, remaining),
            withMean(rates.outBps, remaining),
            direction,
          ).billed,
        );
  const sla =
    input.sla === null
      ? null
      : liveSlaCost({
          serviceId: input.serviceId,
          currency: input.currency,
          sla: input.sla,
          availability: input.availability,
          baseChargeMinor: rateService({
            serviceId: input.serviceId,
            currency: input.currency,
            period: input.period,
            plans: input.plans,
            usage,
          }).recurringChargeMinor,
        });
  return {
    serviceId: input.serviceId,
    planId: input.plan.id,
    inOctets: usage.inOctetsTotal.toString(),
    outOctets: usage.outOctetsTotal.toString(),
    percentile95Bps: valueOf(now.billed),
    projectedPercentile95Bps: projected,
    coveragePercent:
      elapsedBuckets === 0 ? 100 : (100 * usage.coverage.observedBuckets) / elapsedBuckets,
    downtimeMinutes: input.availability.downtimeMinutes,
    availabilityPercent: availabilityPercent(input.availability),
    slaBudgetMinutes: sla?.budgetMinutes ?? null,
    currency: input.currency,
    sla: sla?.cost ?? null,
  };
}
