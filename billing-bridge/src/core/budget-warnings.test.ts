import { describe, expect, it } from 'vitest';
import type { BillingLive, BillingLiveService, Customer, LiveSlaCost } from '@faultline/shared';
import { budgetWarningKey, budgetWarningText, dueBudgetWarnings } from './budget-warnings.js';

const CUSTOMER = {
  id: 'acme',
  name: 'ACME Logistics',
  services: [{ id: 'transit', description: 'Transit' }, { id: 'backup' }],
} as unknown as Customer;

function service(serviceId: string, sla: Partial<LiveSlaCost> | null): BillingLiveService {
  return {
    serviceId,
    planId: 'p',
    inOctets: '0',
    outOctets: '0',
    percentile95Bps: null,
    projectedPercentile95Bps: null,
    coveragePercent: 100,
    downtimeMinutes: 18,
    availabilityPercent: '99.9583',
    slaBudgetMinutes: 3,
    currency: 'EUR',
    sla:
      sla === null
        ? null
        : {
            slaId: 'gold',
            availabilityPercent: '99.9583',
            tier: null,
            nextTierBelowPercent: '99.95',
            creditMinor: '0',
            nextTierCreditMinor: '9000',
            budgetUsedPercent: 83.33,
            ...sla,
          },
  };
}

const view = (services: BillingLiveService[]): BillingLive => ({
  customerId: 'acme',
  period: '2026-12',
  periodStart: '2026-12-01T00:00:00.000Z',
  periodEnd: '2027-01-01T00:00:00.000Z',
  at: '2026-12-07T00:00:00.000Z',
  services,
});

describe('dueBudgetWarnings', () => {
  it.each([
    // share, used %, next tier, due?
    [80, 83.33, '99.95', true],
    [80, 80, '99.95', true],
    [80, 79.99, '99.95', false],
    [0, 100, '99.95', false], // warnings off
    [80, 95, null, false], // the deepest tier applies: nothing left to warn about
  ])('share %d, used %d, next tier %s → %s', (share, used, next, due) => {
    const warnings = dueBudgetWarnings(
      view([service('transit', { budgetUsedPercent: used, nextTierBelowPercent: next })]),
      CUSTOMER,
      share,
    );
    expect(warnings.length).toBe(due ? 1 : 0);
  });

  it('leaves out services without SLA, names the service, keys by period and tier', () => {
    const [warning, ...rest] = dueBudgetWarnings(
      view([service('backup', null), service('transit', {})]),
      CUSTOMER,
      80,
    );
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ serviceId: 'transit', description: 'Transit', minutesLeft: 3 });
    if (warning === undefined) throw new Error('no warning');
    expect(budgetWarningKey(warning)).toBe('acme/transit/2026-12/below-99.95');
    expect(budgetWarningText(warning)).toEqual({
      subject:
        'SLA budget warning: ACME Logistics, Transit (transit): 83.33 % of the downtime allowed before the 99.95 % tier used',
      text:
        'SLA budget warning: ACME Logistics, Transit (transit): 83.33 % of the downtime allowed before the 99.95 % tier used' +
        ' in period 2026-12 (SLA gold). 3 minutes of downtime left. Reaching it credits 90.00 EUR (0.00 EUR so far).',
    });
  });
});
