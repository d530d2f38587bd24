import { describe, expect, it } from 'vitest';
import type { FaultEvent } from '@faultline/shared';
import { reduceAlarms, type OpenAlarms } from './alarm-reducer.js';
import { planWrites } from './alarm-writes.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function event(id: string, timeMs: number, overrides: Partial<FaultEvent> = {}): FaultEvent {
  return {
    id,
    source: 'trap',
    device: 'core-1',
    deviceKnown: true,
    type: 'linkDown',
    severity: 'major',
    timeMs,
    reductionKey: 'k',
    description: 'down',
    details: {},
    ...overrides,
  };
}

const clearEvent = (id: string, timeMs: number) =>
  event(id, timeMs, { type: 'linkUp', severity: 'cleared', reductionKey: 'up', clearKey: 'k' });

function plan(events: FaultEvent[], before: OpenAlarms = new Map()) {
  let n = 0;
  const { decisions } = reduceAlarms(
    before,
    { events, processedEventIds: new Set() },
    { newAlarmId: () => `a${String(++n)}` },
  );
  return planWrites(before, decisions);
}

describe('planWrites', () => {
  it.each<[string, FaultEvent[], string[], string[], string[]]>([
    ['nothing', [], [], [], []],
    ['a raise inserts', [event('e1', T0)], ['a1'], [], ['raised']],
    [
      'raise and repeats insert once in the final state',
      [event('e1', T0), event('e2', T0 + 1), event('e3', T0 + 2, { severity: 'critical' })],
      ['a1'],
      [],
      ['raised', 'repeated', 'escalated'],
    ],
    [
      'raise, clear, raise inserts two alarms',
      [event('e1', T0), clearEvent('c1', T0 + 1), event('e2', T0 + 2)],
      ['a1', 'a2'],
      [],
      ['raised', 'cleared', 'raised'],
    ],
    ['an orphan clear writes nothing', [clearEvent('c1', T0)], [], [], []],
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
      { events: [event('e1', T0)], processedEventIds: new Set() },
      { newAlarmId: () => `a${String(++n)}` },
    );
    const writes = plan(
      [event('e2', T0 + 1), event('e3', T0 + 2), clearEvent('c1', T0 + 3)],
      first.open,
    );
    expect(writes.inserts).toEqual([]);
    expect(writes.updates.map((r) => [r.alarm.id, r.alarm.state, r.alarm.count])).toEqual([
      ['a1', 'cleared', 3],
    ]);
    expect(writes.history).toEqual([
      {
        alarmId: 'a1',
        at: '2026-01-01T12:00:00.001Z',
        change: 'repeated',
        severity: 'major',
        actor: 'system',
        cause: 'event e2 (linkDown)',
      },
      {
        alarmId: 'a1',
        at: '2026-01-01T12:00:00.002Z',
        change: 'repeated',
        severity: 'major',
        actor: 'system',
        cause: 'event e3 (linkDown)',
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
});
