import { describe, expect, it } from 'vitest';
import { billingLineFromRow, billingRunFromRow } from './billing-rows.js';

describe('billing rows', () => {
  it('maps a run row and a line row to the export types', () => {
    expect(
      billingRunFromRow({
        id: 'acme/2026-04/v1',
        customer_id: 'acme',
        period: '2026-04',
        period_start: new Date('2026-04-01T00:00:00Z'),
        period_end: '2026-05-01T00:00:00Z',
        version: 1,
        currency: 'EUR',
        content_hash: 'ab',
        total_billed: '978.85',
        total_held: '429.72',
        created_at: new Date(0),
      }),
    ).toEqual({
      id: 'acme/2026-04/v1',
      customerId: 'acme',
      period: '2026-04',
      periodStart: '2026-04-01T00:00:00.000Z',
      periodEnd: '2026-05-01T00:00:00.000Z',
      version: 1,
      currency: 'EUR',
      contentHash: 'ab',
      totalBilled: '978.85',
      totalHeld: '429.72',
      createdAt: '1970-01-01T00:00:00.000Z',
    });
    expect(
      billingLineFromRow({
        line_no: 2,
        line_key: 'k',
        service_id: 's',
        kind: 'credit',
        status: 'billed',
        description: 'd',
        quantity: '0.25',
        unit_price: '-900.00',
        period_fraction: '1',
        amount: '-225.00',
        currency: 'EUR',
      }),
    ).toEqual({
      lineNo: 2,
      lineKey: 'k',
      serviceId: 's',
      kind: 'credit',
      status: 'billed',
      description: 'd',
      quantity: '0.25',
      unitPrice: '-900.00',
      periodFraction: '1',
      amount: '-225.00',
      currency: 'EUR',
    });
  });
});
