import { describe, expect, it } from 'vitest';
import type { EscalationPolicy } from '@faultline/shared';
import { routeIncident, type RoutingFacts } from './routing.js';

const level = [{ targets: [{ rotation: 'noc' }], escalateAfterMin: 5 }];
const policies: EscalationPolicy[] = [
  { name: 'acme', match: { customers: ['acme'] }, levels: level, repeat: 0 },
  {
    name: 'paris-core',
    match: { deviceGroups: ['paris'], severities: ['critical'] },
    levels: level,
    repeat: 0,
  },
  { name: 'gold', match: { services: ['gold-1'] }, levels: level, repeat: 0 },
  { name: 'catch-all', match: { severities: ['critical', 'major'] }, levels: level, repeat: 0 },
];
const groups = [{ name: 'paris', devices: ['core-1'], sites: ['PAR2'] }];
const facts = (over: Partial<RoutingFacts>): RoutingFacts => ({
  severity: 'critical',
  customers: [],
  services: [],
  devices: [],
  ...over,
});

describe('routeIncident', () => {
  it.each<[string, RoutingFacts, string | undefined]>([
    ['by customer', facts({ customers: ['globex', 'acme'] }), 'acme'],
    [
      'by device group (device)',
      facts({ devices: [{ name: 'core-1', site: undefined }] }),
      'paris-core',
    ],
    ['by device group (site)', facts({ devices: [{ name: 'agg-9', site: 'PAR2' }] }), 'paris-core'],
    [
      'every criterion must match',
      facts({ severity: 'major', devices: [{ name: 'core-1', site: undefined }] }),
      'catch-all',
    ],
    ['by service', facts({ services: ['gold-1'], severity: 'minor' }), 'gold'],
    ['the first match wins', facts({ customers: ['acme'], services: ['gold-1'] }), 'acme'],
    ['nothing matches', facts({ severity: 'warning' }), undefined],
  ])('%s', (_, given, want) => {
    expect(routeIncident(policies, groups, given)?.name).toBe(want);
  });
});
