import type { Customer, ImpactedService, IncidentDetail } from '@faultline/shared';

/**
 * Names the impacted services with the customer's name and the service's description from the
 * config, so a wall shows "ACME Logistics" rather than "acme". Services the config no longer
 * knows keep their ids, with null names.
 */
export function describeImpactedServices(
  impacted: readonly ImpactedService[],
  customers: readonly Customer[],
): IncidentDetail['impactedServices'] {
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  return impacted.map(({ customerId, serviceId }) => {
    const customer = byId.get(customerId);
    const service = customer?.services.find((s) => s.id === serviceId);
    return {
      customerId,
      customerName: customer?.name ?? null,
      serviceId,
      description: service?.description ?? null,
    };
  });
}
