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

/** Wall order: worst severity first, then unacknowledged before acknowledged, then oldest. */
export function sortIncidents(incidents: Iterable<Incident>): Incident[] {
  return [...incidents].sort((a, b) => {
    const bySeverity = SEVERITY_LOOKS[b.severity].rank - SEVERITY_LOOKS[a.severity].rank;
    if (bySeverity !== 0) return bySeverity;
    const byAck = (a.state === 'acknowledged' ? 1 : 0) - (b.state === 'acknowledged' ? 1 : 0);
    if (byAck !== 0) return byAck;
    return Date.parse(a.openedAt) - Date.parse(b.openedAt);
  });
}

/** The distinct customers an incident takes down, in first-seen order. */
export function impactedCustomers(incident: Incident): string[] {
  return [...new Set(incident.impactedServices.map((s) => s.customerId))];
}
