import type { Incident, IncidentChange } from '@faultline/shared';
import { SEVERITY_LOOKS } from './severity.js';

/**
 * The unresolved incidents a browser knows, by id. A change replaces an incident only if its
 * version is newer: the correlator and the commands worker publish independently, so two changes
 * to one incident may arrive out of order. Resolved incidents leave the map.
 */
export type IncidentMap = ReadonlyMap<string, Incident>;

/** Replaces the map with a snapshot of unresolved incidents. */
export function applyIncidentSnapshot(incidents: readonly Incident[]): IncidentMap {
  return new Map(
    incidents.filter((i) => i.state !== 'resolved').map((incident) => [incident.id, incident]),
  );
}

/** An incident that pages someone: it opened, or it pages again (re-opened, became critical). */
export interface Page {
  readonly incident: Incident;
  /** Why it pages again; empty for a new incident. */
  readonly reasons: readonly string[];
}

/** Applies changes in order; returns the new map and the pages of this batch (opened, paged again). */
export function applyIncidentChanges(
  current: IncidentMap,
  changes: readonly IncidentChange[],
): { incidents: IncidentMap; paged: Page[] } {
  const next = new Map(current);
  const seen = new Map<string, number>();
  const paged: Page[] = [];
  for (const change of changes) {
    const { kind, incident } = change;
    const known = next.get(incident.id)?.version ?? seen.get(incident.id) ?? 0;
    if (incident.version <= known) continue;
    seen.set(incident.id, incident.version);
    if (incident.state === 'resolved') next.delete(incident.id);
    else next.set(incident.id, incident);
    if (kind === 'opened') paged.push({ incident, reasons: [] });
    else if (change.repage === true) paged.push({ incident, reasons: change.reasons ?? [] });
  }
  return { incidents: next, paged };
}

/**
 * Wall order: worst severity first, then unacknowledged before acknowledged, then newest (what
 * just broke is what the room must see; when the wall runs out of room the tail is hidden).
 */
export function sortIncidents(incidents: Iterable<Incident>): Incident[] {
  return [...incidents].sort((a, b) => {
    const bySeverity = SEVERITY_LOOKS[b.severity].rank - SEVERITY_LOOKS[a.severity].rank;
    if (bySeverity !== 0) return bySeverity;
    const byAck = (a.state === 'acknowledged' ? 1 : 0) - (b.state === 'acknowledged' ? 1 : 0);
    if (byAck !== 0) return byAck;
    return Date.parse(b.openedAt) - Date.parse(a.openedAt);
  });
}

/** What the wall needs to name a service: the names from `GET /api/services`. */
export interface NamedService {
  readonly customerId: string;
  readonly customerName: string;
  readonly serviceId: string;
  readonly description: string | null;
}

/**
 * The customers an incident takes down, each once in first-seen order with its services named:
 * `Initech: Office internet`, `ACME Logistics: 1G IP transit, Data-centre link`. Ids stand in for
 * names the browser does not know (yet).
 */
export function impactedCustomerNames(
  incident: Pick<Incident, 'impactedServices'>,
  services: readonly NamedService[],
): string[] {
  const byId = new Map(services.map((s) => [`${s.customerId}\u0000${s.serviceId}`, s]));
  const customers = new Map<string, { name: string; services: string[] }>();
  for (const { customerId, serviceId } of incident.impactedServices) {
    const named = byId.get(`${customerId}\u0000${serviceId}`);
    const customer = customers.get(customerId) ?? {
      name: named?.customerName ?? customerId,
      services: [],
    };
    const service = named?.description ?? serviceId;
    if (!customer.services.includes(service)) customer.services.push(service);
    customers.set(customerId, customer);
  }
  return [...customers.values()].map((c) => `${c.name}: ${c.services.join(', ')}`);
}

/** How many cards, from the first, end above `limitPx` (card bottoms in order, same origin). */
export function fittingCount(bottomsPx: readonly number[], limitPx: number): number {
  const index = bottomsPx.findIndex((bottom) => bottom > limitPx);
  return index === -1 ? bottomsPx.length : index;
}

/** The line under the cards a wall could not show: `+3 more: 1 major, 2 minor`. */
export function moreSummary(hidden: readonly Pick<Incident, 'severity'>[]): string {
  const counts = new Map<string, number>();
  for (const incident of hidden) {
    const label = SEVERITY_LOOKS[incident.severity].label.toLowerCase();
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const parts = [...counts].map(([label, count]) => `${String(count)} ${label}`);
  return `+${String(hidden.length)} more: ${parts.join(', ')}`;
}
