/**
 * The bill of one customer for one closed period: every service rated on its plan, its SLA
 * credit from its outages, and a hold on usage lines whose data is too thin to bill.
 *
 * Conventions (see docs/billing.md):
 * - Coverage of a service = observed buckets / expected buckets. An `overage` line (the only
 *   kind computed from usage) of a service whose coverage is below `minCoveragePercent` is
 *   `held`: written, with its amount and coverage, but not billed until someone reviews it or a
 *   re-run finds enough data. Charges and credits do not depend on usage and are never held.
 * - Each line has a key naming what it bills (`service/kind/plan-or-sla/segment start`), stable
 *   across re-runs: re-runs compare amounts key by key.
 */
import { type Sla, compare, fromNumber, ratio, type Ratio } from '@faultline/shared';
import { computeAvailability, type Availability, type Outage } from './availability.js';
import { slaCredit, type SlaBudget } from './credits.js';
import type { Interval } from './periods.js';
import { rateService, type PlanAssignment } from './rating.js';
import type { RatedLine } from './rated-line.js';
import type { PeriodUsage, UsageCoverage } from './usage.js';

/** A line of a customer's bill, with its key and whether it is billed or held. */
export interface BillLine extends RatedLine {
  readonly key: string;
  readonly status: 'billed' | 'held';
  /** The usage coverage a usage line was computed from (null for other lines). */
  readonly coverage: UsageCoverage | null;
}

/** One service to bill. */
export interface ServiceBillInput {
  readonly serviceId: string;
  /** The plans in force over time, sorted by `fromMs` (see `planAssignments`). */
  readonly plans: readonly PlanAssignment[];
  readonly sla: Sla | null;
  readonly usage: PeriodUsage;
  readonly outages: readonly Outage[];
}

/** What a customer's bill is computed from. */
export interface CustomerBillInput {
  readonly currency: string;
  readonly period: Interval;
  readonly services: readonly ServiceBillInput[];
  /** Usage lines below this coverage (percent of buckets observed) are held. */
  readonly minCoveragePercent: number;
  /** The run's clock: the end of outages still open (clipped to the period anyway). */
  readonly nowMs: number;
}

/** What was decided for one service, for the reconciliation report. */
export interface ServiceBillSummary {
  readonly serviceId: string;
  /** The plans billed in the period, in order, joined by " → " (empty: none in force). */
  readonly planId: string;
  readonly coverage: UsageCoverage;
  /** Observed / expected buckets in percent, exact. */
  readonly coveragePercent: Ratio;
  readonly held: boolean;
  readonly inOctets: bigint;
  readonly outOctets: bigint;
  readonly availability: Availability;
  readonly slaId: string | null;
  readonly budget: SlaBudget | null;
}

/** A customer's bill for a period. */
export interface CustomerBill {
  readonly lines: readonly BillLine[];
  readonly services: readonly ServiceBillSummary[];
}

/** The key of a line: what it bills, independent of its amount. */
export function lineKey(line: RatedLine): string {
  const evidence = line.evidence;
  switch (evidence.kind) {
    case 'recurring':
    case 'percentile95':
    case 'volume':
      return `${line.serviceId}/${line.kind}/${evidence.planId}/${String(evidence.segment.startMs)}`;
    case 'sla':
      return `${line.serviceId}/${line.kind}/${evidence.slaId}`;
    case 'manual':
      return `${line.serviceId}/${line.kind}`;
  }
}

/** Observed / expected buckets, in percent (100 for an empty period). */
export function coveragePercent(coverage: UsageCoverage): Ratio {
  if (coverage.expectedBuckets === 0) return ratio(100n);
  return ratio(BigInt(coverage.observedBuckets) * 100n, BigInt(coverage.expectedBuckets));
}

/** Bills one customer for one period, services in the order given. */
export function billCustomer(input: CustomerBillInput): CustomerBill {
  const threshold = fromNumber(input.minCoveragePercent);
  const lines: BillLine[] = [];
  const services: ServiceBillSummary[] = [];
  for (const service of input.services) {
    const rating = rateService({
      serviceId: service.serviceId,
      currency: input.currency,
      period: input.period,
      plans: service.plans,
      usage: service.usage,
    });
    const percent = coveragePercent(service.usage.coverage);
    const held = compare(percent, threshold) < 0;
    for (const line of rating.lines) {
      const usageLine = line.kind === 'overage';
      lines.push({
        ...line,
        key: lineKey(line),
        status: usageLine && held ? 'held' : 'billed',
        coverage: usageLine ? service.usage.coverage : null,
      });
    }
    const availability = computeAvailability(input.period, service.outages, input.nowMs);
    let budget: SlaBudget | null = null;
    if (service.sla !== null) {
      const outcome = slaCredit({
        serviceId: service.serviceId,
        currency: input.currency,
        sla: service.sla,
        availability,
        baseChargeMinor: rating.recurringChargeMinor,
      });
      budget = outcome.budget;
      if (outcome.kind === 'breached') {
        lines.push({
          ...outcome.line,
          key: lineKey(outcome.line),
          status: 'billed',
          coverage: null,
        });
      }
    }
    services.push({
      serviceId: service.serviceId,
      planId: rating.segments.map((segment) => segment.plan.id).join(' → '),
      coverage: service.usage.coverage,
      coveragePercent: percent,
      held: held && rating.lines.some((line) => line.kind === 'overage'),
      inOctets: service.usage.inOctetsTotal,
      outOctets: service.usage.outOctetsTotal,
      availability,
      slaId: service.sla?.id ?? null,
      budget,
    });
  }
  return { lines, services };
}
