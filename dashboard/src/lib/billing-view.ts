/**
 * What the billing page shows of the billing api's answers (docs/api.md, docs/billing.md), and
 * the pure helpers that turn stored evidence into what people read.
 */

import type {
  BillingExportLine,
  BillingExportRun,
  BillingJobOutcome,
  BillingRunProgress,
  SortedRates,
} from '@faultline/shared';
import { readSortedRates } from '@faultline/shared/billing-evidence';
import { formatDecimal } from './format.js';

/** A run as `GET /api/billing/runs` lists it: the stored run with its counts. */
export type BillingRun = BillingExportRun & {
  readonly lineCount: number;
  readonly heldCount: number;
  readonly requestedBy: string;
  /** This version's SLA credits, major units (0 or negative). */
  readonly totalCredits: string;
  readonly customerName: string;
  /** The customer's IANA time zone: periods and times are shown in it. */
  readonly timeZone: string;
};

/** One line of `GET /api/billing/runs/:id`: the stored line with its evidence and coverage. */
export type BillingLine = BillingExportLine & {
  readonly evidence: unknown;
  readonly coverage: unknown;
};

/** The stored reconciliation of a run (docs/billing.md, "Reconciliation"). */
export interface Reconciliation {
  readonly totals?: {
    readonly currency: string;
    readonly billed: string;
    readonly held: string;
    readonly byKind: Readonly<Record<string, string>>;
  };
  readonly usage?: readonly {
    readonly serviceId: string;
    readonly planId: string;
    readonly inOctets: string;
    readonly outOctets: string;
    readonly coveragePercent: string;
    readonly gapMinutes: number;
    readonly resets: number;
    readonly quarantined: number;
    readonly changePercent: string | null;
  }[];
  readonly credits?: readonly {
    readonly serviceId: string;
    readonly slaId: string | null;
    readonly availabilityPercent: string;
    readonly downtimeMinutes: number;
    /** This version's change of the credit. */
    readonly creditAmount: string;
    /** The credit across all versions (runs stored before it was kept: absent). */
    readonly cumulativeCreditAmount?: string;
    readonly outages: readonly {
      readonly id: string;
      readonly ticketId: string;
      /** The incident it comes from (absent in runs stored before it was kept; null: a claim). */
      readonly incidentId?: string | null;
      readonly claimId?: string | null;
      readonly start: string;
      readonly end: string | null;
      readonly counted: boolean;
    }[];
  }[];
  readonly held?: readonly {
    readonly lineKey: string;
    readonly amount: string;
    readonly coveragePercent: string;
  }[];
}

/** `GET /api/billing/runs/:id`. */
export interface BillingRunDetail {
  readonly run: BillingRun;
  readonly lines: readonly BillingLine[];
  readonly reconciliation: Reconciliation;
  /** Per SLA id: the decimals its thresholds are written with. */
  readonly availabilityDecimals: Readonly<Record<string, number>>;
}

/** `GET /api/billing/jobs/:id`: where a requested billing job stands. */
export interface BillingJob {
  readonly id: string;
  readonly state: 'queued' | 'running' | 'done' | 'failed';
  readonly request: { readonly period?: string; readonly customer?: string };
  readonly progress: BillingRunProgress | null;
  readonly outcomes: readonly BillingJobOutcome[];
  readonly error: string | null;
  readonly enqueuedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** Why a billing job made no run for a customer, for people. */
export function skipReasonText(reason: string): string {
  switch (reason) {
    case 'period-not-closed':
      return 'the period has not ended yet (it is shown live above, and billed once it closes)';
    case 'not-a-period-of-the-customer':
      return 'no such period for this customer (check its billing anchor day)';
    case 'unknown-customer':
      return 'no such customer in the configuration';
    default:
      return reason;
  }
}

/** What a 95th line's evidence says about its rank. */
export interface Percentile95Evidence {
  readonly direction: string;
  readonly sampleCount: number;
  readonly droppedCount: number;
  /** 1-based rank of the billed sample among the sorted rates, or null without samples. */
  readonly rank: number | null;
  readonly percentileBps: number | null;
  /** The plan's commit, bits per second (null when unreadable). */
  readonly commitBps: number | null;
  /** Points of the sorted 5-minute rates, when the evidence carries them (runs since they do). */
  readonly sortedRates: SortedRates | null;
}

/** The coverage of a usage line. */
export interface LineCoverage {
  readonly expectedBuckets: number;
  readonly observedBuckets: number;
  readonly gapMinutes: number;
  readonly resets: number;
  readonly quarantined: number;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function numberOrNull(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

/**
 * The 95th evidence of a line, or undefined for any other kind of evidence. A re-run's adjustment
 * of a 95th line carries the recomputed line's evidence (`recomputed`): that is shown.
 */
export function percentile95Evidence(evidence: unknown): Percentile95Evidence | undefined {
  const outer = record(evidence);
  const found = outer?.kind === 'manual' ? record(outer.recomputed) : outer;
  if (found?.kind !== 'percentile95') return undefined;
  const commitMbps = numberOrNull(found.commitMbps);
  return {
    direction: typeof found.direction === 'string' ? found.direction : 'unknown',
    sampleCount: numberOrNull(found.sampleCount) ?? 0,
    droppedCount: numberOrNull(found.droppedCount) ?? 0,
    rank: numberOrNull(found.rank),
    percentileBps: numberOrNull(found.percentileBps),
    commitBps: commitMbps === null ? null : commitMbps * 1e6,
    sortedRates: readSortedRates(found.sortedRates),
  };
}

/** The coverage of a usage line, or undefined when the line has none. */
export function lineCoverage(coverage: unknown): LineCoverage | undefined {
  const found = record(coverage);
  if (found === undefined) return undefined;
  const expected = numberOrNull(found.expectedBuckets);
  const observed = numberOrNull(found.observedBuckets);
  if (expected === null || observed === null) return undefined;
  return {
    expectedBuckets: expected,
    observedBuckets: observed,
    gapMinutes: numberOrNull(found.gapMinutes) ?? 0,
    resets: numberOrNull(found.resets) ?? 0,
    quarantined: numberOrNull(found.quarantined) ?? 0,
  };
}

/** An outage of a credit as shown: ticket and times, linked to its incident when it has one. */
export type CreditOutage = NonNullable<Reconciliation['credits']>[number]['outages'][number];

/** Where an outage's ticket leads: its incident's page, or nowhere (claims, older runs). */
export function outageLink(outage: CreditOutage): string | null {
  return typeof outage.incidentId === 'string'
    ? `/incidents/${encodeURIComponent(outage.incidentId)}`
    : null;
}

/** A rate in bits per second for people: `245.3 Mbps`, `1.2 Gbps`, `800 bps`. */
export function formatBps(bps: number | null): string {
  if (bps === null) return '—';
  const units: [number, string][] = [
    [1e9, 'Gbps'],
    [1e6, 'Mbps'],
    [1e3, 'kbps'],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(bps) >= size) return `${String(Math.round((bps / size) * 10) / 10)} ${unit}`;
  }
  return `${String(Math.round(bps))} bps`;
}

/** An octet count (decimal string, exact) for people, in decimal GB, grouped, two digits. */
export function formatOctets(octets: string): string {
  if (!/^\d+$/.test(octets)) return octets;
  // 10^9 octets to a GB: move the point nine digits left, on the exact digits.
  const digits = octets.padStart(10, '0');
  return `${formatDecimal(`${digits.slice(0, -9)}.${digits.slice(-9)}`, 2)} GB`;
}

/** The filename of a `content-disposition: attachment; filename="…"` header, else `fallback`. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = header === null ? null : /filename="([^"]+)"/.exec(header);
  return match?.[1] ?? fallback;
}

/**
 * The exact sum of decimal strings (`"-312.50"`, `"1200.5"`), with as many decimals as the most
 * precise of them: a period's total across its runs (a later version holds only adjustments, so
 * the sum over versions is what the period bills).
 */
export function sumDecimals(values: readonly string[]): string {
  const parsed = values.map((value) => {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
    if (match === null) throw new Error(`not a decimal: ${value}`);
    return { negative: match[1] === '-', whole: match[2] ?? '0', fraction: match[3] ?? '' };
  });
  const decimals = Math.max(0, ...parsed.map((part) => part.fraction.length));
  let total = 0n;
  for (const part of parsed) {
    const units = BigInt(part.whole + part.fraction.padEnd(decimals, '0'));
    total += part.negative ? -units : units;
  }
  const digits = (total < 0n ? -total : total).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return `${total < 0n ? '-' : ''}${whole}${decimals === 0 ? '' : `.${fraction}`}`;
}

/** Per currency, the billed total and SLA credits of some runs (the runs of a period). */
export function runTotals(
  runs: readonly BillingRun[],
): { currency: string; billed: string; credits: string }[] {
  const currencies = [...new Set(runs.map((run) => run.currency))].sort();
  return currencies.map((currency) => {
    const of = runs.filter((run) => run.currency === currency);
    return {
      currency,
      billed: sumDecimals(of.map((run) => run.totalBilled)),
      credits: sumDecimals(of.map((run) => run.totalCredits)),
    };
  });
}

/** The lines of a run grouped by service, in line order. */
export function linesByService(lines: readonly BillingLine[]): [string, BillingLine[]][] {
  const groups = new Map<string, BillingLine[]>();
  for (const line of [...lines].sort((a, b) => a.lineNo - b.lineNo)) {
    const group = groups.get(line.serviceId) ?? [];
    group.push(line);
    groups.set(line.serviceId, group);
  }
  return [...groups.entries()];
}
