import type { IncidentState } from '@faultline/shared';

/** The `state` filter of `GET /api/incidents`: one incident state, or a group of them. */
export const INCIDENT_STATE_FILTERS = [
  'unresolved',
  'open',
  'acknowledged',
  'resolved',
  'all',
] as const;

/** The `state` filter of `GET /api/incidents`. */
export type IncidentStateFilter = (typeof INCIDENT_STATE_FILTERS)[number];

/**
 * The incident states a filter selects. `unresolved` (the default) is what someone on call works
 * on: open or acknowledged. The single states match exactly.
 */
export function incidentStatesFor(filter: IncidentStateFilter): readonly IncidentState[] {
  switch (filter) {
    case 'unresolved':
      return ['open', 'acknowledged'];
    case 'all':
      return ['open', 'acknowledged', 'resolved'];
    default:
      return [filter];
  }
}
