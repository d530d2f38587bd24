/**
 * Budget warnings: a service that has used a configured share of the downtime its SLA allows
 * before the next credit tier warns its customer's contact, once per period and tier.
 *
 * Conventions (see docs/billing.md, "Budget warnings"):
 * - The share is the live view's `budgetUsedPercent` (downtime so far / downtime allowed before
 *   the next tier, 2 decimals); a warning is due when it is at least `sharePercent`. The first
 *   warning of a period is the one before the first tier; past it, the next tier warns again.
 * - Identity: customer, service, period and the tier's threshold. A warning is sent once per
 *   identity and destination (the bridge records each one sent).
 * - No warning once the deepest tier applies (there is no next tier to warn about).
 */
import { formatMinor, type BillingLive, type Customer } from '@faultline/shared';

/** A warning that is due. */
export interface BudgetWarning {
  readonly customerId: string;
  readonly customerName: string;
  readonly serviceId: string;
  readonly description: string | null;
  readonly period: string;
  readonly slaId: string;
  /** The tier the service is getting close to, its threshold as an exact decimal ("99.95"). */
  readonly tierBelowPercent: string;
  readonly usedPercent: number;
  /** Whole minutes of downtime left before that tier. */
  readonly minutesLeft: number | null;
  readonly currency: string;
  /** Credit accrued so far, and at that tier, minor units (decimal strings). */
  readonly creditMinor: string;
  readonly tierCreditMinor: string | null;
}

/** The warnings due in a customer's live view at `sharePercent` (0: none). */
export function dueBudgetWarnings(
  view: BillingLive,
  customer: Customer,
  sharePercent: number,
): BudgetWarning[] {
  if (sharePercent <= 0) return [];
  return view.services.flatMap((service): BudgetWarning[] => {
    const sla = service.sla;
    if (sla?.nextTierBelowPercent == null || sla.budgetUsedPercent === null) return [];
    if (sla.budgetUsedPercent < sharePercent) return [];
    return [
      {
        customerId: customer.id,
        customerName: customer.name,
        serviceId: service.serviceId,
        description:
          customer.services.find((candidate) => candidate.id === service.serviceId)?.description ??
          null,
        period: view.period,
        slaId: sla.slaId,
        tierBelowPercent: sla.nextTierBelowPercent,
        usedPercent: sla.budgetUsedPercent,
        minutesLeft: service.slaBudgetMinutes,
        currency: service.currency,
        creditMinor: sla.creditMinor,
        tierCreditMinor: sla.nextTierCreditMinor,
      },
    ];
  });
}

/** The identity of a warning: one is sent per identity and destination. */
export function budgetWarningKey(warning: BudgetWarning): string {
  return `${warning.customerId}/${warning.serviceId}/${warning.period}/below-${warning.tierBelowPercent}`;
}

/** The warning in words: a subject line and a short text. */
export function budgetWarningText(warning: BudgetWarning): { subject: string; text: string } {
  const service =
    warning.description === null
      ? warning.serviceId
      : `${warning.description} (${warning.serviceId})`;
  const subject =
    `SLA budget warning: ${warning.customerName}, ${service}: ` +
    `${String(warning.usedPercent)} % of the downtime allowed before the ${warning.tierBelowPercent} % tier used`;
  const left =
    warning.minutesLeft === null ? '' : ` ${String(warning.minutesLeft)} minutes of downtime left.`;
  const credit =
    warning.tierCreditMinor === null
      ? ''
      : ` Reaching it credits ${formatMinor(BigInt(warning.tierCreditMinor), warning.currency)} ${warning.currency}` +
        ` (${formatMinor(BigInt(warning.creditMinor), warning.currency)} ${warning.currency} so far).`;
  return {
    subject,
    text: `${subject} in period ${warning.period} (SLA ${warning.slaId}).${left}${credit}`,
  };
}
