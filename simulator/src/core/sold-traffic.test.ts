import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Config, PricePlan } from '@faultline/shared';
import { planPeakMbps, soldPeakMbps } from './sold-traffic.js';
import { createTrafficProfile, cumulativeOctets, trafficRateBps } from './traffic.js';

const BURST: PricePlan = {
  id: 'burst',
  type: 'percentile95',
  monthlyCharge: '900.00',
  commitMbps: 200,
  overagePerMbps: '4.50',
  direction: 'max',
};
const SUM: PricePlan = { ...BURST, id: 'sum', commitMbps: 500, direction: 'sum' };
/** The demo's volume-1tb. */
const VOLUME: PricePlan = {
  id: 'volume-1tb',
  type: 'volume',
  monthlyCharge: '300.00',
  includedGB: 1000,
  perExtraGB: '0.80',
};
const FLAT: PricePlan = { id: 'flat-100m', type: 'flat', monthlyCharge: '150.00' };

/** November 2026 (30 days), UTC. */
const MONTH = { startMs: Date.UTC(2026, 10, 1), endMs: Date.UTC(2026, 11, 1) };

describe('planPeakMbps', () => {
  it.each([
    [BURST, 220],
    [SUM, 275],
    [FLAT, undefined],
  ])('%o peaks at %s Mbit/s per direction', (plan, peak) => {
    const found = planPeakMbps(plan);
    if (peak === undefined) expect(found).toBeUndefined();
    else expect(found).toBeCloseTo(peak, 6);
  });

  it('makes a volume port carry about its allowance a month, in and out together', () => {
    const peakMbps = planPeakMbps(VOLUME);
    const profile = createTrafficProfile({
      device: 'access-2',
      ifName: 'ge-0/0/1',
      speedMbps: 1000,
      peakMbps,
    });
    const start = cumulativeOctets(profile, MONTH.startMs);
    const end = cumulativeOctets(profile, MONTH.endMs);
    const gb = Number(end.inOctets - start.inOctets + end.outOctets - start.outOctets) / 1e9;
    // 1.1 × 1,000 GB aimed at, the peak drawn between 85 % and 100 % of it, noise ±15 %.
    expect(gb).toBeGreaterThan(800);
    expect(gb).toBeLessThan(1300);
  });
});

describe('soldPeakMbps', () => {
  const config: Pick<Config, 'customers' | 'pricePlans'> = {
    pricePlans: [BURST, VOLUME, FLAT],
    customers: [
      {
        id: 'globex',
        name: 'Globex',
        currency: 'USD',
        timeZone: 'America/New_York',
        billingAnchorDay: 1,
        services: [
          {
            id: 'backup',
            device: 'access-2',
            interface: 'ge-0/0/1',
            plan: 'flat-100m',
            planChanges: [{ from: '2026-10-12', plan: 'volume-1tb' }],
          },
          { id: 'office', device: 'access-3', interface: 'ge-0/0/1', plan: 'flat-100m' },
          {
            id: 'gone',
            device: 'access-1',
            interface: 'ge-0/0/9',
            plan: 'burst',
            planChanges: [{ from: '2026-10-12', plan: null }],
          },
        ],
      },
    ],
  };

  it.each([
    ['access-2', 'ge-0/0/1', planPeakMbps(VOLUME)], // the plan it is on now
    ['access-3', 'ge-0/0/1', undefined], // flat: the port's speed bounds it
    ['access-1', 'ge-0/0/9', undefined], // cancelled
    ['core-1', 'xe-0/0/0', undefined], // no service
  ])('%s %s → %s', (device, ifName, peak) => {
    expect(soldPeakMbps(config, device, ifName)).toBe(peak);
  });
});

describe('a port sold for a peak', () => {
  it('never runs above its speed, whatever it is sold for', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 10_000 }),
        fc.double({ min: 0.1, max: 100_000, noNaN: true }),
        fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }),
        (speedMbps, peakMbps, t) => {
          const profile = createTrafficProfile({
            device: 'd',
            ifName: 'i',
            speedMbps,
            peakMbps,
          });
          const { inBps, outBps } = trafficRateBps(profile, t);
          return Math.max(inBps, outBps) <= speedMbps * 1e6;
        },
      ),
    );
  });
});
