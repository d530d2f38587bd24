import { describe, expect, it } from 'vitest';
import type { BillingLive, BillingLiveService, Customer } from '@faultline/shared';
import { serviceCosts } from './live-cost.js';

const CUSTOMERS: Customer[] = [
  {
    id: 'acme',
    name: 'ACME Logistics',
    currency: 'EUR',
    timeZone: 'UTC',
    billingAnchorDay: 1,
    services: [
      {
        id: 'acme-transit',
        device: 'a',
        interface: 'i',
        plan: 'p',
        sla: 'gold',
        description: 'Transit',
      },
      { id: 'acme-backup', device: 'a', interface: 'j', plan: 'p' },
    ],
  },
  {
    id: 'globex',
    name: 'Globex',
    currency: 'USD',
    timeZone: 'UTC',
    billingAnchorDay: 1,
    services: [{ id: 'globex-1', device: 'a', interface: 'k', plan: 'p' }],
  },
];

function service(serviceId: string): BillingLiveService {
  return {
    serviceId,
    planId: 'p',
    inOctets: '0',
    outOctets: '0',
    percentile95Bps: null,
    projectedPercentile95Bps: null,
    coveragePercent: 100,
    downtimeMinutes: 5,
    slaBudgetMinutes: 16,
    availabilityPercent: '99.99',
    currency: 'EUR',
    sla: null,
  };
}

function view(customerId: string, services: BillingLiveService[]): BillingLive {
  return {
    customerId,
    period: '2026-04',
    periodStart: '2026-04-01T00:00:00.000Z',
    periodEnd: '2026-05-01T00:00:00.000Z',
    at: '2026-04-10T00:00:00.000Z',
    services,
  };
}

describe('serviceCosts', () => {
  it('names services from the config, in its order, and leaves out what it does not know', () => {
    const costs = serviceCosts(
      [
        view('gone', [service('x')]),
        // A view lists services in its own order, and not those without a plan in force.
        view('acme', [service('acme-backup'), service('acme-transit'), service('retired')]),
      ],
      CUSTOMERS,
    );
    expect(costs.map((cost) => [cost.customerName, cost.serviceId, cost.description])).toEqual([
      ['ACME Logistics', 'acme-transit', 'Transit'],
      ['ACME Logistics', 'acme-backup', null],
    ]);
    expect(costs[0]).toMatchObject({ period: '2026-04', downtimeMinutes: 5, currency: 'EUR' });
  });
});
