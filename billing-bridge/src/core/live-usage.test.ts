import { describe, expect, it } from 'vitest';
import type { PricePlan, Sla } from '@faultline/shared';
import { computeAvailability } from './availability.js';
import { liveService } from './live-usage.js';
import { bucketUsage, type CounterSample } from './usage.js';

const MIN = 60_000;
const PERIOD = { startMs: 0, endMs: 100 * 5 * MIN }; // 100 buckets
const PLAN: PricePlan = {
  id: 'burst',
  type: 'percentile95',
  monthlyCharge: '1.00',
  commitMbps: 1,
  overagePerMbps: '1.00',
  direction: 'in',
};
const SLA: Sla = {
  id: 'gold',
  tiers: [{ belowPercent: 99, creditPercent: 10 }],
  creditCapPercent: 50,
};

/** Polls for the first `buckets` buckets: 10 Mbps, but 100 Mbps in the first `bursts`. */
function samples(buckets: number, bursts: number): CounterSample[] {
  let counter = 0n;
  const out: CounterSample[] = [
    { timeMs: 0, inOctets: 0n, outOctets: 0n, reset: false, quarantined: false },
  ];
  for (let b = 0; b < buckets; b++) {
    counter += b < bursts ? 3_750_000_000n : 375_000_000n;
    out.push({
      timeMs: (b + 1) * 5 * MIN,
      inOctets: counter,
      outOctets: 0n,
      reset: false,
      quarantined: false,
    });
  }
  return out;
}

describe('liveService', () => {
  it('projects the 95th with the rest of the period at the mean rate so far', () => {
    // 20 buckets elapsed, 2 bursts: the 95th so far is a burst (1 of 20 dropped) ...
    const usage = bucketUsage({ startMs: 0, endMs: 20 * 5 * MIN }, samples(20, 2));
    const view = liveService({
      serviceId: 's',
      currency: 'EUR',
      period: PERIOD,
      plan: PLAN,
      plans: [{ fromMs: 0, plan: PLAN }],
      sla: SLA,
      usage,
      periodBuckets: 100,
      availability: computeAvailability(
        PERIOD,
        [{ id: '1', startMs: 0, endMs: 2 * MIN, inMaintenance: false }],
        20 * 5 * MIN,
      ),
    });
    expect(view.percentile95Bps).toBe(100_000_000);
    // ... but over 100 buckets the 2 bursts are within the 5 dropped: the mean (19 Mbps) is billed.
    expect(view.projectedPercentile95Bps).toBe(19_000_000);
    expect(view.coveragePercent).toBe(100);
    expect(view.inOctets).toBe(String(2n * 3_750_000_000n + 18n * 375_000_000n));
    // 1 % of 500 min = 5 min allowed, 2 used: 3 left.
    expect(view.downtimeMinutes).toBe(2);
    expect(view.slaBudgetMinutes).toBe(3);
    expect(view.availabilityPercent).toBe('99.6');
    // Not breached yet: no credit; reaching 99 % would credit 10 % of 1.00 EUR.
    expect(view.sla).toEqual({
      slaId: 'gold',
      availabilityPercent: '99.6',
      tier: null,
      nextTierBelowPercent: '99',
      creditMinor: '0',
      nextTierCreditMinor: '10',
      budgetUsedPercent: 40,
    });
  });
});
