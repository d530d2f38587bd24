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

/** A run as `GET /api/billing/runs` lists it: the stored run with its counts. */
export type BillingRun = BillingExportRun & {
  readonly lineCount: number;
  readonly heldCount: number;
  readonly requestedBy: string;
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
    readonly creditAmount: string;
    readonly outages: readonly {
      readonly id: string;
      readonly ticketId: string;
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

/** The 95th evidence of a line, or undefined for any other kind of evidence. */
export function percentile95Evidence(evidence: unknown): Percentile95Evidence | undefined {
  const found = record(evidence);
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

/** An octet count (decimal string, exact) for people, in decimal GB with two digits. */
export function formatOctets(octets: string): string {
  const value = Number(octets);
  if (!Number.isFinite(value)) return octets;
  return `${(value / 1e9).toFixed(2)} GB`;
}

/** The filename of a `content-disposition: attachment; filename="…"` header, else `fallback`. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = header === null ? null : /filename="([^"]+)"/.exec(header);
  return match?.[1] ?? fallback;
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
