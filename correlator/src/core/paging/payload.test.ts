import { describe, expect, it } from 'vitest';
import { incident } from './paging.fixture.js';
import { pagePayload } from './payload.js';

describe('pagePayload', () => {
  it('names the customers hit once each, by their configured name', () => {
    const payload = pagePayload(
      {
        ...incident,
        impactedServices: [
          { customerId: 'acme', serviceId: 'acme-1' },
          { customerId: 'acme', serviceId: 'acme-2' },
          { customerId: 'globex', serviceId: 'globex-1' },
        ],
      },
      'page',
      new Map([['acme', 'Acme Corp']]),
      'https://noc.example/',
    );
    expect(payload).toMatchObject({
      kind: 'page',
      title: incident.title,
      customers: [
        { id: 'acme', name: 'Acme Corp' },
        { id: 'globex', name: 'globex' },
      ],
      impactedServices: 3,
      url: 'https://noc.example/incidents/inc-1',
    });
  });
});
