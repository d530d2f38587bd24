/**
 * The reconciliation report of a billing run: what the billing team checks before sending it.
 * - usage per service against the previous period's run and against the run of the same period
 *   this one re-runs (octets and the change in percent);
 * - credits against the outages and tickets they come from, maintenance exclusions shown;
 * - lines held for low coverage;
 * - totals per currency (billed, held, and per line kind).
 * Amounts are decimal strings in the currency's minor digits, octets are decimal strings.
 */
import type { BillLine, ServiceBillSummary } from './customer-bill.js';
import { displayDecimal, formatMinor, ratio, sub, mul, type Ratio } from '@faultline/shared';

/** An outage record as the run read it. */
export interface OutageRecord {
  readonly id: string;
  readonly serviceId: string;
  /** The incident's ticket, or a claimed outage's reference (a carrier's ticket, a visit). */
  readonly ticketId: string;
  /** The incident the network saw (null for a claimed outage). */
  readonly incidentId: string | null;
  /** The approved claim it comes from (null for an outage the network saw). */
  readonly claimId: string | null;
  readonly startMs: number;
  readonly endMs: number | null;
  readonly inMaintenance: boolean;
}

/** A service's usage as an earlier run reported it. */
export interface PreviousUsage {
  readonly runId: string;
  readonly period: string;
  readonly inOctets: string;
  readonly outOctets: string;
}

/** What the report is computed from. */
export interface ReconciliationInput {
  readonly currency: string;
  /** The lines this run wrote. */
  readonly lines: readonly BillLine[];
  /** The full recomputed bill (all versions together), for cumulative figures. */
  readonly targetLines: readonly BillLine[];
  /** The services as the full (target) bill saw them. */
  readonly services: readonly ServiceBillSummary[];
  readonly outages: readonly OutageRecord[];
  /** The previous period's usage by service id, when a run of it exists. */
  readonly previousUsage: ReadonlyMap<string, PreviousUsage>;
  /** This period's usage as its latest earlier run saw it (a re-run), by service id. */
  readonly previousRunUsage: ReadonlyMap<string, PreviousUsage>;
}

/** The reconciliation report (stored as jsonb with the run). */
export interface Reconciliation {
  readonly totals: {
    readonly currency: string;
    readonly billed: string;
    readonly held: string;
    readonly byKind: Readonly<Record<string, string>>;
  };
  readonly usage: readonly {
    readonly serviceId: string;
    readonly planId: string;
    readonly inOctets: string;
    readonly outOctets: string;
    readonly coveragePercent: string;
    readonly gapMinutes: number;
    readonly resets: number;
    readonly quarantined: number;
    readonly previous: PreviousUsage | null;
    /** Total octets against the previous period, percent rounded to 2 decimals (null: no previous). */
    readonly changePercent: string | null;
    /** The same period in the run this one re-runs (null for a first run). */
    readonly previousRun: PreviousUsage | null;
    /** Total octets against that run, percent rounded to 2 decimals. */
    readonly changeSincePreviousRunPercent: string | null;
  }[];
  readonly credits: readonly {
    readonly serviceId: string;
    readonly slaId: string | null;
    readonly availabilityPercent: string;
    readonly downtimeMinutes: number;
    /** This version's change of the service's SLA credit (its credit lines and adjustments). */
    readonly creditAmount: string;
    /** The service's SLA credit across all versions of the period: what now applies. */
    readonly cumulativeCreditAmount: string;
    readonly outages: readonly {
      readonly id: string;
      readonly ticketId: string;
      readonly incidentId: string | null;
      readonly claimId: string | null;
      readonly start: string;
      readonly end: string | null;
      readonly counted: boolean;
    }[];
  }[];
  readonly held: readonly {
    readonly lineKey: string;
    readonly amount: string;
    readonly coveragePercent: string;
  }[];
}

function changePercent(before: bigint, after: bigint): string | null {
  if (before === 0n) return null;
  const change: Ratio = mul(sub(ratio(after, before), ratio(1n)), ratio(100n));
  return displayDecimal(change, 2);
}

/** Builds the report of one run. */
export function reconcile(input: ReconciliationInput): Reconciliation {
  const { currency } = input;
  const format = (minor: bigint): string => formatMinor(minor, currency);
  let billed = 0n;
  let held = 0n;
  const byKind = new Map<string, bigint>();
  for (const line of input.lines) {
    if (line.status === 'held') {
      held += line.amountMinor;
      continue;
    }
    billed += line.amountMinor;
    byKind.set(line.kind, (byKind.get(line.kind) ?? 0n) + line.amountMinor);
  }
  const coverageText = (service: ServiceBillSummary): string =>
    displayDecimal(service.coveragePercent, 2);
  const coverageOf = new Map(input.services.map((s) => [s.serviceId, coverageText(s)]));
  return {
    totals: {
      currency,
      billed: format(billed),
      held: format(held),
      byKind: Object.fromEntries(
        [...byKind].sort().map(([kind, amount]) => [kind, format(amount)]),
      ),
    },
    usage: input.services.map((service) => {
      const previous = input.previousUsage.get(service.serviceId) ?? null;
      const previousRun = input.previousRunUsage.get(service.serviceId) ?? null;
      const total = service.inOctets + service.outOctets;
      const change = (usage: PreviousUsage | null): string | null =>
        usage === null
          ? null
          : changePercent(BigInt(usage.inOctets) + BigInt(usage.outOctets), total);
      return {
        serviceId: service.serviceId,
        planId: service.planId,
        inOctets: service.inOctets.toString(),
        outOctets: service.outOctets.toString(),
        coveragePercent: coverageText(service),
        gapMinutes: service.coverage.gapMinutes,
        resets: service.coverage.resets,
        quarantined: service.coverage.quarantined,
        previous,
        changePercent: change(previous),
        previousRun,
        changeSincePreviousRunPercent: change(previousRun),
      };
    }),
    credits: input.services.map((service) => {
      const counted = new Set(service.availability.countedOutageIds);
      const related = new Set([...counted, ...service.availability.maintenanceOutageIds]);
      // An SLA credit is keyed `<service>/credit/<sla>`; a re-run's adjustment keeps that key.
      const creditKey = `${service.serviceId}/credit/`;
      const credits = (lines: readonly BillLine[]): bigint =>
        lines
          .filter((line) => line.status === 'billed' && line.key.startsWith(creditKey))
          .reduce((total, line) => total + line.amountMinor, 0n);
      return {
        serviceId: service.serviceId,
        slaId: service.slaId,
        availabilityPercent: displayDecimal(mul(service.availability.availability, ratio(100n)), 4),
        downtimeMinutes: service.availability.downtimeMinutes,
        creditAmount: format(credits(input.lines)),
        cumulativeCreditAmount: format(credits(input.targetLines)),
        outages: input.outages
          .filter((outage) => outage.serviceId === service.serviceId && related.has(outage.id))
          .map((outage) => ({
            id: outage.id,
            ticketId: outage.ticketId,
            incidentId: outage.incidentId,
            claimId: outage.claimId,
            start: new Date(outage.startMs).toISOString(),
            end: outage.endMs === null ? null : new Date(outage.endMs).toISOString(),
            counted: counted.has(outage.id),
          })),
      };
    }),
    held: input.lines
      .filter((line) => line.status === 'held')
      .map((line) => ({
        lineKey: line.key,
        amount: format(line.amountMinor),
        coveragePercent: coverageOf.get(line.serviceId) ?? '0.00',
      })),
  };
}
