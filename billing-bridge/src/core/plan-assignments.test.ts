import { type PricePlan, add, ratio, toExactString, ZERO } from '@faultline/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingPeriod, bucketCount, BUCKET_MS } from './periods.js';
import { planAssignments, planAt } from './plan-assignments.js';
import { planSegments, rateService } from './rating.js';
import { bucketUsage } from './usage.js';

const FLAT: PricePlan = { id: 'flat-100m', type: 'flat', monthlyCharge: '150.00' };
const BIG: PricePlan = { id: 'flat-1g', type: 'flat', monthlyCharge: '900.00' };
const ODD: PricePlan = { id: 'flat-odd', type: 'flat', monthlyCharge: '99.99' };
const PLANS = [FLAT, BIG, ODD];

function service(changes: { from: string; plan: string | null }[]) {
  return { id: 's1', plan: FLAT.id, planChanges: changes };
}

/** The charge lines of a service for a period: [fraction, amount minor]. */
function charges(
  period: ReturnType<typeof billingPeriod>,
  changes: { from: string; plan: string | null }[],
  timeZone: string,
) {
  return rateService({
    serviceId: 's1',
    currency: 'EUR',
    period,
    plans: planAssignments(service(changes), PLANS, timeZone),
    usage: bucketUsage(period, []),
  }).lines.map((line) => [line.description.split(' ')[0], line.periodFraction, line.amountMinor]);
}

describe('planAssignments', () => {
  it('starts the configured plan at the beginning of time and each change at its local midnight', () => {
    const assignments = planAssignments(
      service([
        { from: '2026-04-14', plan: BIG.id },
        { from: '2026-06-01', plan: null },
      ]),
      PLANS,
      'Europe/Berlin',
    );
    expect(assignments.map((a) => [a.fromMs, a.plan?.id ?? null])).toEqual([
      [Number.NEGATIVE_INFINITY, FLAT.id],
      [Date.parse('2026-04-13T22:00:00Z'), BIG.id],
      [Date.parse('2026-05-31T22:00:00Z'), null],
    ]);
    expect(planAt(assignments, Date.parse('2026-04-13T21:59:59.999Z'))?.id).toBe(FLAT.id);
    expect(planAt(assignments, Date.parse('2026-04-13T22:00:00Z'))?.id).toBe(BIG.id);
    expect(planAt(assignments, Date.parse('2026-07-01T00:00:00Z'))).toBeNull();
  });

  it('refuses a plan the config does not have (validation keeps it from happening)', () => {
    expect(() =>
      planAssignments(service([{ from: '2026-04-14', plan: 'gone' }]), PLANS, 'UTC'),
    ).toThrow(/unknown price plan "gone"/);
  });

  it.each([
    // zone, period (year, month), change day, [plan, fraction, amount] per segment
    [
      'plan A until the 14th, B from then (UTC April, 720 h)',
      'UTC',
      2026,
      4,
      '2026-04-14',
      [
        ['flat-100m', '13/30', 6_500n],
        ['flat-1g', '17/30', 51_000n],
      ],
    ],
    [
      'Berlin April: the change is at 22:00Z the day before',
      'Europe/Berlin',
      2026,
      4,
      '2026-04-14',
      [
        ['flat-100m', '13/30', 6_500n],
        ['flat-1g', '17/30', 51_000n],
      ],
    ],
    [
      'Berlin March, after 10 days (743 h, docs/billing.md)',
      'Europe/Berlin',
      2026,
      3,
      '2026-03-11',
      [
        ['flat-100m', '240/743', 4_845n],
        ['flat-1g', '503/743', 60_929n],
      ],
    ],
    [
      'Berlin March, the day after the spring-forward change',
      'Europe/Berlin',
      2026,
      3,
      '2026-03-30',
      [
        ['flat-100m', '695/743', 14_031n], // 15000 × 695/743 = 14031.0…
        ['flat-1g', '48/743', 5_814n], // 90000 × 48/743 = 5814.26…
      ],
    ],
    [
      'New York November, after the fall-back change (721 h)',
      'America/New_York',
      2026,
      11,
      '2026-11-02',
      [
        ['flat-100m', '25/721', 520n], // 15000 × 25/721 = 520.11…
        ['flat-1g', '696/721', 86_879n], // 90000 × 696/721 = 86879.33…
      ],
    ],
    [
      'a change on the first day: the new plan only',
      'UTC',
      2026,
      4,
      '2026-04-01',
      [['flat-1g', '1', 90_000n]],
    ],
    [
      'a change in the next period: the old plan only',
      'UTC',
      2026,
      4,
      '2026-05-01',
      [['flat-100m', '1', 15_000n]],
    ],
    [
      'a change long before: the new plan only',
      'UTC',
      2026,
      4,
      '2025-01-01',
      [['flat-1g', '1', 90_000n]],
    ],
  ] as const)('%s', (_name, zone, year, month, from, expected) => {
    expect(charges(billingPeriod(year, month, 1, zone), [{ from, plan: BIG.id }], zone)).toEqual(
      expected,
    );
  });

  it('a cancellation mid-period bills up to its day; a later plan resumes billing', () => {
    const april = billingPeriod(2026, 4, 1, 'UTC');
    expect(
      charges(
        april,
        [
          { from: '2026-04-11', plan: null },
          { from: '2026-04-21', plan: ODD.id },
        ],
        'UTC',
      ),
    ).toEqual([
      ['flat-100m', '1/3', 5_000n],
      ['flat-odd', '1/3', 3_333n], // 9999 / 3 = 3333
    ]);
  });
});

describe('plan changes from config partition the period (property)', () => {
  const periods = fc.record({
    zone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
    year: fc.integer({ min: 2024, max: 2027 }),
    month: fc.integer({ min: 1, max: 12 }),
    anchor: fc.integer({ min: 1, max: 28 }),
  });
  /** Change days: an offset in days from the period start (some before, some after it). */
  const offsets = fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { maxLength: 5 });

  function changeDays(startMs: number, dayOffsets: number[]): string[] {
    return [...new Set(dayOffsets.map((d) => new Date(startMs + d * 86_400_000 + 43_200_000)))]
      .map((date) => date.toISOString().slice(0, 10))
      .filter((day, index, days) => days.indexOf(day) === index)
      .sort();
  }

  it('segments are contiguous, cover the period, fractions sum to exactly 1, buckets partition', () => {
    fc.assert(
      fc.property(periods, offsets, ({ zone, year, month, anchor }, dayOffsets) => {
        const period = billingPeriod(year, month, anchor, zone);
        const days = changeDays(period.startMs, dayOffsets);
        const assignments = planAssignments(
          service(days.map((from, i) => ({ from, plan: PLANS[i % PLANS.length]?.id ?? FLAT.id }))),
          PLANS,
          zone,
        );
        const segments = planSegments(period, assignments, BUCKET_MS);
        expect(segments[0]?.startMs).toBe(period.startMs);
        expect(segments.at(-1)?.endMs).toBe(period.endMs);
        expect(segments[0]?.fromBucket).toBe(0);
        expect(segments.at(-1)?.toBucket).toBe(bucketCount(period));
        segments.slice(1).forEach((segment, i) => {
          expect(segment.startMs).toBe(segments[i]?.endMs);
          expect(segment.fromBucket).toBe(segments[i]?.toBucket);
        });
        const total = segments.reduce((sum, segment) => add(sum, segment.periodFraction), ZERO);
        expect(toExactString(total)).toBe(toExactString(ratio(1n)));
      }),
    );
  });

  it('one plan throughout, however split: the charges sum to the monthly charge within half a cent per segment', () => {
    fc.assert(
      fc.property(periods, offsets, ({ zone, year, month, anchor }, dayOffsets) => {
        const period = billingPeriod(year, month, anchor, zone);
        const days = changeDays(period.startMs, dayOffsets);
        const lines = rateService({
          serviceId: 's1',
          currency: 'EUR',
          period,
          plans: planAssignments(
            { id: 's1', plan: ODD.id, planChanges: days.map((from) => ({ from, plan: ODD.id })) },
            PLANS,
            zone,
          ),
          usage: bucketUsage(period, []),
        }).lines;
        const total = lines.reduce((sum, line) => sum + line.amountMinor, 0n);
        const error = total > 9_999n ? total - 9_999n : 9_999n - total;
        // Each segment is rounded once (≤ ½ minor unit): one change is always within a cent.
        expect(2n * error <= BigInt(lines.length)).toBe(true);
      }),
    );
  });
});
