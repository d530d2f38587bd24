import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultEvent } from '@faultline/shared';
import { reduceAlarms, type OpenAlarms } from './alarm-reducer.js';
import { planWrites } from './alarm-writes.js';
import { faultEvent } from './fault-event.fixture.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

const clearEvent = (id: string, timeMs: number) =>
  faultEvent(id, timeMs, {
    type: 'linkUp',
    severity: 'cleared',
    reductionKey: 'up',
    clearKey: 'k',
  });

function plan(events: FaultEvent[], before: OpenAlarms = new Map()) {
  let n = 0;
  const { decisions } = reduceAlarms(before, { events }, { newAlarmId: () => `a${String(++n)}` });
  return planWrites(before, decisions);
}

describe('planWrites', () => {
  it.each<[string, FaultEvent[], string[], string[], string[]]>([
    ['nothing', [], [], [], []],
    ['a raise inserts', [faultEvent('e1', T0)], ['a1'], [], ['raised']],
    [
      'raise and repeats insert once in the final state',
      [
        faultEvent('e1', T0),
        faultEvent('e2', T0 + 1),
        faultEvent('e3', T0 + 2, { severity: 'critical' }),
      ],
      ['a1'],
      [],
      ['raised', 'repeated', 'escalated'],
    ],
    [
      'raise, clear, raise inserts two alarms',
      [faultEvent('e1', T0), clearEvent('c1', T0 + 1), faultEvent('e2', T0 + 2)],
      ['a1', 'a2'],
      [],
      ['raised', 'cleared', 'raised'],
    ],
    ['an orphan clear writes nothing', [clearEvent('c1', T0)], [], [], []],
    [
      'repeats in a row make one row, an escalation starts a new run',
      [
        faultEvent('e1', T0),
        faultEvent('e2', T0 + 1),
        faultEvent('e3', T0 + 2),
        faultEvent('e4', T0 + 3, { severity: 'critical' }),
        faultEvent('e5', T0 + 4),
        faultEvent('e6', T0 + 5),
      ],
      ['a1'],
      [],
      ['raised', 'repeated', 'escalated', 'repeated'],
    ],
  ])('%s', (_name, events, inserted, updated, history) => {
    const writes = plan(events);
    expect(writes.inserts.map((r) => r.alarm.id)).toEqual(inserted);
    expect(writes.updates.map((r) => r.alarm.id)).toEqual(updated);
    expect(writes.history.map((h) => h.change)).toEqual(history);
    expect(writes.changes.map((c) => c.kind)).toEqual(history);
  });

  it('updates alarms that were open before, once, in their final state', () => {
    let n = 0;
    const first = reduceAlarms(
      new Map(),
      { events: [faultEvent('e1', T0)] },
      { newAlarmId: () => `a${String(++n)}` },
    );
    const writes = plan(
      [faultEvent('e2', T0 + 1), faultEvent('e3', T0 + 2), clearEvent('c1', T0 + 3)],
      first.open,
    );
    expect(writes.inserts).toEqual([]);
    expect(writes.updates.map((r) => [r.alarm.id, r.alarm.state, r.alarm.count])).toEqual([
      ['a1', 'cleared', 3],
    ]);
    expect(writes.history).toEqual([
      {
        alarmId: 'a1',
        at: '2026-01-01T12:00:00.002Z',
        change: 'repeated',
        severity: 'major',
        actor: 'system',
        cause: '2 events, the last e3 (linkDown)',
      },
      {
        alarmId: 'a1',
        at: '2026-01-01T12:00:00.003Z',
        change: 'cleared',
        severity: 'cleared',
        actor: 'system',
        cause: 'event c1 (linkUp)',
      },
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a clear without a reason', {}, 'event c1 (linkUp)'],
    [
      'a clear with a reason',
      { clearReason: 'verified up by poll; state unknown between t1 and t2' },
      'event c1 (linkUp): verified up by poll; state unknown between t1 and t2',
    ],
    ['an empty reason', { clearReason: '' }, 'event c1 (linkUp)'],
    ['a reason that is not text', { clearReason: 7 }, 'event c1 (linkUp)'],
  ])('states the reason of %s in its history', (_name, details, cause) => {
    const writes = plan([faultEvent('e1', T0), { ...clearEvent('c1', T0 + 1), details }]);
    expect(writes.history.map((h) => [h.change, h.cause])).toEqual([
      ['raised', 'event e1 (linkDown)'],
      ['cleared', cause],
    ]);
  });

  it('does not state a clear reason on a raise or a repeat', () => {
    const details = { clearReason: 'nonsense on a raise' };
    const writes = plan([faultEvent('e1', T0, { details }), faultEvent('e2', T0 + 1, { details })]);
    expect(writes.history.map((h) => h.cause)).toEqual([
      'event e1 (linkDown)',
      'event e2 (linkDown)',
    ]);
  });

  it('keeps one run per alarm when other alarms interleave, and publishes each final state', () => {
    const other = { reductionKey: 'j' };
    const writes = plan([
      faultEvent('e1', T0),
      faultEvent('o1', T0 + 1, other),
      faultEvent('e2', T0 + 2),
      faultEvent('o2', T0 + 3, other),
      faultEvent('e3', T0 + 4),
      faultEvent('o3', T0 + 5, other),
    ]);
    expect(writes.history.map((h) => [h.alarmId, h.change, h.cause, h.at])).toEqual([
      ['a1', 'raised', 'event e1 (linkDown)', '2026-01-01T12:00:00.000Z'],
      ['a2', 'raised', 'event o1 (linkDown)', '2026-01-01T12:00:00.001Z'],
      ['a1', 'repeated', '2 events, the last e3 (linkDown)', '2026-01-01T12:00:00.004Z'],
      ['a2', 'repeated', '2 events, the last o3 (linkDown)', '2026-01-01T12:00:00.005Z'],
    ]);
    expect(writes.changes.map((c) => [c.alarm.id, c.kind, c.alarm.count])).toEqual([
      ['a1', 'raised', 1],
      ['a2', 'raised', 1],
      ['a1', 'repeated', 3],
      ['a2', 'repeated', 3],
    ]);
  });

  it('for any batch, the last change of each alarm is its final state, and every event is counted', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.constantFrom('k', 'j', 'i'),
            severity: fc.constantFrom('minor', 'major', 'critical', 'cleared'),
          }),
          { maxLength: 60 },
        ),
        (draws) => {
          const events = draws.map(({ key, severity }, n) =>
            severity === 'cleared'
              ? faultEvent(`e${String(n)}`, T0 + n, {
                  type: 'linkUp',
                  severity: 'cleared',
                  reductionKey: `up-${key}`,
                  clearKey: key,
                })
              : faultEvent(`e${String(n)}`, T0 + n, { reductionKey: key, severity }),
          );
          const writes = plan(events);
          const finals = [...writes.inserts, ...writes.updates];
          const lastChange = new Map(writes.changes.map((c) => [c.alarm.id, c.alarm]));
          expect(new Map(finals.map((r) => [r.alarm.id, r.alarm]))).toEqual(lastChange);
          // A row stands for one event, or for as many as its cause names.
          const counted = writes.history.reduce(
            (sum, h) => sum + Number(/^(\d+) events/.exec(h.cause)?.[1] ?? 1),
            0,
          );
          const changing = finals.reduce((sum, r) => sum + r.alarm.count, 0);
          const clears = writes.history.filter((h) => h.change === 'cleared').length;
          expect(counted).toBe(changing + clears);
        },
      ),
    );
  });
});
