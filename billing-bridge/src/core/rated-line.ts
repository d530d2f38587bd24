/**
 * A rated line: one charge, overage, credit or adjustment on a customer's bill, with the evidence
 * it was computed from.
 *
 * Every line obeys one formula, which `makeLine` applies and `lineIsConsistent` re-checks:
 *
 *   amountMinor = roundHalfAwayFromZero(quantity × unitPriceMinor × periodFraction)
 *
 * `quantity` and `unitPriceMinor` are exact decimal strings; `periodFraction` is the pro-ration
 * factor, exact: a decimal when it terminates ("0.5"), otherwise a reduced fraction ("10/31").
 * Credits carry a negative unit price, so their amounts are negative.
 */
import {
  roundHalfAwayFromZero,
  mul,
  parseDecimal,
  ratio,
  toDecimalString,
  toExactString,
  type Ratio,
  type SortedRates,
} from '@faultline/shared';
import type { Direction } from './percentile.js';

/** What a line is. */
export type LineKind = 'charge' | 'overage' | 'credit' | 'adjustment';

/** A half-open interval of UTC epoch ms, as it appears in evidence. */
export interface EvidenceInterval {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Where a line's numbers come from. Big integers are decimal strings so that evidence serializes
 * to JSON as is.
 */
export type LineEvidence =
  | {
      readonly kind: 'recurring';
      readonly planId: string;
      readonly segment: EvidenceInterval;
      readonly segmentMs: number;
      readonly periodMs: number;
    }
  | {
      readonly kind: 'percentile95';
      readonly planId: string;
      readonly segment: EvidenceInterval;
      readonly direction: Direction;
      /** Buckets [fromBucket, toBucket) of the period were used. */
      readonly fromBucket: number;
      readonly toBucket: number;
      readonly sampleCount: number;
      readonly droppedCount: number;
      /** 1-based ascending rank of the billed sample (0 with no samples). */
      readonly rank: number;
      /** The 95th as measured, bits per second (null with no samples). */
      readonly percentileBps: number | null;
      /** For `max`: each direction's 95th, bits per second. */
      readonly inboundBps?: number | null;
      readonly outboundBps?: number | null;
      /** The 95th rounded to whole bits per second, the billed value. */
      readonly billedBps: string;
      readonly commitMbps: string;
      /** The sorted rates for the chart, with the billed rank among them (absent without samples). */
      readonly sortedRates?: SortedRates;
    }
  | {
      readonly kind: 'volume';
      readonly planId: string;
      readonly segment: EvidenceInterval;
      readonly fromBucket: number;
      readonly toBucket: number;
      readonly inOctets: string;
      readonly outOctets: string;
      /** includedGB × 10^9 × period fraction, rounded to whole octets. */
      readonly includedOctets: string;
      readonly extraOctets: string;
    }
  | {
      readonly kind: 'sla';
      readonly slaId: string;
      /** Availability in percent, exact ("99.7", or a fraction when it does not terminate). */
      readonly availabilityPercent: string;
      readonly downtimeMs: number;
      readonly periodMs: number;
      readonly tier: { readonly belowPercent: string; readonly creditPercent: string };
      readonly capPercent: string;
      /** min(tier credit, cap), percent. */
      readonly appliedPercent: string;
      readonly capped: boolean;
      readonly outageIds: readonly string[];
      readonly baseChargeMinor: string;
    }
  | {
      readonly kind: 'manual';
      readonly reason: string;
      /**
       * A re-run's adjustment: the evidence of the line as recomputed (a 95th's rank, count and
       * sorted rates; a credit's outages), so the new amount is as explainable as the first.
       * Absent when the key is no longer billed.
       */
      readonly recomputed?: Exclude<LineEvidence, { kind: 'manual' }>;
    };

/** One line of a bill. */
export interface RatedLine {
  readonly kind: LineKind;
  readonly serviceId: string;
  readonly description: string;
  /** Exact decimal: Mbps, GB, months, or a credit's share of the base charge. */
  readonly quantity: string;
  /** Exact decimal number of minor units per unit of quantity (may have sub-minor decimals). */
  readonly unitPriceMinor: string;
  /** Pro-ration factor, exact: a decimal or a reduced fraction "p/q". */
  readonly periodFraction: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly evidence: LineEvidence;
}

/** The fields of a line before its amount is computed. */
export interface LineParts {
  readonly kind: LineKind;
  readonly serviceId: string;
  readonly description: string;
  readonly quantity: Ratio;
  readonly unitPriceMinor: Ratio;
  readonly periodFraction: Ratio;
  readonly currency: string;
  readonly evidence: LineEvidence;
}

function exactDecimal(value: Ratio, what: string): string {
  const text = toDecimalString(value);
  if (text === null)
    throw new Error(`${what} must be a terminating decimal, got ${value.num}/${value.den}`);
  return text;
}

/**
 * Builds a line, computing its amount by the line formula (one rounding).
 * @throws Error when quantity or unit price do not terminate as decimals (a broken invariant:
 *   they are built from decimal config values and integer measurements).
 */
export function makeLine(parts: LineParts): RatedLine {
  return {
    kind: parts.kind,
    serviceId: parts.serviceId,
    description: parts.description,
    quantity: exactDecimal(parts.quantity, 'quantity'),
    unitPriceMinor: exactDecimal(parts.unitPriceMinor, 'unit price'),
    periodFraction: toExactString(parts.periodFraction),
    amountMinor: roundHalfAwayFromZero(
      mul(mul(parts.quantity, parts.unitPriceMinor), parts.periodFraction),
    ),
    currency: parts.currency,
    evidence: parts.evidence,
  };
}

/** Reads an exact string written by this module: a decimal or "p/q". Null if it is neither. */
export function parseExact(text: string): Ratio | null {
  const slash = text.indexOf('/');
  if (slash < 0) return parseDecimal(text);
  const num = parseDecimal(text.slice(0, slash));
  const den = parseDecimal(text.slice(slash + 1));
  if (num?.den !== 1n || den?.den !== 1n || den.num === 0n) return null;
  return ratio(num.num, den.num);
}

/** True when the line's amount is what the line formula gives for its own fields. */
export function lineIsConsistent(line: RatedLine): boolean {
  const quantity = parseExact(line.quantity);
  const unit = parseExact(line.unitPriceMinor);
  const fraction = parseExact(line.periodFraction);
  if (quantity === null || unit === null || fraction === null) return false;
  return roundHalfAwayFromZero(mul(mul(quantity, unit), fraction)) === line.amountMinor;
}

/**
 * An adjustment: quantity 1 × the amount, full period; `recomputed` is the evidence of the line
 * it adjusts to (see `LineEvidence`).
 */
export function adjustmentLine(
  serviceId: string,
  description: string,
  amountMinor: bigint,
  currency: string,
  reason: string,
  recomputed?: LineEvidence,
): RatedLine {
  return makeLine({
    kind: 'adjustment',
    serviceId,
    description,
    quantity: ratio(1n),
    unitPriceMinor: ratio(amountMinor),
    periodFraction: ratio(1n),
    currency,
    evidence:
      recomputed === undefined || recomputed.kind === 'manual'
        ? { kind: 'manual', reason }
        : { kind: 'manual', reason, recomputed },
  });
}
