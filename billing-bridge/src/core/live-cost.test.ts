import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PricePlan, Sla } from '@faultline/shared';
import { computeAvailability, type Outage } from './availability.js';
import { billCustomer } from './customer-bill.js';
import { liveSlaCost } from './live-cost.js';
import { rateService } from './rating.js';
import { bucketUsage } from './usage.js';

const MIN = 60_000;
const PERIOD = { startMs: 0, endMs: 30 * 1440 * MIN }; // 43,200 minutes
const GOLD: Sla = {
  id: 'gold',
  tiers: [
    { belowPercent: 99.95, creditPercent: 10 },
    { belowPercent: 99.9, creditPercent: 25 },
    { belowPercent: 99.5, creditPercent: 50 },
  ],
  creditCapPercent: 40,
};
const FLAT: PricePlan = { id: 'flat', type: 'flat', monthlyCharge: '900.00' };
const EMPTY_USAGE = bucketUsage(PERIOD, []);

function costAt(downtimeMs: number, nowMs: number, open = false) {
  const outages: Outage[] = [
    { id: 'o', startMs: 0, endMs: open ? null : downtimeMs, inMaintenance: false },
  ];
  return liveSlaCost({
    serviceId: 's',
    currency: 'EUR',
    sla: GOLD,
    availability: computeAvailability(PERIOD, outages, nowMs),
    baseChargeMinor: 90_000n,
  });
}

describe('liveSlaCost: 30 days, base 900.00 EUR', () => {
  it.each([
    // downtime ms, tier below, credit, next below, next credit, budget used %, minutes left
    [0, null, '0', '99.95', '9000', 0, 21],
    [15 * MIN, null, '0', '99.95', '9000', 69.44, 6], // 15 of 21.6 min
    [1_296_001, '99.95', '9000', '99.9', '22500', 50, 21], // just past 21.6 min
    [60 * MIN, '99.9', '22500', '99.5', '36000', 27.78, 156], // 50 % capped at 40 %
    [300 * MIN, '99.5', '36000', null, null, null, null],
  ])('%d ms down', (downtimeMs, tier, credit, next, nextCredit, used, minutes) => {
    const outcome = costAt(downtimeMs, PERIOD.endMs);
    expect(outcome.cost.tier?.belowPercent ?? null).toBe(tier);
    expect(outcome.cost.creditMinor).toBe(credit);
    expect(outcome.cost.nextTierBelowPercent).toBe(next);
    expect(outcome.cost.nextTierCreditMinor).toBe(nextCredit);
    expect(outcome.cost.budgetUsedPercent).toBe(used);
    expect(outcome.budgetMinutes).toBe(minutes);
  });

  it('counts an open outage until now', () => {
    expect(costAt(0, 60 * MIN, true).cost).toEqual(costAt(60 * MIN, PERIOD.endMs).cost);
  });

  it("equals the run's credit line at the period's end, to the minor unit", () => {
    const outage = fc
      .tuple(fc.integer({ min: 0, max: 43_200 }), fc.integer({ min: 1, max: 600 }), fc.boolean())
      .map(([start, length, inMaintenance]) => ({ start, length, inMaintenance }));
    fc.assert(
      fc.property(
        fc.array(outage, { maxLength: 6 }),
        fc.integer({ min: 1, max: 999_999 }),
        (drawn, chargeCents) => {
          const plan: PricePlan = { ...FLAT, monthlyCharge: (chargeCents / 100).toFixed(2) };
          const plans = [{ fromMs: 0, plan }];
          const outages = drawn.map((o, index) => ({
            id: `o${String(index)}`,
            startMs: o.start * MIN,
            endMs: (o.start + o.length) * MIN,
            inMaintenance: o.inMaintenance,
          }));
          const bill = billCustomer({
            currency: 'EUR',
            period: PERIOD,
            services: [{ serviceId: 's', plans, sla: GOLD, usage: EMPTY_USAGE, outages }],
            minCoveragePercent: 0,
            nowMs: PERIOD.endMs,
          });
          const credit = bill.lines.find((line) => line.kind === 'credit');
          const live = liveSlaCost({
            serviceId: 's',
            currency: 'EUR',
            sla: GOLD,
            availability: computeAvailability(PERIOD, outages, PERIOD.endMs),
            baseChargeMinor: rateService({
              serviceId: 's',
              currency: 'EUR',
              period: PERIOD,
              plans,
              usage: EMPTY_USAGE,
            }).recurringChargeMinor,
          });
          expect(live.cost.creditMinor).toBe(String(-(credit?.amountMinor ?? 0n)));
        },
      ),
    );
  });
});
