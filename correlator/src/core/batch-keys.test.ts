import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitByPartition, type FaultEvent } from '@faultline/shared';
import { reduceAlarms, type OpenAlarms } from './alarm-reducer.js';
import { keysOfBatch } from './batch-keys.js';
import { faultEvent } from './fault-event.fixture.js';

/** A temperature warning on `key`, or its clear when `clearKey` is given. */
function event(id: string, key: string, clearKey?: string): FaultEvent {
  return faultEvent(id, Number(id.replace(/\D/g, '')) || 0, {
    source: 'telemetry',
    type: clearKey === undefined ? 'highTemperature' : 'temperatureNormal',
    severity: clearKey === undefined ? 'warning' : 'cleared',
    reductionKey: key,
    ...(clearKey === undefined ? {} : { clearKey }),
  });
}

describe('keysOfBatch', () => {
  it('lists each key read or written once, sorted', () => {
    expect(keysOfBatch([event('e1', 'b'), event('e2', 'up:a', 'a'), event('e3', 'b')])).toEqual([
      'a',
      'b',
    ]);
  });
});

describe('partitions', () => {
  const arbitraryEvents = fc.array(
    fc
      .record({ n: fc.nat(50), key: fc.constantFrom('a', 'b', 'c', 'd', 'e'), clear: fc.boolean() })
      .map(({ n, key, clear }) =>
        clear ? event(`e${String(n)}`, `up:${key}`, key) : event(`e${String(n)}`, key),
      ),
    { maxLength: 40 },
  );

  it('applying the partitions of a batch in turn gives the same alarms as the whole batch', () => {
    fc.assert(
      fc.property(arbitraryEvents, fc.integer({ min: 1, max: 6 }), (raw, partitions) => {
        // One id, one event: a redelivery carries the same content.
        const byId = new Map(raw.map((e) => [e.id, e]));
        const events = raw.map((e) => byId.get(e.id) ?? e);
        let n = 0;
        const newAlarmId = () => `a${String(++n)}`;
        const whole = reduceAlarms(new Map(), { events }, { newAlarmId });
        let open: OpenAlarms = new Map();
        for (const part of splitByPartition(events, partitions).values()) {
          ({ open } = reduceAlarms(open, { events: part }, { newAlarmId }));
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
