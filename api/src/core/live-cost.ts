import type { BillingLive, Customer, ServiceLiveCost } from '@faultline/shared';

/**
 * The live cost of each service of the given views, named from the config, in the config's
 * order of customers and services. Views of customers the config no longer knows, and services a
 * view does not carry (no plan in force), are left out.
 */
export function serviceCosts(
  views: readonly BillingLive[],
  customers: readonly Customer[],
): ServiceLiveCost[] {
  const byCustomer = new Map(views.map((view) => [view.customerId, view]));
  const costs: ServiceLiveCost[] = [];
  for (const customer of customers) {
    const view = byCustomer.get(customer.id);
    if (view === undefined) continue;
    for (const service of customer.services) {
      const live = view.services.find((candidate) => candidate.serviceId === service.id);
      if (live === undefined) continue;
      costs.push({
        customerId: customer.id,
        customerName: customer.name,
        serviceId: service.id,
        description: service.description ?? null,
        period: view.period,
        at: view.at,
        currency: live.currency,
        downtimeMinutes: live.downtimeMinutes,
        slaBudgetMinutes: live.slaBudgetMinutes,
        sla: live.sla,
      });
    }
  }
  return costs;
}
