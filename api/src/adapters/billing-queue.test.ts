import { describe, expect, it } from 'vitest';
import { billingJobId } from './billing-queue.js';

describe('billingJobId', () => {
  it.each([
    [{}, 'billing-run_last-closed_all'],
    [{ period: '2026-04' }, 'billing-run_2026-04_all'],
    [{ period: '2026-04-15', customerId: 'acme' }, 'billing-run_2026-04-15_acme'],
    [{ customerId: 'a:b c' }, 'billing-run_last-closed_a%3ab%20c'],
    // Who asked does not make a different job: the same run is asked for once.
    [{ customerId: 'acme', requestedBy: 'bob' }, 'billing-run_last-closed_acme'],
  ])('%j → %s', (request, id) => {
    expect(billingJobId(request)).toBe(id);
    expect(billingJobId(request)).not.toContain(':');
  });
});
