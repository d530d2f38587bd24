import { describe, expect, it } from 'vitest';
import { incidentStatesFor, type IncidentStateFilter } from './incident-filter.js';

describe('incidentStatesFor', () => {
  it.each<[IncidentStateFilter, string[]]>([
    ['unresolved', ['open', 'acknowledged']],
    ['all', ['open', 'acknowledged', 'resolved']],
    ['open', ['open']],
    ['acknowledged', ['acknowledged']],
    ['resolved', ['resolved']],
  ])('%s → %j', (filter, states) => {
    expect(incidentStatesFor(filter)).toEqual(states);
  });
});
