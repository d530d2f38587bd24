import { type PricePlan, formatMinor } from '@faultline/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAvailability } from './availability.js';
import { slaCredit } from './credits.js';
import { billingPeriod, bucketCount, type Interval } from './periods.js';
import { adjustmentLine, lineIsConsistent } from './rated-line.js';
import { rateService, type PlanAssignment } from './rating.js';
import type { PeriodUsage } from './usage.js';

const DAY = 86_400_000;
const BURST: PricePlan = {
  id: 'burst-95-1g',
  type: 'percentile95',
  monthlyCharge: '900.00',
  commitMbps: 200,
  overagePerMbps: '4.50',
  direction: 'max',
};
const FLAT: PricePlan = { id: 'flat-100m', type: 'flat', monthlyCharge: '150.00' };
const VOLUME: PricePlan = {
  id: 'volume-1tb',
  type: 'volume',
  monthlyCharge: '300.00',
  includedGB: 1000,
  perExtraGB: '0.80',
};

/** Usage with given rates (Mbps) per bucket; unspecified buckets are gaps. */
function usageOf(
  period: Interval,
  rates: { inMbps?: (index: number) => number; outMbps?: (index: number) => number } = {},
  octets: { bucket: number; inOctets: bigint; outOctets: bigint }[] = [],
): PeriodUsage {
  const count = bucketCount(period);
  const inBps = new Float64Array(count).fill(Number.NaN);
  const outBps = new Float64Array(count).fill(Number.NaN);
  if (rates.inMbps && rates.outMbps) {
    for (let i = 0; i < count; i++) {
      inBps[i] = rates.inMbps(i) * 1e6;
      outBps[i] = rates.outMbps(i) * 1e6;
    }
  }
  const inOctets = new BigUint64Array(count);
  const outOctets = new BigUint64Array(count);
  for (const entry of octets) {
    inOctets[entry.bucket] = entry.inOctets;
    outOctets[entry.bucket] = entry.outOctets;
  }
  return {
    period,
    bucketMs: 300_000,
    inBps,
    outBps,
    inOctets,
    outOctets,
    inOctetsTotal: octets.reduce((sum, entry) => sum + entry.inOctets, 0n),
    outOctetsTotal: octets.reduce((sum, entry) => sum + entry.outOctets, 0n),
    coverage: {
      expectedBuckets: count,
      observedBuckets: 0,
      gapMs: 0,
      gapMinutes: 0,
      resets: 0,
      quarantined: 0,
      unflaggedDecreases: 0,
      longIntervals: 0,
    },
  };
}

function rate(period: Interval, plans: PlanAssignment[], usage: PeriodUsage, currency = 'EUR') {
  const result = rateService({ serviceId: 'svc', currency, period, plans, usage });
  for (const line of result.lines) expect(lineIsConsistent(line)).toBe(true);
  return result;
}

const APRIL_BERLIN = billingPeriod(2026, 4, 1, 'Europe/Berlin'); // 720 h, 8,640 buckets

describe('percentile95 plan (the worked example of docs/billing.md)', () => {
  // Inbound: 432 buckets at 900 Mbps (the top 5 %, dropped), one at 245.3 Mbps (the 8,208th),
  // the rest at 100 Mbps. Outbound: 50 Mbps flat. direction max → max(245.3, 50) = 245.3 Mbps.
  const inMbps = (i: number) => (i < 432 ? 900 : i === 432 ? 245.3 : 100);
  const usage = usageOf(APRIL_BERLIN, { inMbps, outMbps: () => 50 });

  it('charges 900.00 and (245.3 − 200) × 4.50 = 203.85 of overage', () => {
    const result = rate(APRIL_BERLIN, [{ fromMs: 0, plan: BURST }], usage);
    expect(result.recurringChargeMinor).toBe(90_000n);
    expect(result.lines).toMatchObject([
      {
        kind: 'charge',
        quantity: '1',
        unitPriceMinor: '90000',
        periodFraction: '1',
        amountMinor: 90_000n,
      },
      {
        kind: 'overage',
        description: 'burst-95-1g 95th percentile (max) 245.3 Mbps, commit 200 Mbps',
        quantity: '45.3',
        unitPriceMinor: '450',
        periodFraction: '1',
        amountMinor: 20_385n,
        evidence: {
          kind: 'percentile95',
          direction: 'max',
          sampleCount: 8640,
          droppedCount: 432,
          rank: 8208,
          percentileBps: 245_300_000,
          inboundBps: 245_300_000,
          outboundBps: 50_000_000,
          billedBps: '245300000',
          fromBucket: 0,
          toBucket: 8640,
        },
      },
    ]);
  });

  it('keeps the sorted inbound rates as evidence: the billed rank at 245.3 Mbps, then the top 5 %', () => {
    const evidence = rate(APRIL_BERLIN, [{ fromMs: 0, plan: BURST }], usage).lines[1]?.evidence;
    if (evidence?.kind !== 'percentile95') throw new Error('no 95th evidence');
    const { ranks, ratesBps } = evidence.sortedRates ?? { ranks: [], ratesBps: [] };
    const at = (rank: number) => ratesBps[ranks.indexOf(rank)];
    expect([ranks[0], at(1)]).toEqual([1, 100_000_000]);
    expect(at(8208)).toBe(245_300_000);
    expect(at(8209)).toBe(900_000_000);
    expect([ranks.at(-1), ratesBps.at(-1)]).toEqual([8640, 900_000_000]);
    expect(ranks.length).toBeLessThanOrEqual(402);
  });

  it.each([
    ['in', '45.3', 20_385n],
    ['out', '0', 0n], // 50 Mbps, under commit
    ['sum', '95.3', 42_885n], // 245.3 + 50 = 295.3 → 95.3 × 4.50
  ] as const)('direction %s bills %s Mbps over commit = %d', (direction, quantity, amount) => {
    const result = rate(APRIL_BERLIN, [{ fromMs: 0, plan: { ...BURST, direction } }], usage);
    expect(result.lines[1]).toMatchObject({ quantity, amountMinor: amount });
  });

  it('bills no overage without samples, and says so', () => {
    const result = rate(APRIL_BERLIN, [{ fromMs: 0, plan: BURST }], usageOf(APRIL_BERLIN));
    expect(result.lines[1]).toMatchObject({
      quantity: '0',
      amountMinor: 0n,
      evidence: { sampleCount: 0, rank: 0, percentileBps: null, billedBps: '0' },
    });
  });

  it('rounds the 95th to whole bits per second before comparing with the commit', () => {
    const fine = usageOf(APRIL_BERLIN, { inMbps: () => 200.0000005, outMbps: () => 0 }); // 200,000,000.5 bps
    expect(rate(APRIL_BERLIN, [{ fromMs: 0, plan: BURST }], fine).lines[1]).toMatchObject({
      quantity: '0.000001', // 200,000,001 bps
      amountMinor: 0n, // 0.00045 cents
    });
  });
});

describe('the worked example of docs/billing.md, end to end', () => {
  it('bills Acme 900.00 + 203.85 − 225.00 = 878.85 EUR for April 2026', () => {
    const inMbps = (i: number) => (i < 432 ? 900 : i === 432 ? 245.3 : 100);
    const rated = rate(
      APRIL_BERLIN,
      [{ fromMs: 0, plan: BURST }],
      usageOf(APRIL_BERLIN, { inMbps, outMbps: () => 50 }),
    );
    const start = APRIL_BERLIN.startMs;
    const availability = computeAvailability(
      APRIL_BERLIN,
      [
        {
          id: 'T-1',
          startMs: start + 3 * DAY,
          endMs: start + 3 * DAY + 3_600_000,
          inMaintenance: false,
        },
        {
          id: 'M-1',
          startMs: start + 9 * DAY,
          endMs: start + 9 * DAY + 7_200_000,
          inMaintenance: true,
        },
      ],
      APRIL_BERLIN.endMs,
    );
    const sla = slaCredit({
      serviceId: 'svc',
      currency: 'EUR',
      sla: {
        id: 'gold',
        tiers: [
          { belowPercent: 99.95, creditPercent: 10 },
          { belowPercent: 99.9, creditPercent: 25 },
          { belowPercent: 99.5, creditPercent: 50 },
        ],
        creditCapPercent: 50,
      },
      availability,
      baseChargeMinor: rated.recurringChargeMinor,
    });
    if (sla.kind !== 'breached') throw new Error('expected a credit');
    expect(sla.line.description).toBe('SLA gold: availability 99.8611% below 99.9%, credit 25%');
    expect(sla.line.amountMinor).toBe(-22_500n);
    expect(sla.budget.remainingMinutes).toBe(156);
    const total = [...rated.lines, sla.line].reduce((sum, line) => sum + line.amountMinor, 0n);
    expect(formatMinor(total, 'EUR')).toBe('878.85');
  });
});

describe('flat and volume plans', () => {
  const april = billingPeriod(2026, 4, 1, 'UTC');

  it('flat: 150.00 GBP for the period', () => {
    const result = rate(april, [{ fromMs: 0, plan: FLAT }], usageOf(april), 'GBP');
    expect(result.lines).toMatchObject([{ kind: 'charge', amountMinor: 15_000n, currency: 'GBP' }]);
  });

  it.each([
    // in GB, out GB, extra GB, overage minor
    [1000n, 234n, '234', 18_720n], // 234 × 0.80
    [1000n, 0n, '0', 0n],
    [600n, 400n, '0', 0n], // exactly the allowance
  ])('volume: %d GB in + %d GB out → %s GB extra = %d', (inGB, outGB, extra, amount) => {
    const usage = usageOf(april, {}, [
      { bucket: 5, inOctets: inGB * 10n ** 9n, outOctets: outGB * 10n ** 9n },
    ]);
    const result = rate(april, [{ fromMs: 0, plan: VOLUME }], usage, 'USD');
    expect(result.lines[1]).toMatchObject({
      kind: 'overage',
      quantity: extra,
      unitPriceMinor: '80',
      amountMinor: amount,
    });
  });

  it('volume: GB are 10^9 octets, fractions of a GB are billed exactly (1,234.5 GB → 234.5 extra = 187.60)', () => {
    const usage = usageOf(april, {}, [
      { bucket: 0, inOctets: 1_000_000_000_000n, outOctets: 234_500_000_000n },
    ]);
    const result = rate(april, [{ fromMs: 0, plan: VOLUME }], usage, 'USD');
    expect(result.lines[1]).toMatchObject({
      quantity: '234.5',
      amountMinor: 18_760n,
      evidence: { includedOctets: '1000000000000', extraOctets: '234500000000' },
    });
  });
});

describe('mid-period plan changes are pro-rated by time', () => {
  it.each([
    // period, change after N days, fraction before, fraction after, charge before, charge after
    [billingPeriod(2026, 4, 1, 'UTC'), 10, '1/3', '2/3', 5_000n, 60_000n],
    [billingPeriod(2026, 3, 1, 'UTC'), 10, '10/31', '21/31', 4_839n, 60_968n], // 4838.71, 60967.74
    [billingPeriod(2026, 2, 1, 'UTC'), 14, '0.5', '0.5', 7_500n, 45_000n],
    // Berlin March has 743 h: 10 days are 240/743 of it.
    [billingPeriod(2026, 3, 1, 'Europe/Berlin'), 10, '240/743', '503/743', 4_845n, 60_929n], // 4845.22, 60928.67
  ])('%o: flat then burst after %d days', (period, days, before, after, first, second) => {
    const changeMs = period.startMs + days * DAY;
    const result = rate(
      period,
      [
        { fromMs: period.startMs - 50 * DAY, plan: FLAT },
        { fromMs: changeMs, plan: BURST },
      ],
      usageOf(period),
    );
    expect(result.lines.map((line) => [line.kind, line.periodFraction, line.amountMinor])).toEqual([
      ['charge', before, first],
      ['charge', after, second],
      ['overage', after, 0n],
    ]);
    expect(result.recurringChargeMinor).toBe(first + second);
    expect(result.segments[1]?.fromBucket).toBe(days * 288);
  });

  it('a cancelled service (null plan) is billed up to the cancellation; the volume allowance is pro-rated', () => {
    const april = billingPeriod(2026, 4, 1, 'UTC');
    const usage = usageOf(april, {}, [
      { bucket: 100, inOctets: 600n * 10n ** 9n, outOctets: 0n },
      { bucket: 5000, inOctets: 999n * 10n ** 9n, outOctets: 0n }, // after cancellation: not billed
    ]);
    const result = rate(
      april,
      [
        { fromMs: april.startMs, plan: VOLUME },
        { fromMs: april.startMs + 15 * DAY, plan: null },
      ],
      usage,
    );
    expect(result.lines).toMatchObject([
      { kind: 'charge', periodFraction: '0.5', amountMinor: 15_000n },
      {
        kind: 'overage',
        quantity: '100',
        periodFraction: '1',
        amountMinor: 8_000n,
        evidence: { includedOctets: '500000000000' },
      },
    ]);
  });

  it('refuses unsorted plan assignments', () => {
    const april = billingPeriod(2026, 4, 1, 'UTC');
    expect(() =>
      rate(
        april,
        [
          { fromMs: april.endMs - DAY, plan: FLAT },
          { fromMs: april.startMs, plan: BURST },
        ],
        usageOf(april),
      ),
    ).toThrow(RangeError);
  });

  it('pro-rated charges add up to the monthly charge within half a minor unit per segment', () => {
    const april = billingPeriod(2026, 4, 1, 'UTC');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: april.startMs + 1, max: april.endMs - 1 }), {
          maxLength: 6,
        }),
        (cuts) => {
          const plans: PlanAssignment[] = [april.startMs, ...cuts.sort((a, b) => a - b)].map(
            (fromMs) => ({ fromMs, plan: FLAT }),
          );
          const result = rate(april, plans, usageOf(april));
          const total = result.recurringChargeMinor;
          const slack = BigInt(Math.ceil(plans.length / 2));
          expect(total >= 15_000n - slack && total <= 15_000n + slack).toBe(true);
        },
      ),
    );
  });
});

describe('adjustments', () => {
  it('are one consistent line with manual evidence', () => {
    const line = adjustmentLine('svc', 'Goodwill', -1_250n, 'EUR', 'ticket T-7 escalation');
    expect(line).toMatchObject({
      kind: 'adjustment',
      quantity: '1',
      unitPriceMinor: '-1250',
      amountMinor: -1_250n,
    });
    expect(lineIsConsistent(line)).toBe(true);
    expect(lineIsConsistent({ ...line, amountMinor: -1_249n })).toBe(false);
  });
});
