import { describe, expect, it } from 'vitest';
import {
  BILLING_CSV_COLUMNS,
  renderBillingCsv,
  renderBillingJson,
  type BillingExportLine,
  type BillingExportRun,
} from './billing-export.js';

const RUN: BillingExportRun = {
  id: 'acme/2026-04/v1',
  customerId: 'acme',
  period: '2026-04',
  periodStart: '2026-03-31T22:00:00.000Z',
  periodEnd: '2026-04-30T22:00:00.000Z',
  version: 1,
  currency: 'EUR',
  contentHash: 'ab',
  totalBilled: '878.85',
  totalHeld: '0.00',
  createdAt: '2026-05-01T00:00:00.000Z',
};

function line(lineNo: number, description: string, amount: string): BillingExportLine {
  return {
    lineNo,
    lineKey: `acme-transit/charge/p/${String(lineNo)}`,
    serviceId: 'acme-transit',
    kind: 'charge',
    status: 'billed',
    description,
    quantity: '1',
    unitPrice: '900.00',
    periodFraction: '10/31',
    amount,
    currency: 'EUR',
  };
}

describe('renderBillingCsv', () => {
  it('writes the header and one RFC 4180 row per line, in line order', () => {
    const csv = renderBillingCsv(RUN, [
      line(2, 'say "hi", twice', '-0.05'),
      line(1, 'plain', '900.00'),
    ]);
    expect(csv.split('\r\n')).toEqual([
      BILLING_CSV_COLUMNS.join(','),
      'acme/2026-04/v1,1,acme,2026-04,2026-03-31T22:00:00.000Z,2026-04-30T22:00:00.000Z,1,acme-transit/charge/p/1,acme-transit,charge,billed,plain,1,900.00,10/31,900.00,EUR',
      'acme/2026-04/v1,1,acme,2026-04,2026-03-31T22:00:00.000Z,2026-04-30T22:00:00.000Z,2,acme-transit/charge/p/2,acme-transit,charge,billed,"say ""hi"", twice",1,900.00,10/31,-0.05,EUR',
      '',
    ]);
  });
});

describe('renderBillingJson', () => {
  it('keeps amounts as strings and sorts lines', () => {
    const parsed = JSON.parse(
      renderBillingJson(RUN, [line(2, 'b', '1.00'), line(1, 'a', '2.00')]),
    ) as {
      run: BillingExportRun;
      lines: BillingExportLine[];
    };
    expect(parsed.run).toEqual(RUN);
    expect(parsed.lines.map((l) => [l.lineNo, l.amount])).toEqual([
      [1, '2.00'],
      [2, '1.00'],
    ]);
  });
});
