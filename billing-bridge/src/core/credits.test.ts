import { type Sla, ratio, toExactString } from '@faultline/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAvailability } from './availability.js';
import { slaCredit, tierFor, exactTiers } from './credits.js';
import { lineIsConsistent } from './rated-line.js';

const MIN = 60_000;
const PERIOD = { startMs: 0, endMs: 30 * 1440 * MIN }; // 43,200 minutes
const GOLD: Sla = {
  id: 'gold',
  tiers: [
    { belowPercent: 99.95, creditPercent: 10 },
    { belowPercent: 99.9, creditPercent: 25 },
    { belowPercent: 99.5, creditPercent: 50 },
  ],
  creditCapPercent: 50,
};
const SILVER: Sla = {
  id: 'silver',
  tiers: [
    { belowPercent: 99.9, creditPercent: 5 },
    { belowPercent: 99.5, creditPercent: 15 },
  ],
  creditCapPercent: 30,
};
const STEEP: Sla = {
  id: 'steep',
  tiers: [{ belowPercent: 99, creditPercent: 60 }],
  creditCapPercent: 30,
};

function outcome(sla: Sla, downtimeMs: number, baseChargeMinor = 90_000n) {
  const outages =
    downtimeMs > 0 ? [{ id: 'T-1', startMs: 0, endMs: downtimeMs, inMaintenance: false }] : [];
  return slaCredit({
    serviceId: 'acme-transit',
    currency: 'EUR',
    sla,
    availability: computeAvailability(PERIOD, outages, PERIOD.endMs),
    baseChargeMinor,
  });
}

describe('slaCredit: 30-day period, base charge 900.00 EUR', () => {
  it.each([
    // sla, downtime ms, credit minor (0 = met), next tier, remaining ms before it
    [GOLD, 0, 0n, '99.95', 1_296_000], // 43,200 × 0.05 % = 21.6 min
    [GOLD, 1_296_000, 0n, '99.95', 0], // exactly 99.95 % is not below 99.95
    [GOLD, 1_296_001, -9_000n, '99.9', 1_295_999], // 10 %; 99.9 allows 43.2 min
    [GOLD, 30 * MIN, -9_000n, '99.9', 792_000], // 99.9305…% → 10 %, 13.2 min left
    [GOLD, 60 * MIN, -22_500n, '99.5', 9_360_000], // 99.8611…% → 25 %; 99.5 allows 216 min
    [GOLD, 216 * MIN, -22_500n, '99.5', 0],
    [GOLD, 300 * MIN, -45_000n, null, null], // 99.3055…% → 50 %, deepest tier
    [SILVER, 60 * MIN, -4_500n, '99.5', 9_360_000], // 5 %
    [SILVER, 300 * MIN, -13_500n, null, null], // 15 %
    [STEEP, 600 * MIN, -27_000n, null, null], // 98.61 % → 60 %, capped at 30 %
  ])('%o with %d ms down → %d', (sla, downtimeMs, credit, nextBelow, remainingMs) => {
    const result = outcome(sla, downtimeMs);
    expect(result.kind).toBe(credit === 0n ? 'met' : 'breached');
    if (result.kind === 'breached') {
      expect(result.line.amountMinor).toBe(credit);
      expect(result.line.kind).toBe('credit');
      expect(lineIsConsistent(result.line)).toBe(true);
    }
    const next = result.budget.nextTier;
    expect(next === null ? null : toExactString(next.belowPercent)).toBe(nextBelow);
    expect(result.budget.remainingMs).toBe(remainingMs);
  });

  it('cites the outages, the tier, the cap and the availability on the line', () => {
    const result = outcome(STEEP, 600 * MIN);
    if (result.kind !== 'breached') throw new Error('expected a credit');
    expect(result.line).toMatchObject({
      quantity: '0.3',
      unitPriceMinor: '-90000',
      periodFraction: '1',
      amountMinor: -27_000n,
      currency: 'EUR',
      description: 'SLA steep: availability 98.6111% below 99%, credit 30% (capped)',
      evidence: {
        kind: 'sla',
        slaId: 'steep',
        availabilityPercent: '1775/18', // 42,600 / 43,200 × 100 = 98.6111…
        tier: { belowPercent: '99', creditPercent: '60' },
        capPercent: '30',
        appliedPercent: '30',
        capped: true,
        outageIds: ['T-1'],
        baseChargeMinor: '90000',
      },
    });
  });

  it.each([
    [33_333n, 60 * MIN, -8_333n], // 25 % of 333.33 = 83.3325 → 83.33
    [33_333n, 300 * MIN, -16_667n], // 50 % = 166.665 → 166.67 (half away from zero)
    [1n, 300 * MIN, -1n], // 0.005 → 0.01
  ])('rounds a credit once: base %d, %d ms down → %d', (base, downtimeMs, credit) => {
    const result = outcome(GOLD, downtimeMs, base);
    expect(result.kind === 'breached' ? result.line.amountMinor : 0n).toBe(credit);
  });

  it('picks the tier of the lowest threshold breached', () => {
    const tiers = exactTiers(GOLD);
    expect(tierFor(tiers, ratio(997n, 1000n))?.creditPercent).toEqual(ratio(25n));
    expect(tierFor(tiers, ratio(9995n, 10000n))).toBeNull();
    expect(tierFor(tiers, ratio(0n))?.creditPercent).toEqual(ratio(50n));
  });
});

describe('credit properties', () => {
  const slas = fc.constantFrom(GOLD, SILVER, STEEP);
  const downtime = fc.integer({ min: 0, max: PERIOD.endMs });
  const base = fc.bigInt({ min: 0n, max: 10n ** 10n });
  const creditOf = (sla: Sla, ms: number, charge: bigint) => {
    const result = outcome(sla, ms, charge);
    return result.kind === 'breached' ? -result.line.amountMinor : 0n;
  };

  it('the credit never exceeds the cap (rounded the same way)', () => {
    fc.assert(
      fc.property(slas, downtime, base, (sla, ms, charge) => {
        const capMinor = (charge * BigInt(sla.creditCapPercent) * 2n + 100n) / 200n; // half up, ≥ 0
        expect(creditOf(sla, ms, charge)).toBeLessThanOrEqual(capMinor);
      }),
    );
  });

  it('more downtime never gives less credit', () => {
    fc.assert(
      fc.property(slas, downtime, downtime, base, (sla, a, b, charge) => {
        const [less, more] = a <= b ? [a, b] : [b, a];
        expect(creditOf(sla, more, charge)).toBeGreaterThanOrEqual(creditOf(sla, less, charge));
      }),
    );
  });
});
