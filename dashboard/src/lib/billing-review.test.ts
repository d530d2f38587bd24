import { describe, expect, it } from 'vitest';
import type { BillingAction } from '@faultline/shared';
import { pendingHeldLines, servicesOf } from './billing-review.js';
import type { BillingLine } from './billing-view.js';

function line(lineNo: number, serviceId: string, status: 'billed' | 'held'): BillingLine {
  return {
    lineNo,
    lineKey: `${serviceId}/overage/p/0`,
    serviceId,
    kind: 'overage',
    status,
    description: '',
    quantity: '1',
    unitPrice: '1.00',
    periodFraction: '1',
    amount: '1.00',
    currency: 'EUR',
    evidence: null,
    coverage: null,
  };
}

function approval(lineNo: number | null): BillingAction {
  return {
    actionNo: 1,
    kind: lineNo === null ? 'adjustment' : 'approval',
    lineNo,
    lineKey: 'k',
    serviceId: 's',
    description: '',
    amount: '1.00',
    currency: 'EUR',
    reason: 'r',
    actor: 'bob',
    at: '2026-05-03T09:00:00.000Z',
  };
}

describe('pendingHeldLines', () => {
  const lines = [line(1, 'b', 'billed'), line(2, 'a', 'held'), line(3, 'b', 'held')];
  it.each([
    ['no actions: every held line', [], [2, 3]],
    ['one released', [approval(2)], [3]],
    ['an adjustment releases nothing', [approval(null)], [2, 3]],
    ['all released', [approval(2), approval(3)], []],
  ])('%s', (_name, actions, expected) => {
    expect(pendingHeldLines(lines, actions).map((l) => l.lineNo)).toEqual(expected);
  });

  it('lists each service once, sorted', () => {
    expect(servicesOf(lines)).toEqual(['a', 'b']);
  });
});
