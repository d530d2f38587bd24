import type { Incident, PagePayload } from '@faultline/shared';

/**
 * What a page of an incident says (without the acknowledgement token, which the Web Push sender
 * adds per person): the root cause as title, severity, the customers hit by name (the id when the
 * config has no name), and the link to the incident's page. Pure.
 */
export function pagePayload(
  incident: Incident,
  kind: PagePayload['kind'],
  customerNames: ReadonlyMap<string, string>,
  publicUrl: string,
): PagePayload {
  const customerIds = [...new Set(incident.impactedServices.map((s) => s.customerId))];
  return {
    kind,
    incidentId: incident.id,
    title: incident.title,
    severity: incident.severity,
    customers: customerIds.map((id) => ({ id, name: customerNames.get(id) ?? id })),
    impactedServices: incident.impactedServices.length,
    url: `${publicUrl.replace(/\/+$/, '')}/incidents/${encodeURIComponent(incident.id)}`,
    openedAt: incident.openedAt,
  };
}
