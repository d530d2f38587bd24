import { describe, expect, it } from 'vitest';
import type { Customer, ImpactedService, IncidentState, TimelineEntry } from '@faultline/shared';
import { careNotes, findCustomers, publicNotes, serviceState, type OpenOutage } from './care.js';

const S = { customerId: 'acme', serviceId: 's' };
const incident = (state: IncidentState, impactedServices: ImpactedService[]) => ({
  state,
  impactedServices,
});

describe('serviceState', () => {
  it.each([
    ['up', [], []],
    ['down', [{ serviceId: 's', inMaintenance: false }], []],
    ['maintenance', [{ serviceId: 's', inMaintenance: true }], []],
    [
      'down',
      [
        { serviceId: 's', inMaintenance: true },
        { serviceId: 's', inMaintenance: false },
      ],
      [],
    ],
    ['degraded', [], [incident('acknowledged', [S])]],
    ['up', [], [incident('resolved', [S])]],
    // Another customer's service of the same id, another service's outage.
    [
      'up',
      [{ serviceId: 'other', inMaintenance: false }],
      [incident('open', [{ ...S, customerId: 'globex' }])],
    ],
  ] as const)('%s', (expected, outages: readonly OpenOutage[], incidents) => {
    expect(serviceState('acme', 's', outages, incidents)).toBe(expected);
  });
});

const CUSTOMERS = [
  {
    id: 'acme',
    name: 'ACME Logistics',
    services: [{ id: 'acme-transit', description: 'Transit' }],
  },
  { id: 'globex', name: 'Globex', services: [{ id: 'g-1' }] },
] as unknown as Customer[];

describe('findCustomers', () => {
  it.each([
    ['', ['acme', 'globex']],
    ['  logist ', ['acme']],
    ['TRANSIT', ['acme']],
    ['g-1', ['globex']],
    ['nothing', []],
  ])('%j → %j', (text, ids) => {
    expect(findCustomers(CUSTOMERS, text).map((c) => c.id)).toEqual(ids);
  });
});

const entry = (kind: string, body: string): TimelineEntry => ({
  at: '2026-12-07T03:00:00.000Z',
  kind,
  actor: 'alice',
  body,
});

const TIMELINE = [
  entry('opened', 'Opened: x; impacted: acme/s, globex/g-1'),
  entry('page', 'paged alice by webpush'),
  entry('comment', '  [PUBLIC]  Crew on site.'),
  entry('comment', 'internal: card in slot 3'),
  entry('comment', '[public]'),
  entry('updated', 'Updated: impacted: globex/g-1'),
  entry('acknowledged', 'Acknowledged by alice'),
  entry('resolved', 'Resolved: root cause cleared'),
];

describe('notes', () => {
  it('gives the customer fixed texts and the comments marked public, nothing else', () => {
    expect(publicNotes(TIMELINE).map((n) => n.text)).toEqual([
      'We are investigating a problem.',
      'Crew on site.',
      'Our engineers are working on it.',
      'Resolved.',
    ]);
  });

  it("gives care staff comments and people's entries, the correlator's by kind, no pages", () => {
    expect(careNotes(TIMELINE).map((n) => n.text)).toEqual([
      'Opened',
      '  [PUBLIC]  Crew on site.',
      'internal: card in slot 3',
      '[public]',
      'Updated',
      'Acknowledged by alice',
      'Resolved: root cause cleared',
    ]);
  });
});
