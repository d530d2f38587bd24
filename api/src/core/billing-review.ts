/**
 * What a billing analyst may do to a stored run, decided from what the store read under the
 * period's lock. Pure: the adapter reads, asks, and writes what is decided.
 *
 * - Only the latest version of a period takes actions: an earlier version is closed, its
 *   still-held lines were repeated in the later one.
 * - An approval releases one held line: it bills the line's amount under the line's key (a re-run
 *   then adjusts that amount instead of holding the line again). A key is released once per
 *   period.
 * - An adjustment is a manual credit (negative) or debit (positive) of an exact amount in the
 *   run's currency, on one of the period's services, under a key of its own.
 * - Both carry a reason, who and when, and become lines after the run's computed lines; the
 *   computed lines are never changed.
 */
import { formatMinor, parseAmountMinor, type MoneyError } from '@faultline/shared';

/** The run acted on, as stored. */
export interface ReviewRun {
  readonly id: string;
  readonly customerId: string;
  readonly period: string;
  readonly version: number;
  readonly currency: string;
}

/** A computed line of the run. */
export interface ReviewLine {
  readonly lineNo: number;
  readonly lineKey: string;
  readonly serviceId: string;
  readonly status: 'billed' | 'held';
  readonly description: string;
  readonly amountMinor: bigint;
}

/** An approval already made in the period under some key. */
export interface PriorApproval {
  readonly runId: string;
  readonly lineNo: number;
  readonly actor: string;
  readonly at: string;
}

/** What the analyst asks and who they are. */
export interface ReviewContext {
  readonly run: ReviewRun;
  /** The latest version of the run's period. */
  readonly latestVersion: number;
  /** The number the new action gets (1 + the run's actions so far). */
  readonly actionNo: number;
  readonly reason: string;
  readonly actor: string;
  /** ISO 8601 UTC instant of the action. */
  readonly at: string;
}

/** An action to write. */
export interface NewAction {
  readonly kind: 'approval' | 'adjustment';
  readonly lineNo: number | null;
  readonly lineKey: string;
  readonly serviceId: string;
  readonly description: string;
  readonly amountMinor: bigint;
  /** The amount in major units with the currency's digits. */
  readonly amount: string;
}

/** An action to write, or why not (a message for a 400 answer). */
export type ReviewDecision =
  | { readonly ok: true; readonly action: NewAction }
  | { readonly ok: false; readonly message: string };

/** A manual adjustment as asked: a positive amount in major units, credit or debit. */
export interface AdjustmentRequest {
  readonly kind: 'credit' | 'debit';
  readonly amount: string;
  readonly currency: string;
  readonly serviceId: string;
}

const MONEY_ERRORS: Readonly<Record<MoneyError, string>> = {
  'not-a-decimal': 'is not a decimal amount',
  negative: 'must not be negative (say credit or debit instead)',
  'finer-than-minor-unit': 'is finer than the currency’s minor unit',
};

function refuse(message: string): ReviewDecision {
  return { ok: false, message };
}

function superseded(context: ReviewContext): string | null {
  return context.run.version === context.latestVersion
    ? null
    : `run ${context.run.id} is superseded by version ${String(context.latestVersion)} of ${context.run.period}: act on the latest version`;
}

/** Releases held line `lineNo` of the run. */
export function decideApproval(
  context: ReviewContext,
  lineNo: number,
  line: ReviewLine | undefined,
  prior: PriorApproval | undefined,
): ReviewDecision {
  const closed = superseded(context);
  if (closed !== null) return refuse(closed);
  if (line === undefined) return refuse(`run ${context.run.id} has no line ${String(lineNo)}`);
  if (line.status !== 'held') {
    return refuse(
      `line ${String(lineNo)} of run ${context.run.id} is billed, not held: nothing to approve`,
    );
  }
  if (prior !== undefined) {
    return refuse(
      `line ${String(lineNo)} (${line.lineKey}) was already approved by ${prior.actor} at ${prior.at} (run ${prior.runId}, line ${String(prior.lineNo)})`,
    );
  }
  const amount = formatMinor(line.amountMinor, context.run.currency);
  return {
    ok: true,
    action: {
      kind: 'approval',
      lineNo,
      lineKey: line.lineKey,
      serviceId: line.serviceId,
      description: `Approved held line ${String(lineNo)} (${line.description}) by ${context.actor} at ${context.at}: ${context.reason}`,
      amountMinor: line.amountMinor,
      amount,
    },
  };
}

/** A manual credit or debit on one of the period's services. */
export function decideAdjustment(
  context: ReviewContext,
  request: AdjustmentRequest,
  services: ReadonlySet<string>,
): ReviewDecision {
  const closed = superseded(context);
  if (closed !== null) return refuse(closed);
  const currency = context.run.currency;
  if (request.currency !== currency) {
    return refuse(`currency ${request.currency} is not the run's currency ${currency}`);
  }
  if (!services.has(request.serviceId)) {
    return refuse(
      `service ${request.serviceId} is not billed in ${context.run.customerId}/${context.run.period}`,
    );
  }
  const parsed = parseAmountMinor(request.amount, currency);
  if (!parsed.ok) return refuse(`amount "${request.amount}" ${MONEY_ERRORS[parsed.error]}`);
  if (parsed.value === 0n) return refuse('amount must be more than zero');
  const amountMinor = request.kind === 'credit' ? -parsed.value : parsed.value;
  const amount = formatMinor(amountMinor, currency);
  return {
    ok: true,
    action: {
      kind: 'adjustment',
      lineNo: null,
      lineKey: `${request.serviceId}/adjustment/manual/v${String(context.run.version)}-${String(context.actionNo)}`,
      serviceId: request.serviceId,
      description: `Manual ${request.kind} ${amount} ${currency} by ${context.actor} at ${context.at}: ${context.reason}`,
      amountMinor,
      amount,
    },
  };
}
