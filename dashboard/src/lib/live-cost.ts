/**
 * What an incident costs while it runs: the live SLA cost of the services it impacts (the api's
 * `GET /api/live-cost`, computed by the billing bridge with the monthly run's rules, see
 * docs/billing.md), and the totals the on-call console and the wall show.
 */
import type { ServiceLiveCost, Severity } from '@faultline/shared';
import { formatMinor } from '@faultline/shared/money';
import { SEVERITY_LOOKS } from './severity.js';

/** A service an incident impacts. */
export interface ServiceRef {
  readonly customerId: string;
  readonly serviceId: string;
}

/** The live costs of the given services, in their order (services without a live view are left out). */
export function costsOf(
  costs: readonly ServiceLiveCost[],
  services: readonly ServiceRef[],
): ServiceLiveCost[] {
  const byKey = new Map(costs.map((cost) => [`${cost.customerId}/${cost.serviceId}`, cost]));
  return services.flatMap((service) => {
    const cost = byKey.get(`${service.customerId}/${service.serviceId}`);
    return cost === undefined ? [] : [cost];
  });
}

/** An amount of minor units in its currency: "225.00 EUR". */
export function moneyText(amountMinor: bigint | string, currency: string): string {
  return `${formatMinor(BigInt(amountMinor), currency)} ${currency}`;
}

/** Credit accrued so far over the services, by currency (currencies in first-seen order). */
export function creditTotals(costs: readonly ServiceLiveCost[]): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const cost of costs) {
    if (cost.sla === null) continue;
    totals.set(cost.currency, (totals.get(cost.currency) ?? 0n) + BigInt(cost.sla.creditMinor));
  }
  return totals;
}

/** The credit accrued so far, as text: "225.00 EUR", "10.00 EUR + 5.00 USD", or "" with no SLA. */
export function creditText(costs: readonly ServiceLiveCost[]): string {
  return [...creditTotals(costs)]
    .map(([currency, minor]) => moneyText(minor, currency))
    .join(' + ');
}

/**
 * Money at stake, for ordering: the credit accrued plus the credit the next tier would add, in
 * minor units summed across currencies (an order, not an amount).
 */
export function stakeOf(costs: readonly ServiceLiveCost[]): bigint {
  let total = 0n;
  for (const cost of costs) {
    if (cost.sla === null) continue;
    total += BigInt(cost.sla.nextTierCreditMinor ?? cost.sla.creditMinor);
  }
  return total;
}

/** "12 min" or "none left" (the deepest tier applies) or "—" without an SLA. */
export function budgetText(cost: Pick<ServiceLiveCost, 'sla' | 'slaBudgetMinutes'>): string {
  if (cost.sla === null) return '—';
  if (cost.slaBudgetMinutes === null) return 'none left';
  return `${String(cost.slaBudgetMinutes)} min`;
}

/** The tier applied now: "below 99.9 % → 25 %", or "none". */
export function tierText(cost: Pick<ServiceLiveCost, 'sla'>): string {
  const tier = cost.sla?.tier ?? null;
  return tier === null ? 'none' : `below ${tier.belowPercent} % → ${tier.creditPercent} %`;
}

/** Downtime minutes, one decimal at most. */
export function downtimeText(minutes: number): string {
  return `${String(Math.round(minutes * 10) / 10)} min`;
}

/**
 * Incidents ordered by severity (worst first), then by money at stake (`stakeOf` of the services
 * each impacts, most first); otherwise in the order given (stable).
 */
export function byMoneyAtStake<
  T extends { readonly severity: Severity; readonly impactedServices: readonly ServiceRef[] },
>(incidents: readonly T[], costs: readonly ServiceLiveCost[]): T[] {
  const stake = new Map(
    incidents.map((incident) => [incident, stakeOf(costsOf(costs, incident.impactedServices))]),
  );
  return [...incidents].sort((a, b) => {
    const severity = SEVERITY_LOOKS[b.severity].rank - SEVERITY_LOOKS[a.severity].rank;
    if (severity !== 0) return severity;
    const left = stake.get(a) ?? 0n;
    const right = stake.get(b) ?? 0n;
    return left === right ? 0 : left > right ? -1 : 1;
  });
}
