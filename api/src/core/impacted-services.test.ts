import { describe, expect, it } from 'vitest';
import type { Customer } from '@faultline/shared';
import { describeImpactedServices } from './impacted-services.js';

const customers: Customer[] = [
  {
    id: 'acme',
    name: 'ACME Logistics',
    currency: 'EUR',
    timeZone: 'UTC',
    billingAnchorDay: 1,
    services: [
      { id: 'acme-transit', description: '1G IP transit', device: 'a', interface: 'i', plan: 'p' },
      { id: 'acme-backup', device: 'a', interface: 'j', plan: 'p' },
    ],
  },
];

describe('describeImpactedServices', () => {
  it.each([
    [
      'a known service',
      { customerId: 'acme', serviceId: 'acme-transit' },
      { customerName: 'ACME Logistics', description: '1G IP transit' },
    ],
    [
      'a service without description',
      { customerId: 'acme', serviceId: 'acme-backup' },
      { customerName: 'ACME Logistics', description: null },
    ],
    [
      'an unknown customer',
      { customerId: 'gone', serviceId: 'x' },
      { customerName: null, description: null },
    ],
  ])('%s', (_name, impacted, names) => {
    expect(describeImpactedServices([impacted], customers)).toEqual([{ ...impacted, ...names }]);
  });
});
