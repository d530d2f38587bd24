import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SEVERITIES,
  type Alarm,
  type AlarmChange,
  type AlarmChangeKind,
  type AlarmState,
  type Severity,
} from '@faultline/shared';
import {
  applyChanges,
  applySnapshot,
  expireCleared,
  severityTotals,
  sortEntries,
  type AlarmEntry,
} from './alarm-list.js';
import { SEVERITY_LOOKS } from './severity.js';

function alarm(
  id: string,
  over: { state?: AlarmState; severity?: Severity; count?: number; lastSeen?: string } = {},
): Alarm {
  return {
    id,
    reductionKey: `k-${id}`,
    device: 'core-1',
    deviceKnown: true,
    component: null,
    type: 'linkDown',
    source: 'trap',
    severity: over.severity ?? 'major',
    state: over.state ?? 'active',
    count: over.count ?? 1,
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: over.lastSeen ?? '2026-01-01T00:00:00.000Z',
    clearedAt: null,
    description: 'd',
    lastEventId: 'e',
    causedBy: null,
    explanation: null,
    ticketId: null,
    acknowledgedBy: null,
  };
}
const change = (kind: AlarmChangeKind, a: Alarm): AlarmChange => ({ kind, alarm: a });
const show = (entries: AlarmEntry[]) =>
  entries.map(
    (e) => `${e.alarm.id}:${e.alarm.state}:${String(e.alarm.count)}:${String(e.clearedSeenMs)}`,
  );

describe('applyChanges', () => {
  it.each<[string, AlarmEntry[], AlarmChange[], string[]]>([
    ['adds a raised alarm', [], [change('raised', alarm('a'))], ['a:active:1:null']],
    [
      'updates a repeated alarm',
      [{ alarm: alarm('a'), clearedSeenMs: null }],
      [change('repeated', alarm('a', { count: 3 }))],
      ['a:active:3:null'],
    ],
    [
      'ignores an older count that overtook a newer version',
      [{ alarm: alarm('a', { count: 5 }), clearedSeenMs: null }],
      [change('repeated', alarm('a', { count: 4 }))],
      ['a:active:5:null'],
    ],
    [
      'marks a cleared alarm with the time the clear arrived',
      [{ alarm: alarm('a'), clearedSeenMs: null }],
      [change('cleared', alarm('a', { state: 'cleared' }))],
      ['a:cleared:1:1000'],
    ],
    [
      'never reopens a cleared alarm',
      [{ alarm: alarm('a', { state: 'cleared' }), clearedSeenMs: 500 }],
      [change('repeated', alarm('a', { count: 2 }))],
      ['a:cleared:1:500'],
    ],
  ])('%s', (_name, entries, changes, expected) => {
    expect(show(applyChanges(entries, changes, 1000))).toEqual(expected);
  });
});

describe('applySnapshot', () => {
  it('replaces open rows and keeps cleared ones', () => {
    const entries: AlarmEntry[] = [
      { alarm: alarm('gone'), clearedSeenMs: null },
      { alarm: alarm('was-cleared', { state: 'cleared' }), clearedSeenMs: 10 },
    ];
    expect(show(applySnapshot(entries, [alarm('new')], 1000))).toEqual([
      'new:active:1:null',
      'was-cleared:cleared:1:10',
    ]);
  });
});

describe('expireCleared', () => {
  it.each([
    [1000, ['open:active:1:null', 'cleared:cleared:1:500']],
    [1500, ['open:active:1:null']],
  ])('at %d ms keeps %j', (now, expected) => {
    const entries: AlarmEntry[] = [
      { alarm: alarm('open'), clearedSeenMs: null },
      { alarm: alarm('cleared', { state: 'cleared' }), clearedSeenMs: 500 },
    ];
    expect(show(expireCleared(entries, now, 1000))).toEqual(expected);
  });
});

describe('sortEntries and severityTotals', () => {
  const entries: AlarmEntry[] = [
    {
      alarm: alarm('minor-new', { severity: 'minor', lastSeen: '2026-01-01T00:00:09.000Z' }),
      clearedSeenMs: null,
    },
    { alarm: alarm('cleared', { severity: 'critical', state: 'cleared' }), clearedSeenMs: 1 },
    { alarm: alarm('critical', { severity: 'critical' }), clearedSeenMs: null },
    {
      alarm: alarm('minor-old', { severity: 'minor', lastSeen: '2026-01-01T00:00:01.000Z' }),
      clearedSeenMs: null,
    },
  ];

  it('puts open alarms first, worst and newest first', () => {
    expect(sortEntries(entries).map((e) => e.alarm.id)).toEqual([
      'critical',
      'minor-new',
      'minor-old',
      'cleared',
    ]);
  });

  it('orders as the comparison of state, severity and last seen, keeping ties in place', () => {
    // The order the keys stand for, compared field by field (the slow way).
    const reference = (a: AlarmEntry, b: AlarmEntry): number =>
      Number(a.alarm.state === 'cleared') - Number(b.alarm.state === 'cleared') ||
      SEVERITY_LOOKS[b.alarm.severity].rank - SEVERITY_LOOKS[a.alarm.severity].rank ||
      Date.parse(b.alarm.lastSeen) - Date.parse(a.alarm.lastSeen);
    const entry = fc
      .record({
        severity: fc.constantFrom(...SEVERITIES),
        state: fc.constantFrom<AlarmState>('active', 'acknowledged', 'cleared'),
        // Few distinct times, so ties are common; from 1970 to 2100.
        lastSeenMs: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 4.1e12 })),
      })
      .map(({ severity, state, lastSeenMs }): AlarmEntry => ({
        alarm: alarm('x', { severity, state, lastSeen: new Date(lastSeenMs).toISOString() }),
        clearedSeenMs: state === 'cleared' ? 1 : null,
      }));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), (list) => {
        expect(sortEntries(list)).toEqual([...list].sort(reference));
      }),
    );
  });

  it('counts open alarms per severity', () => {
    expect(Object.fromEntries(severityTotals(entries))).toEqual({
      critical: 1,
      major: 0,
      minor: 2,
      warning: 0,
      indeterminate: 0,
    });
  });
});
