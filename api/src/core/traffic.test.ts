import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@faultline/shared';
import {
  billedPercentile,
  localDate,
  percentile95,
  percentileServicesOn,
  planOn,
  stepColumns,
  trafficWindow,
} from './traffic.js';

describe('trafficWindow', () => {
  const now = Date.parse('2026-12-07T10:17:30Z');
  it.each([
    ['hour', '2026-12-07T09:18:00.000Z', '2026-12-07T10:18:00.000Z', 60_000],
    ['day', '2026-12-06T10:20:00.000Z', '2026-12-07T10:20:00.000Z', 300_000],
    ['week', '2026-11-30T10:30:00.000Z', '2026-12-07T10:30:00.000Z', 1_800_000],
    ['month', '2026-11-07T12:00:00.000Z', '2026-12-07T12:00:00.000Z', 7_200_000],
  ] as const)('%s ends at the step after now', (range, from, to, stepMs) => {
    const window = trafficWindow(range, now);
    expect([new Date(window.fromMs).toISOString(), new Date(window.toMs).toISOString()]).toEqual([
      from,
      to,
    ]);
    expect(window.stepMs).toBe(stepMs);
  });
});

describe('percentile95', () => {
  it.each([
    [[], null],
    [[5], 5],
    [[3, 1, 2], 3],
    // 20 rates: the highest one is dropped.
    [Array.from({ length: 20 }, (_, i) => i + 1), 19],
    // 100 rates: five dropped, rank 95.
    [Array.from({ length: 100 }, (_, i) => 100 - i), 95],
  ])('of %j is %j', (rates, expected) => {
    expect(percentile95(rates)).toBe(expected);
  });

  it('lies between the lowest and highest rate and drops floor(n/20) above it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1 }), (rates) => {
        const p = percentile95(rates) ?? Number.NaN;
        expect(p).toBeGreaterThanOrEqual(Math.min(...rates));
        expect(p).toBeLessThanOrEqual(Math.max(...rates));
        expect(rates.filter((r) => r > p).length).toBeLessThanOrEqual(
          Math.floor(rates.length / 20),
        );
      }),
    );
  });
});

describe('billedPercentile', () => {
  const buckets = [
    { inBps: 10, outBps: 1 },
    { inBps: 20, outBps: 50 },
    { inBps: null, outBps: 5 },
  ];
  it.each([
    ['in', 20, 2],
    ['out', 50, 3],
    ['max', 50, 3],
    ['sum', 70, 2],
  ] as const)('%s', (direction, percentileBps, sampleCount) => {
    expect(billedPercentile(buckets, direction)).toEqual({ percentileBps, sampleCount });
  });

  it('has no value without rates', () => {
    expect(billedPercentile([], 'max')).toEqual({ percentileBps: null, sampleCount: 0 });
  });
});

describe('planOn', () => {
  const service = {
    plan: 'a',
    planChanges: [
      { from: '2026-10-12', plan: 'b' },
      { from: '2026-11-01', plan: null },
    ],
  };
  it.each([
    ['2026-10-11', 'a'],
    ['2026-10-12', 'b'],
    ['2026-11-01', null],
  ])('on %s is %s', (date, plan) => {
    expect(planOn(service, date)).toBe(plan);
  });
});

describe('localDate', () => {
  it("is the customer's calendar date", () => {
    const t = Date.parse('2026-10-12T02:00:00Z');
    expect([localDate(t, 'UTC'), localDate(t, 'America/New_York')]).toEqual([
      '2026-10-12',
      '2026-10-11',
    ]);
  });
});

describe('percentileServicesOn', () => {
  const checked = parseConfig(`
pricePlans:
  - { id: burst, type: percentile95, monthlyCharge: '1.00', commitMbps: 5, overagePerMbps: '1.00', direction: sum }
  - { id: flat, type: flat, monthlyCharge: '1.00' }
devices:
  - name: d
    address: 127.0.1.1
    snmp: { version: 2c, community: public }
    interfaces: [{ ifIndex: 1, name: p1, speedMbps: 100 }, { ifIndex: 2, name: p2, speedMbps: 100 }]
customers:
  - id: c
    name: C
    currency: EUR
    timeZone: America/New_York
    services:
      - { id: s1, device: d, interface: p1, plan: flat, planChanges: [{ from: '2026-10-12', plan: burst }] }
      - { id: s2, device: d, interface: p2, plan: burst }
`);
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  const config = checked.value;

  it('finds the services on the interface whose plan in force (local date) is a 95th', () => {
    const ids = (atIso: string) =>
      percentileServicesOn(config, 'd', 'p1', Date.parse(atIso)).map((s) => [
        s.service.id,
        s.direction,
        s.commitMbps,
      ]);
    // 02:00 UTC on the 12th is still the 11th in New York: the flat plan.
    expect(ids('2026-10-12T02:00:00Z')).toEqual([]);
    expect(ids('2026-10-12T05:00:00Z')).toEqual([['s1', 'sum', 5]]);
  });
});

describe('stepColumns', () => {
  it('has one entry per step, null where nothing was read', () => {
    expect(
      stepColumns({ fromMs: 0, toMs: 30, stepMs: 10 }, [{ timeMs: 10, inBps: 1, outBps: null }]),
    ).toEqual({ timeMs: [0, 10, 20], inBps: [null, 1, null], outBps: [null, null, null] });
  });
});
