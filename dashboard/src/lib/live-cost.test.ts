import { describe, expect, it } from 'vitest';
import type { ServiceLiveCost, Severity } from '@faultline/shared';
import { byMoneyAtStake, costsOf, creditText, moneyText } from './live-cost.js';

function cost(
  customerId: string,
  serviceId: string,
  creditMinor: string | null,
  currency = 'EUR',
  nextTierCreditMinor: string | null = null,
): ServiceLiveCost {
  return {
    customerId,
    customerName: customerId,
    serviceId,
    description: null,
    period: '2026-04',
    at: '2026-04-10T00:00:00.000Z',
    currency,
    downtimeMinutes: 0,
    slaBudgetMinutes: null,
    sla:
      creditMinor === null
        ? null
        : {
            slaId: 'gold',
            availabilityPercent: '100',
            tier: null,
            nextTierBelowPercent: null,
            creditMinor,
            nextTierCreditMinor,
            budgetUsedPercent: null,
          },
  };
}

const COSTS = [
  cost('acme', 'a1', '22500'),
  cost('acme', 'a2', '1'),
  cost('globex', 'g1', '500', 'USD'),
  cost('initech', 'i1', null),
];

describe('live cost on the incident views', () => {
  it('sums the credit of the impacted services per currency, leaving out services without SLA', () => {
    const services = [
      { customerId: 'acme', serviceId: 'a1' },
      { customerId: 'globex', serviceId: 'g1' },
      { customerId: 'acme', serviceId: 'a2' },
      { customerId: 'initech', serviceId: 'i1' },
      { customerId: 'acme', serviceId: 'unknown' },
    ];
    expect(costsOf(COSTS, services).map((c) => c.serviceId)).toEqual(['a1', 'g1', 'a2', 'i1']);
    expect(creditText(costsOf(COSTS, services))).toBe('225.01 EUR + 5.00 USD');
    expect(creditText(costsOf(COSTS, [{ customerId: 'initech', serviceId: 'i1' }]))).toBe('');
    expect(moneyText('-5', 'JPY')).toBe('-5 JPY');
  });

  it('orders by severity, then by money at stake (the next tier counts), else as given', () => {
    const incident = (id: string, severity: Severity, serviceIds: string[]) => ({
      id,
      severity,
      impactedServices: serviceIds.map((serviceId) => ({ customerId: 'acme', serviceId })),
    });
    const costs = [cost('acme', 'cheap', '100'), cost('acme', 'dear', '0', 'EUR', '90000')];
    const ordered = byMoneyAtStake(
      [
        incident('minor-dear', 'minor', ['dear']),
        incident('major-none', 'major', []),
        incident('major-cheap', 'major', ['cheap']),
        incident('major-dear', 'major', ['dear']),
        incident('major-none-2', 'major', []),
      ],
      costs,
    );
    expect(ordered.map((i) => i.id)).toEqual([
      'major-dear',
      'major-cheap',
      'major-none',
      'major-none-2',
      'minor-dear',
    ]);
  });
});
