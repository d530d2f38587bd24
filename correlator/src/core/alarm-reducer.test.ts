import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultEvent, Severity } from '@faultline/shared';
import { keysOfBatch } from './batch-keys.js';
import {
  alarmRecord,
  isoFormatter,
  isoTime,
  orderEvents,
  reduceAlarms,
  type AlarmDecision,
  type AlarmRecord,
  type OpenAlarms,
} from './alarm-reducer.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function event(overrides: Partial<FaultEvent> & Pick<FaultEvent, 'id'>): FaultEvent {
  return {
    source: 'trap',
    device: 'core-1',
    deviceKnown: true,
    component: 'ge-0/0/3',
    type: 'linkDown',
    severity: 'major',
    timeMs: T0,
    reductionKey: 'linkDown:core-1:3',
    description: 'Interface ge-0/0/3 down',
    details: { ifIndex: 3 },
    ...overrides,
  };
}

function linkUp(id: string, timeMs = T0 + 60_000): FaultEvent {
  return event({
    id,
    type: 'linkUp',
    severity: 'cleared',
    timeMs,
    reductionKey: 'linkUp:core-1:3',
    clearKey: 'linkDown:core-1:3',
    description: 'Interface ge-0/0/3 up',
  });
}

function counterIds(): () => string {
  let next = 0;
  return () => `alarm-${String(++next)}`;
}

function run(events: readonly FaultEvent[], open: OpenAlarms = new Map()) {
  return reduceAlarms(open, { events }, { newAlarmId: counterIds() });
}

function kinds(decisions: readonly AlarmDecision[]): string[] {
  return decisions.map((decision) => decision.kind);
}

describe('reduceAlarms decisions', () => {
  it.each<[string, FaultEvent[], string[]]>([
    ['one problem raises', [event({ id: 'e1' })], ['raised']],
    ['a repeat of the key', [event({ id: 'e1' }), event({ id: 'e2' })], ['raised', 'repeated']],
    [
      'the same id twice in a batch',
      [event({ id: 'e1' }), event({ id: 'e1' })],
      ['raised', 'duplicate'],
    ],
    [
      'a worse severity escalates',
      [event({ id: 'e1' }), event({ id: 'e2', timeMs: T0 + 1, severity: 'critical' })],
      ['raised', 'escalated'],
    ],
    [
      'a milder severity repeats',
      [
        event({ id: 'e1', severity: 'critical' }),
        event({ id: 'e2', timeMs: T0 + 1, severity: 'warning' }),
      ],
      ['raised', 'repeated'],
    ],
    ['a clear with nothing open', [linkUp('u1')], ['orphanClear']],
    ['raise then clear', [event({ id: 'e1' }), linkUp('u1')], ['raised', 'cleared']],
    [
      'clear then raise (time order wins over input order)',
      [linkUp('u1', T0 + 10), event({ id: 'e1', timeMs: T0 + 20 })],
      ['orphanClear', 'raised'],
    ],
    [
      'input order does not matter',
      [linkUp('u1', T0 + 10), event({ id: 'e1', timeMs: T0 })],
      ['raised', 'cleared'],
    ],
    [
      'equal times are ordered by id',
      [event({ id: 'b', severity: 'critical' }), event({ id: 'a', severity: 'minor' })],
      ['raised', 'escalated'],
    ],
    [
      'a problem returning after a clear raises again',
      [event({ id: 'e1' }), linkUp('u1', T0 + 10), event({ id: 'e2', timeMs: T0 + 20 })],
      ['raised', 'cleared', 'raised'],
    ],
    [
      'a second clear is an orphan',
      [event({ id: 'e1' }), linkUp('u1', T0 + 10), linkUp('u2', T0 + 20)],
      ['raised', 'cleared', 'orphanClear'],
    ],
    [
      'a cleared event without clear key ends its own key',
      [event({ id: 'e1' }), event({ id: 'e2', timeMs: T0 + 5, severity: 'cleared' })],
      ['raised', 'cleared'],
    ],
    [
      'a non-cleared event with a clear key is a problem',
      [event({ id: 'e1', clearKey: 'other', severity: 'warning' })],
      ['raised'],
    ],
    [
      'different keys are different alarms',
      [event({ id: 'e1' }), event({ id: 'e2', reductionKey: 'linkDown:core-1:4' })],
      ['raised', 'raised'],
    ],
    [
      'a duplicate clear changes nothing',
      [event({ id: 'e1' }), linkUp('u1'), linkUp('u1')],
      ['raised', 'cleared', 'duplicate'],
    ],
  ])('%s', (_name, events, expected) => {
    expect(kinds(run(events).decisions)).toEqual(expected);
  });
});

describe('reduceAlarms alarm state', () => {
  it('raises an alarm from the event', () => {
    const { open, decisions } = run([event({ id: 'e1' })]);
    expect(decisions[0]).toMatchObject({ kind: 'raised' });
    expect(open.get('linkDown:core-1:3')?.alarm).toEqual({
      id: 'alarm-1',
      reductionKey: 'linkDown:core-1:3',
      device: 'core-1',
      deviceKnown: true,
      component: 'ge-0/0/3',
      type: 'linkDown',
      source: 'trap',
      severity: 'major',
      state: 'active',
      count: 1,
      firstSeen: '2026-01-01T12:00:00.000Z',
      lastSeen: '2026-01-01T12:00:00.000Z',
      clearedAt: null,
      description: 'Interface ge-0/0/3 down',
      lastEventId: 'e1',
      causedBy: null,
      explanation: null,
      ticketId: null,
      acknowledgedBy: null,
    });
  });

  it('a missing component is null', () => {
    const withoutComponent = event({ id: 'e1' });
    delete withoutComponent.component;
    expect(run([withoutComponent]).open.get('linkDown:core-1:3')?.alarm.component).toBeNull();
  });

  it('a repeat counts, moves lastSeen and takes the last details', () => {
    const { open } = run([
      event({ id: 'e1' }),
      event({ id: 'e2', timeMs: T0 + 5000, description: 'again', details: { n: 2 } }),
    ]);
    const record = open.get('linkDown:core-1:3');
    expect(record?.alarm).toMatchObject({
      id: 'alarm-1',
      count: 2,
      firstSeen: '2026-01-01T12:00:00.000Z',
      lastSeen: '2026-01-01T12:00:05.000Z',
      description: 'again',
      lastEventId: 'e2',
    });
    expect(record?.details).toEqual({ n: 2 });
  });

  it('a late event counts but does not rewrite the newest evidence', () => {
    const first = run([event({ id: 'e2', timeMs: T0 + 5000, details: { n: 2 } })]);
    const { open } = run([event({ id: 'e1', timeMs: T0, details: { n: 1 } })], first.open);
    expect(open.get('linkDown:core-1:3')?.alarm).toMatchObject({
      count: 2,
      firstSeen: '2026-01-01T12:00:00.000Z',
      lastSeen: '2026-01-01T12:00:05.000Z',
      lastEventId: 'e2',
    });
    expect(open.get('linkDown:core-1:3')?.details).toEqual({ n: 2 });
  });

  it.each<[Severity, Severity, Severity, string]>([
    ['minor', 'major', 'major', 'escalated'],
    ['major', 'minor', 'major', 'repeated'],
    ['major', 'major', 'major', 'repeated'],
    ['warning', 'critical', 'critical', 'escalated'],
    ['normal', 'indeterminate', 'indeterminate', 'escalated'],
  ])('severity %s then %s is %s (%s)', (first, second, expected, kind) => {
    const { open, decisions } = run([
      event({ id: 'e1', severity: first }),
      event({ id: 'e2', timeMs: T0 + 1, severity: second }),
    ]);
    expect(open.get('linkDown:core-1:3')?.alarm.severity).toBe(expected);
    expect(decisions[1]?.kind).toBe(kind);
    if (decisions[1]?.kind === 'escalated') expect(decisions[1].previousSeverity).toBe(first);
  });

  it('keeps the epoch-ms times equal to the ISO ones through late, early and newest events', () => {
    const first = run([event({ id: 'e2', timeMs: T0 + 5000 })]);
    const later = run(
      [
        event({ id: 'e1', timeMs: T0 + 1000 }),
        event({ id: 'e0', timeMs: T0 }),
        event({ id: 'e3', timeMs: T0 + 9000 }),
      ],
      // As a row read back gives it: the times from the ISO text only.
      new Map([...first.open].map(([key, r]) => [key, alarmRecord(r.alarm, r.details)])),
    );
    for (const decision of later.decisions) {
      if (!('record' in decision)) continue;
      const { alarm, firstSeenMs, lastSeenMs } = decision.record;
      expect([firstSeenMs, lastSeenMs]).toEqual([
        Date.parse(alarm.firstSeen),
        Date.parse(alarm.lastSeen),
      ]);
    }
    expect(later.open.get('linkDown:core-1:3')).toMatchObject({
      alarm: {
        count: 4,
        firstSeen: '2026-01-01T12:00:00.000Z',
        lastSeen: '2026-01-01T12:00:09.000Z',
      },
      firstSeenMs: T0,
      lastSeenMs: T0 + 9000,
    });
  });

  it.each<[string, FaultEvent]>([
    ['a repeat', event({ id: 'e2', timeMs: T0 + 5000 })],
    ['an escalation', event({ id: 'e2', timeMs: T0 + 5000, severity: 'critical' })],
    ['a clear', linkUp('e2')],
  ])('%s keeps every field the reducer does not write, flapCount too', (_name, next) => {
    const raised = run([event({ id: 'e1' })]).open.get('linkDown:core-1:3');
    if (raised === undefined) throw new Error('not raised');
    const annotated = {
      ...raised.alarm,
      causedBy: 'root-1',
      explanation: 'behind core-1',
      ticketId: 'T-7',
      flapCount: 3,
    };
    const { decisions } = run(
      [next],
      new Map([[annotated.reductionKey, { ...raised, alarm: annotated }]]),
    );
    const after =
      decisions[0] !== undefined && 'record' in decisions[0] ? decisions[0].record : undefined;
    expect(after?.alarm).toMatchObject({
      id: annotated.id,
      reductionKey: annotated.reductionKey,
      device: 'core-1',
      deviceKnown: true,
      component: 'ge-0/0/3',
      type: 'linkDown',
      source: 'trap',
      causedBy: 'root-1',
      explanation: 'behind core-1',
      ticketId: 'T-7',
      flapCount: 3,
    });
    expect(Object.keys(after?.alarm ?? {}).sort()).toEqual(Object.keys(annotated).sort());
  });

  it('an escalation reopens an acknowledged alarm; a repeat keeps the acknowledgement', () => {
    const acked = run([event({ id: 'e1', severity: 'minor' })]).open.get('linkDown:core-1:3');
    if (acked === undefined) throw new Error('no alarm');
    const open: OpenAlarms = new Map([
      [
        acked.alarm.reductionKey,
        { ...acked, alarm: { ...acked.alarm, state: 'acknowledged', acknowledgedBy: 'ana' } },
      ],
    ]);
    const repeated = run([event({ id: 'e2', severity: 'minor', timeMs: T0 + 1 })], open);
    expect(repeated.open.get('linkDown:core-1:3')?.alarm).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'ana',
    });
    const escalated = run([event({ id: 'e3', severity: 'critical', timeMs: T0 + 1 })], open);
    expect(escalated.open.get('linkDown:core-1:3')?.alarm).toMatchObject({
      state: 'active',
      acknowledgedBy: null,
    });
  });

  it('a clear closes the alarm and removes it from the open set', () => {
    const { open, decisions } = run([event({ id: 'e1' }), linkUp('u1', T0 + 60_000)]);
    expect(open.size).toBe(0);
    const cleared = decisions[1];
    expect(cleared?.kind).toBe('cleared');
    if (cleared?.kind !== 'cleared') throw new Error('not cleared');
    expect(cleared.record.alarm).toMatchObject({
      id: 'alarm-1',
      state: 'cleared',
      severity: 'cleared',
      clearedAt: '2026-01-01T12:01:00.000Z',
      count: 1,
      lastEventId: 'u1',
    });
  });

  it('a problem returning after a clear gets a new id', () => {
    const { open, decisions } = run([
      event({ id: 'e1' }),
      linkUp('u1', T0 + 10),
      event({ id: 'e2', timeMs: T0 + 20 }),
    ]);
    expect(open.get('linkDown:core-1:3')?.alarm).toMatchObject({ id: 'alarm-2', count: 1 });
    expect(decisions[0]).toMatchObject({ record: { alarm: { id: 'alarm-1' } } });
  });

  it('leaves the given open alarms untouched', () => {
    const before = run([event({ id: 'e1' })]).open;
    const snapshot = JSON.stringify([...before]);
    run([event({ id: 'e2' }), linkUp('u1')], before);
    expect(JSON.stringify([...before])).toBe(snapshot);
  });
});

describe('isoFormatter', () => {
  it.each<[string, number[]]>([
    ['the epoch', [0]],
    ['milliseconds of one second, then the next', [T0 + 5, T0 + 999, T0 + 1000, T0 + 1001]],
    ['back to an earlier second', [T0 + 61_000, T0 + 1]],
    ['the last millisecond of year 9999, then past it', [253_402_300_799_999, 253_402_300_800_000]],
  ])('formats %s as isoTime does', (_name, times) => {
    const iso = isoFormatter();
    expect(times.map(iso)).toEqual(times.map(isoTime));
  });

  it('formats any sequence of times as isoTime does', () => {
    const time = fc.integer({ min: 0, max: 8_640_000_000_000_000 });
    const nearby = fc.integer({ min: 0, max: 5000 }).map((offset) => T0 + offset);
    fc.assert(
      fc.property(fc.array(fc.oneof(time, nearby), { maxLength: 50 }), (times) => {
        const iso = isoFormatter();
        expect(times.map(iso)).toEqual(times.map(isoTime));
      }),
    );
  });
});

describe('keysOfBatch and orderEvents', () => {
  it('collects reduction keys of problems and clear keys of clears, sorted', () => {
    expect(
      keysOfBatch([
        event({ id: 'e1', reductionKey: 'z' }),
        linkUp('u1'),
        event({ id: 'e2', reductionKey: 'a' }),
        event({ id: 'e3', reductionKey: 'z' }),
      ]),
    ).toEqual(['a', 'linkDown:core-1:3', 'z']);
  });

  it('orders by time then id without changing the input', () => {
    const input = [
      event({ id: 'c', timeMs: 2 }),
      event({ id: 'b', timeMs: 1 }),
      event({ id: 'a', timeMs: 2 }),
    ];
    expect(orderEvents(input).map((e) => e.id)).toEqual(['b', 'a', 'c']);
    expect(input.map((e) => e.id)).toEqual(['c', 'b', 'a']);
  });
});

// Properties over random batches on a few keys, with clears, repeats and redeliveries mixed in.
const keys = ['k1', 'k2', 'k3'];
const severities: Severity[] = ['cleared', 'normal', 'warning', 'minor', 'major', 'critical'];
const arbitraryEvent = fc
  .record({
    id: fc.integer({ min: 1, max: 40 }).map((n) => `e${String(n)}`),
    key: fc.constantFrom(...keys),
    severity: fc.constantFrom(...severities),
    timeMs: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ id, key, severity, timeMs }) =>
    severity === 'cleared'
      ? event({ id, severity, timeMs, reductionKey: `up:${key}`, clearKey: key })
      : event({ id, severity, timeMs, reductionKey: key }),
  );
// One id always means one event (a redelivery carries the same content).
const arbitraryBatch = fc.array(arbitraryEvent, { maxLength: 60 }).map((events) => {
  const byId = new Map<string, FaultEvent>();
  for (const e of events) if (!byId.has(e.id)) byId.set(e.id, e);
  return events.map((e) => byId.get(e.id) ?? e);
});

function allAlarms(decisions: readonly AlarmDecision[]): Map<string, AlarmRecord> {
  const byId = new Map<string, AlarmRecord>();
  for (const decision of decisions) {
    if ('record' in decision) byId.set(decision.record.alarm.id, decision.record);
  }
  return byId;
}

describe('reduceAlarms properties', () => {
  it('the counts of all alarms sum to the distinct problem events applied', () => {
    fc.assert(
      fc.property(arbitraryBatch, (events) => {
        const { decisions } = run(events);
        const problems = new Set(events.filter((e) => e.severity !== 'cleared').map((e) => e.id));
        const total = [...allAlarms(decisions).values()].reduce((n, r) => n + r.alarm.count, 0);
        expect(total).toBe(problems.size);
      }),
    );
  });

  it('splitting a batch in two gives the same open alarms (ids aside) when times are ordered', () => {
    fc.assert(
      fc.property(arbitraryBatch, fc.nat(), (events, cut) => {
        // Batches are applied whole or not at all, so no event id is in both halves.
        const ordered = orderEvents([...new Map(events.map((e) => [e.id, e])).values()]);
        const at = ordered.length === 0 ? 0 : cut % ordered.length;
        const whole = run(ordered);
        const head = run(ordered.slice(0, at));
        const tail = run(ordered.slice(at), head.open);
        const strip = (open: OpenAlarms) =>
          [...open.values()]
            .map((r) => ({ ...r.alarm, id: '' }))
            .sort((a, b) => a.reductionKey.localeCompare(b.reductionKey));
        expect(strip(tail.open)).toEqual(strip(whole.open));
      }),
    );
  });

  it('keeps at most one open alarm per key, keyed by its own reduction key', () => {
    fc.assert(
      fc.property(arbitraryBatch, (events) => {
        const { open, decisions } = run(events);
        for (const [key, record] of open) {
          expect(record.alarm.reductionKey).toBe(key);
          expect(record.alarm.state).not.toBe('cleared');
        }
        // No alarm is raised for a key while another alarm of that key is still open.
        const openIds = new Map<string, string>();
        for (const decision of decisions) {
          if (!('record' in decision)) continue;
          const { alarm } = decision.record;
          if (decision.kind === 'raised') {
            expect(openIds.has(alarm.reductionKey)).toBe(false);
          } else {
            expect(openIds.get(alarm.reductionKey)).toBe(alarm.id);
          }
          if (alarm.state === 'cleared') openIds.delete(alarm.reductionKey);
          else openIds.set(alarm.reductionKey, alarm.id);
        }
      }),
    );
  });

  it('is deterministic whatever the input order', () => {
    fc.assert(
      fc.property(
        arbitraryBatch.chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        ([events, shuffled]) => {
          expect(run(shuffled)).toEqual(run(events));
        },
      ),
    );
  });
});
