/**
 * Rating one service for one period by its price plan(s).
 *
 * Conventions (see docs/billing.md):
 * - Plans apply over segments: each plan assignment is in force from its `fromMs` until the next
 *   assignment, clipped to the period. A `null` plan means the service is not billed (cancelled,
 *   not yet active). Each segment is rated on its own plan and its own buckets (a bucket belongs to
 *   the segment containing its start).
 * - Pro-ration by time: periodFraction = segment duration / period duration, both in real elapsed
 *   time (seconds, kept exact to the ms), so a segment's share of a 743-hour March is its seconds
 *   over 743 × 3600. No day counting.
 * - flat: one `charge` line, 1 × monthlyCharge × fraction.
 * - percentile95: a `charge` line as flat, and an `overage` line of
 *   max(0, billed Mbps − commitMbps) × overagePerMbps × fraction, where billed Mbps is the
 *   direction's 95th percentile (see percentile.ts) rounded to whole bits per second, / 10^6.
 *   Mbps = 10^6 bits per second. The overage line is always written, with quantity 0 when under
 *   commit or without samples, so the 95th is always on the bill as evidence.
 * - volume: a `charge` line as flat, and an `overage` line of extra GB × perExtraGB, where
 *   GB = 10^9 octets (decimal, not GiB), the volume is inbound + outbound octets, and the allowance
 *   includedGB × 10^9 × fraction is rounded to whole octets. The price is not pro-rated (the
 *   allowance is), so that line's periodFraction is 1.
 */
import {
  type PricePlan,
  priceMinor,
  roundHalfAwayFromZero,
  sortedRatesCurve,
  fromBigInt,
  fromNumber,
  max,
  mul,
  ratio,
  sub,
  toDecimalString,
  toExactString,
  ZERO,
  type Ratio,
} from '@faultline/shared';
import { billablePercentile95, type Percentile95 } from './percentile.js';
import type { Interval } from './periods.js';
import { makeLine, type RatedLine } from './rated-line.js';
import { octetsBetween, observedRates, type PeriodUsage } from './usage.js';

/** A plan in force from `fromMs` until the next assignment (null: not billed). */
export interface PlanAssignment {
  readonly fromMs: number;
  readonly plan: PricePlan | null;
}

/** What to rate. */
export interface RatingInput {
  readonly serviceId: string;
  readonly currency: string;
  readonly period: Interval;
  /** Sorted by `fromMs`; time before the first assignment is not billed. */
  readonly plans: readonly PlanAssignment[];
  /** The period's usage (same period). */
  readonly usage: PeriodUsage;
}

/** A stretch of the period under one plan. */
export interface RatedSegment {
  readonly plan: PricePlan;
  readonly startMs: number;
  readonly endMs: number;
  readonly fromBucket: number;
  readonly toBucket: number;
  readonly periodFraction: Ratio;
}

/** The rated lines of one service and period. */
export interface RatingResult {
  readonly lines: readonly RatedLine[];
  readonly segments: readonly RatedSegment[];
  /** Sum of the `charge` lines: the base an SLA credit is a percentage of. */
  readonly recurringChargeMinor: bigint;
}

const BITS_PER_MBIT = 1_000_000n;
const OCTETS_PER_GB = 1_000_000_000n;

/**
 * Splits the period into plan segments.
 * @throws RangeError when assignments are not sorted by time.
 */
export function planSegments(
  period: Interval,
  plans: readonly PlanAssignment[],
  bucketMs: number,
): RatedSegment[] {
  const periodMs = BigInt(period.endMs - period.startMs);
  const segments: RatedSegment[] = [];
  plans.forEach((assignment, index) => {
    const next = plans[index + 1];
    if (next !== undefined && next.fromMs < assignment.fromMs) {
      throw new RangeError('plan assignments must be sorted by fromMs');
    }
    const startMs = Math.max(assignment.fromMs, period.startMs);
    const endMs = Math.min(next?.fromMs ?? period.endMs, period.endMs);
    if (assignment.plan === null || endMs <= startMs) return;
    segments.push({
      plan: assignment.plan,
      startMs,
      endMs,
      fromBucket: Math.ceil((startMs - period.startMs) / bucketMs),
      toBucket: Math.ceil((endMs - period.startMs) / bucketMs),
      periodFraction: ratio(BigInt(endMs - startMs), periodMs),
    });
  });
  return segments;
}

function prorationNote(fraction: Ratio): string {
  return fraction.num === fraction.den
    ? ''
    : ` (pro-rated ${toExactString(fraction)} of the period)`;
}

function decimal(value: Ratio): string {
  return toDecimalString(value) ?? toExactString(value);
}

function percentileFields(result: Percentile95): {
  sampleCount: number;
  droppedCount: number;
  rank: number;
  bps: number | null;
} {
  return result.kind === 'value'
    ? {
        sampleCount: result.sampleCount,
        droppedCount: result.droppedCount,
        rank: result.rank,
        bps: result.valueBps,
      }
    : { sampleCount: 0, droppedCount: 0, rank: 0, bps: null };
}

function rateSegment(input: RatingInput, segment: RatedSegment): RatedLine[] {
  const { serviceId, currency } = input;
  const plan = segment.plan;
  const interval = { startMs: segment.startMs, endMs: segment.endMs };
  const charge = makeLine({
    kind: 'charge',
    serviceId,
    description: `${plan.id} monthly charge${prorationNote(segment.periodFraction)}`,
    quantity: ratio(1n),
    unitPriceMinor: priceMinor(plan.monthlyCharge, currency),
    periodFraction: segment.periodFraction,
    currency,
    evidence: {
      kind: 'recurring',
      planId: plan.id,
      segment: interval,
      segmentMs: segment.endMs - segment.startMs,
      periodMs: input.period.endMs - input.period.startMs,
    },
  });
  switch (plan.type) {
    case 'flat':
      return [charge];
    case 'percentile95': {
      const rates = observedRates(input.usage, segment.fromBucket, segment.toBucket);
      const p95 = billablePercentile95(rates.inBps, rates.outBps, plan.direction);
      const billedBps =
        p95.billed.kind === 'value' ? roundHalfAwayFromZero(fromNumber(p95.billed.valueBps)) : 0n;
      const commit = fromNumber(plan.commitMbps);
      const billedMbps = ratio(billedBps, BITS_PER_MBIT);
      const excess = max(ZERO, sub(billedMbps, commit));
      const fields = percentileFields(p95.billed);
      const overage = makeLine({
        kind: 'overage',
        serviceId,
        description:
          `${plan.id} 95th percentile (${plan.direction}) ${decimal(billedMbps)} Mbps, ` +
          `commit ${decimal(commit)} Mbps${prorationNote(segment.periodFraction)}`,
        quantity: excess,
        unitPriceMinor: priceMinor(plan.overagePerMbps, currency),
        periodFraction: segment.periodFraction,
        currency,
        evidence: {
          kind: 'percentile95',
          planId: plan.id,
          segment: interval,
          direction: plan.direction,
          fromBucket: segment.fromBucket,
          toBucket: segment.toBucket,
          sampleCount: fields.sampleCount,
          droppedCount: fields.droppedCount,
          rank: fields.rank,
          percentileBps: fields.bps,
          ...(p95.inbound && p95.outbound
            ? {
                inboundBps: percentileFields(p95.inbound).bps,
                outboundBps: percentileFields(p95.outbound).bps,
              }
            : {}),
          billedBps: billedBps.toString(),
          commitMbps: decimal(commit),
          ...(p95.billed.kind === 'value'
            ? { sortedRates: sortedRatesCurve(p95.ratesBps.slice().sort(), p95.billed.rank) }
            : {}),
        },
      });
      return [charge, overage];
    }
    case 'volume': {
      const octets = octetsBetween(input.usage, segment.fromBucket, segment.toBucket);
      const used = octets.inOctets + octets.outOctets;
      const included = roundHalfAwayFromZero(
        mul(mul(fromNumber(plan.includedGB), fromBigInt(OCTETS_PER_GB)), segment.periodFraction),
      );
      const extra = used > included ? used - included : 0n;
      const overage = makeLine({
        kind: 'overage',
        serviceId,
        description:
          `${plan.id} volume ${decimal(ratio(used, OCTETS_PER_GB))} GB, ` +
          `included ${decimal(ratio(included, OCTETS_PER_GB))} GB${prorationNote(segment.periodFraction)}`,
        quantity: ratio(extra, OCTETS_PER_GB),
        unitPriceMinor: priceMinor(plan.perExtraGB, currency),
        periodFraction: ratio(1n),
        currency,
        evidence: {
          kind: 'volume',
          planId: plan.id,
          segment: interval,
          fromBucket: segment.fromBucket,
          toBucket: segment.toBucket,
          inOctets: octets.inOctets.toString(),
          outOctets: octets.outOctets.toString(),
          includedOctets: included.toString(),
          extraOctets: extra.toString(),
        },
      });
      return [charge, overage];
    }
  }
}

/**
 * Rates a service for a period: one `charge` line per plan segment, plus an `overage` line per
 * segment of a percentile95 or volume plan.
 */
export function rateService(input: RatingInput): RatingResult {
  const segments = planSegments(input.period, input.plans, input.usage.bucketMs);
  const lines: RatedLine[] = [];
  for (const segment of segments) lines.push(...rateSegment(input, segment));
  const recurringChargeMinor = lines
    .filter((line) => line.kind === 'charge')
    .reduce((total, line) => total + line.amountMinor, 0n);
  return { lines, segments, recurringChargeMinor };
}
