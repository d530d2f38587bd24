/**
 * The care desk and status page views of one customer, from what the correlator and the billing
 * bridge record. Pure: the adapters read the rows, these functions decide what one customer may
 * see of them (see docs/api.md, "Care desk and status links").
 */
import type {
  BillingLive,
  CareIncident,
  CareNote,
  CareService,
  Customer,
  Incident,
  ServiceState,
  TimelineEntry,
} from '@faultline/shared';

/** An open outage of one of the customer's services. */
export interface OpenOutage {
  readonly serviceId: string;
  readonly inMaintenance: boolean;
}

/** Status link tokens start with this; they are 32 random bytes in base64url after it. */
export const STATUS_LINK_TOKEN_PREFIX = 'fls_';

/**
 * Whether a presented token could be a status link's. Only those are looked up, and only those
 * count as refused guesses when they match no link: an api token sent to the status page is a
 * mistake, not a guess.
 */
export function couldBeLinkToken(token: string): boolean {
  return token.startsWith(STATUS_LINK_TOKEN_PREFIX) && token.length <= 200;
}

/** Comments starting with this (case-insensitive) are public notes, shown on status pages. */
export const PUBLIC_NOTE_PREFIX = '[public]';

/**
 * The state of a service: down while an outage counted against the SLA is open, in maintenance
 * while only maintenance outages are, degraded while an unresolved incident impacts it without an
 * outage, else up.
 */
export function serviceState(
  customerId: string,
  serviceId: string,
  openOutages: readonly OpenOutage[],
  incidents: readonly Pick<Incident, 'state' | 'impactedServices'>[],
): ServiceState {
  const outages = openOutages.filter((outage) => outage.serviceId === serviceId);
  if (outages.some((outage) => !outage.inMaintenance)) return 'down';
  if (outages.length > 0) return 'maintenance';
  const impacted = incidents.some(
    (incident) =>
      incident.state !== 'resolved' &&
      incident.impactedServices.some(
        (service) => service.customerId === customerId && service.serviceId === serviceId,
      ),
  );
  return impacted ? 'degraded' : 'up';
}

/**
 * Customers whose id or name, or one of whose services' ids or descriptions, contains the text
 * (case-insensitive), in config order; every customer for an empty text.
 */
export function findCustomers(customers: readonly Customer[], text: string): Customer[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return [...customers];
  const has = (value: string | undefined) => value?.toLowerCase().includes(needle) ?? false;
  return customers.filter(
    (customer) =>
      has(customer.id) ||
      has(customer.name) ||
      customer.services.some((service) => has(service.id) || has(service.description)),
  );
}

/**
 * The notes care staff read: comments, acknowledgements and resolutions as written, the opening
 * and updates by kind only (the correlator's texts list every customer's services and alarm ids,
 * which are not this customer's business). Pages (who was called) are left out.
 */
export function careNotes(timeline: readonly TimelineEntry[]): CareNote[] {
  return timeline.flatMap((entry): CareNote[] => {
    switch (entry.kind) {
      case 'comment':
      case 'acknowledged':
      case 'resolved':
        return [{ at: entry.at, kind: entry.kind, text: entry.body }];
      case 'opened':
        return [{ at: entry.at, kind: entry.kind, text: 'Opened' }];
      case 'updated':
        return [{ at: entry.at, kind: entry.kind, text: 'Updated' }];
      default:
        return [];
    }
  });
}

/**
 * The notes a customer reads on the status page: fixed texts for the opening, acknowledgement
 * and resolution, and the comments engineers mark public (`[public] …`), without the mark.
 */
export function publicNotes(timeline: readonly TimelineEntry[]): CareNote[] {
  return timeline.flatMap((entry): CareNote[] => {
    switch (entry.kind) {
      case 'opened':
        return [{ at: entry.at, kind: entry.kind, text: 'We are investigating a problem.' }];
      case 'acknowledged':
        return [{ at: entry.at, kind: entry.kind, text: 'Our engineers are working on it.' }];
      case 'resolved':
        return [{ at: entry.at, kind: entry.kind, text: 'Resolved.' }];
      case 'comment': {
        const body = entry.body.trimStart();
        if (!body.toLowerCase().startsWith(PUBLIC_NOTE_PREFIX)) return [];
        const text = body.slice(PUBLIC_NOTE_PREFIX.length).trim();
        return text === '' ? [] : [{ at: entry.at, kind: 'note', text }];
      }
      default:
        return [];
    }
  });
}

/**
 * An incident as one customer sees it: only that customer's impacted services, and the notes
 * `notes` keeps; `withTitle` false hides the title (status pages).
 */
export function careIncident(
  customerId: string,
  incident: Incident,
  notes: readonly CareNote[],
  withTitle: boolean,
): CareIncident {
  return {
    id: incident.id,
    title: withTitle ? incident.title : null,
    severity: incident.severity,
    state: incident.state,
    openedAt: incident.openedAt,
    resolvedAt: incident.resolvedAt,
    serviceIds: incident.impactedServices
      .filter((service) => service.customerId === customerId)
      .map((service) => service.serviceId),
    notes: [...notes],
  };
}

/** The customer's services with their live state and this period's live figures. */
export function careServices(
  customer: Customer,
  openOutages: readonly OpenOutage[],
  incidents: readonly Incident[],
  live: BillingLive | undefined,
): CareService[] {
  return customer.services.map((service) => {
    const figures = live?.services.find((candidate) => candidate.serviceId === service.id);
    return {
      serviceId: service.id,
      description: service.description ?? null,
      state: serviceState(customer.id, service.id, openOutages, incidents),
      downtimeMinutes: figures?.downtimeMinutes ?? null,
      availabilityPercent: figures?.availabilityPercent ?? null,
      slaBudgetMinutes: figures?.slaBudgetMinutes ?? null,
      sla: figures?.sla ?? null,
    };
  });
}
