/**
 * What the analyst's review panel offers for a run (docs/billing.md, "Analyst review"): the held
 * lines still awaiting a decision, and the services an adjustment can be booked on.
 */
import type { BillingAction } from '@faultline/shared';
import type { BillingLine } from './billing-view.js';

/** Held lines of the run that no approval has released yet, in line order. */
export function pendingHeldLines(
  lines: readonly BillingLine[],
  actions: readonly BillingAction[],
): BillingLine[] {
  const released = new Set(
    actions.flatMap((action) => (action.lineNo === null ? [] : [action.lineNo])),
  );
  return lines.filter((line) => line.status === 'held' && !released.has(line.lineNo));
}

/** The services billed in the run, sorted, for the adjustment form. */
export function servicesOf(lines: readonly BillingLine[]): string[] {
  return [...new Set(lines.map((line) => line.serviceId))].sort();
}
