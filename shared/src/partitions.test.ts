import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultEvent } from './event.js';
import {
  batchJobId,
  eventsPartitionQueue,
  keyOf,
  partitionOf,
  partitionOfKey,
  splitByPartition,
} from './partitions.js';

function event(id: string, key: string, clearKey?: string): FaultEvent {
  return {
    id,
    source: 'telemetry',
    device: 'pe-1',
    deviceKnown: true,
    type: clearKey === undefined ? 'highTemperature' : 'temperatureNormal',
    severity: clearKey === undefined ? 'warning' : 'cleared',
    timeMs: 0,
    reductionKey: key,
    ...(clearKey === undefined ? {} : { clearKey }),
    description: 'temperature',
    details: {},
  };
}

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

describe('partitionOfKey', () => {
  it('is FNV-1a of the key modulo the count, the same in every process', () => {
    // Reference values of 32-bit FNV-1a: '' is the offset basis, 'a' is 0xe40c292c.
    expect(partitionOfKey('', 2 ** 32 - 1)).toBe(0x811c9dc5 % (2 ** 32 - 1));
    expect(partitionOfKey('a', 2 ** 32 - 1)).toBe(0xe40c292c % (2 ** 32 - 1));
    expect(partitionOfKey('linkDown:core-1:3', 8)).toBe(partitionOfKey('linkDown:core-1:3', 8));
  });

  it('spreads keys over every partition', () => {
    const counts = new Array<number>(8).fill(0);
    for (let index = 0; index < 8000; index += 1) {
      const partition = partitionOfKey(`linkDown:dev-${String(index)}:1`, 8);
      counts[partition] = (counts[partition] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it('puts a clear in the partition of the alarm it clears', () => {
    const problem = event('e1', 'linkDown:core-1:3');
    const clear = event('e2', 'linkUp:core-1:3', 'linkDown:core-1:3');
    expect(partitionOf(clear, 16)).toBe(partitionOf(problem, 16));
  });
});

describe('splitByPartition', () => {
  it('keeps every event once, in order, each in its partition', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(100), fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.boolean())),
        fc.integer({ min: 1, max: 6 }),
        (specs, partitions) => {
          const events = specs.map(([n, key, clear]) =>
            clear ? event(`e${String(n)}`, `up:${key}`, key) : event(`e${String(n)}`, key),
          );
          const split = splitByPartition(events, partitions);
          expect([...split.values()].flat()).toHaveLength(events.length);
          for (const [partition, list] of split) {
            expect(list.length).toBeGreaterThan(0);
            for (const e of list) expect(partitionOf(e, partitions)).toBe(partition);
            expect(list).toEqual(events.filter((e) => partitionOf(e, partitions) === partition));
          }
        },
      ),
    );
  });
});

describe('eventsPartitionQueue', () => {
  it('is a BullMQ queue name without ":"', () => {
    expect(eventsPartitionQueue(3)).toBe('events-p3');
  });
});

describe('batchJobId', () => {
  const ids = (...list: string[]) => list.map((id) => ({ id }));

  it('is deterministic, free of ":" and not all digits', () => {
    const id = batchJobId(ids('a', 'b'));
    expect(id).toBe(batchJobId(ids('a', 'b')));
    expect(id).not.toContain(':');
    expect(id).not.toMatch(/^\d+$/);
    expect(id).toMatch(/^eb-[0-9a-f]{40}$/);
  });

  it.each([
    [ids('a', 'b'), ids('b', 'a')],
    [ids('ab'), ids('a', 'b')],
    [ids('a'), ids('a', 'a')],
  ])('tells %o from %o', (left, right) => {
    expect(batchJobId(left)).not.toBe(batchJobId(right));
  });
});
