import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Alarm, AlarmChange, AlarmChangeKind } from '@faultline/shared';
import { coalesceChanges } from './coalesce-changes.js';

function change(id: string, kind: AlarmChangeKind, count = 1): AlarmChange {
  const alarm: Alarm = {
    id,
    reductionKey: `linkDown:core-1:${id}`,
    device: 'core-1',
    deviceKnown: true,
    component: null,
    type: 'linkDown',
    source: 'trap',
    severity: 'major',
    state: kind === 'cleared' ? 'cleared' : 'active',
    count,
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-01-01T00:00:00.000Z',
    clearedAt: null,
    description: 'link down',
    lastEventId: `e-${id}-${String(count)}`,
    causedBy: null,
    explanation: null,
    ticketId: null,
    acknowledgedBy: null,
  };
  return { kind, alarm };
}

const byAlarm = (c: AlarmChange) => c.alarm.id;

const summary = (changes: AlarmChange[]) =>
  changes.map((c) => `${c.alarm.id}:${c.kind}:${String(c.alarm.count)}`);

describe('coalesceChanges', () => {
  it.each<[string, AlarmChange[], string[]]>([
    ['nothing', [], []],
    ['one change', [change('a', 'raised')], ['a:raised:1']],
    [
      'repeats of one alarm keep the last',
      [change('a', 'raised', 1), change('a', 'repeated', 2), change('a', 'repeated', 3)],
      ['a:repeated:3'],
    ],
    [
      'order follows each alarm’s latest change',
      [change('a', 'raised'), change('b', 'raised'), change('a', 'cleared', 2)],
      ['b:raised:1', 'a:cleared:2'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(summary(coalesceChanges(input, byAlarm))).toEqual(expected);
  });

  it('keeps exactly the last change of every alarm', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.nat(50))), (items) => {
        const input = items.map(([id, count]) => change(id, 'repeated', count + 1));
        const output = coalesceChanges(input, byAlarm);
        expect(new Set(output.map((c) => c.alarm.id)).size).toBe(output.length);
        for (const id of new Set(input.map((c) => c.alarm.id))) {
          const last = input.filter((c) => c.alarm.id === id).at(-1);
          expect(output.find((c) => c.alarm.id === id)).toBe(last);
        }
      }),
    );
  });
});
