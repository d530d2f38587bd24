import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAvailability, mergeIntervals, type Outage } from './availability.js';
import { compare, ONE, ratio, ZERO } from '@faultline/shared';

const MIN = 60_000;
const DAY = 1440 * MIN;
const PERIOD = { startMs: 0, endMs: 30 * DAY }; // 43,200 minutes

function outage(
  id: string,
  startMin: number,
  endMin: number | null,
  inMaintenance = false,
): Outage {
  return {
    id,
    startMs: startMin * MIN,
    endMs: endMin === null ? null : endMin * MIN,
    inMaintenance,
  };
}

describe('computeAvailability over a 30-day period (43,200 min)', () => {
  it.each([
    // outages, downtime minutes, availability (exact), counted ids
    [[], 0, ONE, []],
    [[outage('a', 100, 130)], 30, ratio(43170n, 43200n), ['a']], // 99.930555…%
    [[outage('a', 100, 130), outage('b', 120, 150)], 50, ratio(43150n, 43200n), ['a', 'b']], // overlap merged
    [[outage('a', 100, 130), outage('b', 130, 160)], 60, ratio(43140n, 43200n), ['a', 'b']], // touching
    [[outage('a', 100, 130), outage('m', 200, 500, true)], 30, ratio(43170n, 43200n), ['a']], // maintenance out
    [[outage('a', -60, 30)], 30, ratio(43170n, 43200n), ['a']], // clipped at the start
    [[outage('a', 43190, 43300)], 10, ratio(43190n, 43200n), ['a']], // clipped at the end
    [[outage('a', 50000, 50100)], 0, ONE, []], // outside the period
    [[outage('a', 100, 100)], 0, ONE, []], // empty
    [[outage('a', -10, 43210)], 43200, ZERO, ['a']], // down all period
  ])('%o → %d min down', (outages, minutes, availability, ids) => {
    const result = computeAvailability(PERIOD, outages, PERIOD.endMs);
    expect(result.downtimeMs).toBe(minutes * MIN);
    expect(result.downtimeMinutes).toBe(minutes);
    expect(result.availability).toEqual(availability);
    expect(result.countedOutageIds).toEqual(ids);
  });

  it('ends an open outage at "now" and lists maintenance outages apart', () => {
    const result = computeAvailability(
      PERIOD,
      [outage('open', 1000, null), outage('m', 10, 20, true)],
      1045 * MIN,
    );
    expect(result.downtimeMinutes).toBe(45);
    expect(result.maintenanceOutageIds).toEqual(['m']);
    expect(result.intervals).toEqual([
      { startMs: 1000 * MIN, endMs: 1045 * MIN, outageIds: ['open'] },
    ]);
  });

  it('merges into disjoint intervals naming every outage in them', () => {
    expect(
      mergeIntervals(PERIOD, [
        { id: 'c', startMs: 500, endMs: 600 },
        { id: 'a', startMs: 100, endMs: 200 },
        { id: 'b', startMs: 150, endMs: 300 },
      ]),
    ).toEqual([
      { startMs: 100, endMs: 300, outageIds: ['a', 'b'] },
      { startMs: 500, endMs: 600, outageIds: ['c'] },
    ]);
  });
});

describe('availability properties', () => {
  const outages = fc
    .array(
      fc.tuple(
        fc.integer({ min: -2 * DAY, max: 32 * DAY }),
        fc.integer({ min: 0, max: 3 * DAY }),
        fc.boolean(),
      ),
      { maxLength: 30 },
    )
    .map((list) =>
      list.map(([startMs, lengthMs, inMaintenance], index) => ({
        id: `o${index}`,
        startMs,
        endMs: startMs + lengthMs,
        inMaintenance,
      })),
    );

  it('merging never increases downtime; availability stays in [0, 1]; order does not matter', () => {
    fc.assert(
      fc.property(outages, (list) => {
        const result = computeAvailability(PERIOD, list, PERIOD.endMs);
        const clippedSum = list
          .filter((o) => !o.inMaintenance)
          .reduce(
            (sum, o) =>
              sum +
              Math.max(0, Math.min(o.endMs, PERIOD.endMs) - Math.max(o.startMs, PERIOD.startMs)),
            0,
          );
        expect(result.downtimeMs).toBeLessThanOrEqual(clippedSum);
        expect(compare(result.availability, ZERO)).toBeGreaterThanOrEqual(0);
        expect(compare(result.availability, ONE)).toBeLessThanOrEqual(0);
        expect(computeAvailability(PERIOD, [...list].reverse(), PERIOD.endMs).downtimeMs).toBe(
          result.downtimeMs,
        );
      }),
    );
  });

  it('adding an outage never decreases downtime', () => {
    fc.assert(
      fc.property(outages, outages, (first, more) => {
        const extra = more.map((o) => ({ ...o, id: `x${o.id}` }));
        expect(
          computeAvailability(PERIOD, [...first, ...extra], PERIOD.endMs).downtimeMs,
        ).toBeGreaterThanOrEqual(computeAvailability(PERIOD, first, PERIOD.endMs).downtimeMs);
      }),
    );
  });
});
