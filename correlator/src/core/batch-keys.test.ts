import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultEvent } from '@faultline/shared';
import { reduceAlarms, type OpenAlarms } from './alarm-reducer.js';
import { keyOf, partitionByKeys } from './batch-keys.js';

function event(id: string, key: string, clearKey?: string): FaultEvent {
  return {
    id,
    source: 'telemetry',
    device: 'pe-1',
    deviceKnown: true,
    type: clearKey === undefined ? 'highTemperature' : 'temperatureNormal',
    severity: clearKey === undefined ? 'warning' : 'cleared',
    timeMs: Number(id.replace(/\D/g, '')) || 0,
    reductionKey: key,
    ...(clearKey === undefined ? {} : { clearKey }),
    description: 'temperature',
    details: {},
  };
}

const ids = (parts: FaultEvent[][]) => parts.map((part) => part.map((e) => e.id));

describe('keyOf', () => {
  it.each<[string, FaultEvent, string]>([
    ['a problem is its reduction key', event('e1', 'k1'), 'k1'],
    ['a clear is its clear key', event('e2', 'up:k1', 'k1'), 'k1'],
    [
      'a cleared event without clear key is its own key',
      { ...event('e3', 'k3'), severity: 'cleared' },
      'k3',
    ],
  ])('%s', (_name, e, expected) => {
    expect(keyOf(e)).toBe(expected);
  });
});

describe('partitionByKeys', () => {
  it.each<[string, FaultEvent[], number, string[][]]>([
    ['nothing', [], 2, []],
    ['one part when the keys fit', [event('e1', 'a'), event('e2', 'b')], 2, [['e1', 'e2']]],
    [
      'keys in sorted order, a clear with the key it clears',
      [event('e1', 'c'), event('e2', 'a'), event('e3', 'up:a', 'a'), event('e4', 'b')],
      2,
      [['e2', 'e3', 'e4'], ['e1']],
    ],
    [
      'one key per part',
      [event('e1', 'b'), event('e2', 'a'), event('e3', 'b')],
      1,
      [['e2'], ['e1', 'e3']],
    ],
    ['a zero limit still makes progress', [event('e1', 'a')], 0, [['e1']]],
  ])('%s', (_name, events, maxKeys, expected) => {
    expect(ids(partitionByKeys(events, maxKeys))).toEqual(expected);
  });

  const arbitraryEvents = fc.array(
    fc
      .record({ n: fc.nat(50), key: fc.constantFrom('a', 'b', 'c', 'd', 'e'), clear: fc.boolean() })
      .map(({ n, key, clear }) =>
        clear ? event(`e${String(n)}`, `up:${key}`, key) : event(`e${String(n)}`, key),
      ),
    { maxLength: 40 },
  );

  it('keeps every event, puts each key in one part, and bounds the keys per part', () => {
    fc.assert(
      fc.property(arbitraryEvents, fc.integer({ min: 1, max: 6 }), (events, maxKeys) => {
        const parts = partitionByKeys(events, maxKeys);
        expect(parts.flat()).toHaveLength(events.length);
        const partOfKey = new Map<string, number>();
        parts.forEach((part, index) => {
          const keys = new Set(part.map(keyOf));
          expect(keys.size).toBeLessThanOrEqual(maxKeys);
          for (const key of keys) {
            expect(partOfKey.has(key)).toBe(false);
            partOfKey.set(key, index);
          }
        });
      }),
    );
  });

  it('applying the parts in turn gives the same alarms as the whole batch', () => {
    fc.assert(
      fc.property(arbitraryEvents, fc.integer({ min: 1, max: 6 }), (raw, maxKeys) => {
        // One id, one event: a redelivery carries the same content.
        const byId = new Map(raw.map((e) => [e.id, e]));
        const events = raw.map((e) => byId.get(e.id) ?? e);
        let n = 0;
        const newAlarmId = () => `a${String(++n)}`;
        const whole = reduceAlarms(
          new Map(),
          { events, processedEventIds: new Set() },
          { newAlarmId },
        );
        let open: OpenAlarms = new Map();
        const applied = new Set<string>();
        for (const part of partitionByKeys(events, maxKeys)) {
          ({ open } = reduceAlarms(
            open,
            { events: part, processedEventIds: applied },
            { newAlarmId },
          ));
          for (const e of part) applied.add(e.id);
        }
        const strip = (alarms: OpenAlarms) =>
          [...alarms.values()]
            .map((r) => ({ ...r.alarm, id: '' }))
            .sort((x, y) => x.reductionKey.localeCompare(y.reductionKey));
        expect(strip(open)).toEqual(strip(whole.open));
      }),
    );
  });
});
