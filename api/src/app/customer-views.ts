import type { Customer, CustomerCare, StatusPage } from '@faultline/shared';
import { careIncident, careNotes, careServices, publicNotes } from '../core/care.js';
import type { CareStore, LiveBillingReader } from '../ports.js';

/** What the customer views read. */
export interface CustomerViewsDeps {
  readonly store: CareStore;
  readonly live: LiveBillingReader;
  readonly customers: () => readonly Customer[];
  readonly nowMs: () => number;
}

/** One customer's care desk view and status page, built from its records alone. */
export interface CustomerViews {
  /** Undefined for a customer the config does not know. */
  care(customerId: string): Promise<CustomerCare | undefined>;
  status(customerId: string): Promise<StatusPage | undefined>;
}

/** Incidents listed per customer: the unresolved ones and those resolved this period, newest first. */
const INCIDENT_LIMIT = 50;
/** Closed periods whose credits the care desk shows. */
const CLOSED_PERIODS = 3;
/** Without a live view, resolved incidents of the last 31 days are listed. */
const FALLBACK_WINDOW_MS = 31 * 86_400_000;

/** Creates the views. */
export function createCustomerViews(deps: CustomerViewsDeps): CustomerViews {
  async function gather(customerId: string) {
    const customer = deps.customers().find((candidate) => candidate.id === customerId);
    if (customer === undefined) return undefined;
    const [live] = await deps.live.latest([customerId]);
    const sinceMs =
      live === undefined ? deps.nowMs() - FALLBACK_WINDOW_MS : Date.parse(live.periodStart);
    const [openOutages, incidents] = await Promise.all([
      deps.store.openOutages(customerId),
      deps.store.incidents(customerId, sinceMs, INCIDENT_LIMIT),
    ]);
    const services = careServices(
      customer,
      openOutages,
      incidents.map((entry) => entry.incident),
      live,
    );
    return { customer, live, incidents, services };
  }

  return {
    async care(customerId) {
      const found = await gather(customerId);
      if (found === undefined) return undefined;
      const { customer, live, incidents, services } = found;
      return {
        customerId: customer.id,
        name: customer.name,
        currency: customer.currency,
        period: live?.period ?? null,
        services,
        incidents: incidents.map(({ incident, timeline }) =>
          careIncident(customer.id, incident, careNotes(timeline), true),
        ),
        closedPeriods: await deps.store.closedPeriods(customer.id, CLOSED_PERIODS),
      };
    },

    async status(customerId) {
      const found = await gather(customerId);
      if (found === undefined) return undefined;
      const { customer, live, incidents, services } = found;
      return {
        name: customer.name,
        period: live?.period ?? null,
        services: services.map((service) => ({
          serviceId: service.serviceId,
          description: service.description,
          state: service.state,
          availabilityPercent: service.availabilityPercent,
        })),
        incidents: incidents
          .filter(({ incident }) => incident.state !== 'resolved')
          .map(({ incident, timeline }) =>
            careIncident(customer.id, incident, publicNotes(timeline), false),
          ),
      };
    },
  };
}
