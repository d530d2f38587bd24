import { describe, expect, it } from 'vitest';
import type { Incident, IncidentChange } from '@faultline/shared';
import {
  applyIncidentChanges,
  applyIncidentSnapshot,
  fittingCount,
  impactedCustomerNames,
  moreSummary,
  sortIncidents,
} from './incident-list.js';

function incident(id: string, overrides: Partial<Incident> = {}): Incident {
  return {
    id,
    state: 'open',
    title: `fault ${id}`,
    severity: 'major',
    primaryAlarmId: `a-${id}`,
    rootAlarmIds: [`a-${id}`],
    alarmIds: [`a-${id}`],
    cutOffDevices: [],
    impactedServices: [],
    ticketId: `t-${id}`,
    openedAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    resolvedAt: null,
    resolution: null,
    acknowledgedBy: null,
    assignee: null,
    inMaintenance: false,
    announced: true,
    version: 1,
    ...overrides,
  };
}

const change = (kind: IncidentChange['kind'], i: Incident): IncidentChange => ({
  kind,
  incident: i,
});

describe('incident list', () => {
  it('keeps unresolved incidents of a snapshot', () => {
    const map = applyIncidentSnapshot([incident('a'), incident('b', { state: 'resolved' })]);
    expect([...map.keys()]).toEqual(['a']);
  });

  it.each<[string, IncidentChange[], Record<string, number>, string[]]>([
    [
      'an opened incident is added and reported',
      [change('opened', incident('b'))],
      { a: 2, b: 1 },
      ['b'],
    ],
    [
      'a newer version replaces',
      [change('acknowledged', incident('a', { version: 3 }))],
      { a: 3 },
      [],
    ],
    [
      'an older version is ignored',
      [change('updated', incident('a', { version: 1 }))],
      { a: 2 },
      [],
    ],
    [
      'a resolve removes',
      [change('resolved', incident('a', { version: 3, state: 'resolved' }))],
      {},
      [],
    ],
    [
      'a late older change after a resolve is ignored',
      [
        change('resolved', incident('a', { version: 4, state: 'resolved' })),
        change('acknowledged', incident('a', { version: 3 })),
      ],
      {},
      [],
    ],
    [
      'a change that pages again is reported with its reasons; a plain update is not',
      [
        {
          ...change('updated', incident('a', { version: 3, severity: 'critical' })),
          repage: true,
          reasons: ['paged again: critical while acknowledged by alice'],
        },
        change('updated', incident('a', { version: 4 })),
      ],
      { a: 4 },
      ['a: paged again: critical while acknowledged by alice'],
    ],
  ])('%s', (_name, changes, versions, paged) => {
    const start = applyIncidentSnapshot([incident('a', { version: 2 })]);
    const result = applyIncidentChanges(start, changes);
    expect(Object.fromEntries([...result.incidents].map(([id, i]) => [id, i.version]))).toEqual(
      versions,
    );
    expect(
      result.paged.map((p) =>
        p.reasons.length === 0 ? p.incident.id : `${p.incident.id}: ${p.reasons.join('; ')}`,
      ),
    ).toEqual(paged);
  });

  it('sorts worst first, unacknowledged first, then newest', () => {
    const sorted = sortIncidents([
      incident('minor', { severity: 'minor' }),
      incident('acked', { severity: 'critical', state: 'acknowledged' }),
      incident('new', { severity: 'critical', openedAt: '2026-01-01T11:00:00.000Z' }),
      incident('old', { severity: 'critical' }),
    ]);
    expect(sorted.map((i) => i.id)).toEqual(['new', 'old', 'acked', 'minor']);
  });

  it('names each impacted customer once with its services', () => {
    const i = incident('a', {
      impactedServices: [
        { customerId: 'acme', serviceId: 's1' },
        { customerId: 'umbrella', serviceId: 's2' },
        { customerId: 'acme', serviceId: 's3' },
        { customerId: 'gone', serviceId: 'g1' },
      ],
    });
    const services = [
      {
        customerId: 'acme',
        customerName: 'ACME Logistics',
        serviceId: 's1',
        description: 'Transit',
      },
      { customerId: 'acme', customerName: 'ACME Logistics', serviceId: 's3', description: null },
      { customerId: 'umbrella', customerName: 'Umbrella', serviceId: 's2', description: 'DC' },
    ];
    expect(impactedCustomerNames(i, services)).toEqual([
      'ACME Logistics: Transit, s3',
      'Umbrella: DC',
      'gone: g1',
    ]);
  });
});

describe('fittingCount', () => {
  it.each([
    [[], 100, 0],
    [[40, 80], 100, 2],
    [[40, 80, 120], 100, 2],
    [[40, 80, 120], 80, 2],
    [[140], 100, 0],
  ])('%j under %i: %i', (bottoms, limit, count) => {
    expect(fittingCount(bottoms, limit)).toBe(count);
  });
});

describe('moreSummary', () => {
  it('counts the hidden by severity, worst first as they are sorted', () => {
    expect(moreSummary([{ severity: 'major' }, { severity: 'minor' }, { severity: 'minor' }])).toBe(
      '+3 more: 1 major, 2 minor',
    );
  });
});
