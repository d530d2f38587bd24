import { describe, expect, it } from 'vitest';
import {
  decideAdjustment,
  decideApproval,
  type ReviewContext,
  type ReviewLine,
} from './billing-review.js';

const context: ReviewContext = {
  run: {
    id: 'acme/2026-04/v1',
    customerId: 'acme',
    period: '2026-04',
    version: 1,
    currency: 'EUR',
  },
  latestVersion: 1,
  actionNo: 2,
  reason: 'checked by hand',
  actor: 'alice',
  at: '2026-05-03T09:00:00.000Z',
};
const held: ReviewLine = {
  lineNo: 5,
  lineKey: 'acme-backup/overage/volume-4tb/1775001600000',
  serviceId: 'acme-backup',
  status: 'held',
  description: 'volume-4tb volume 4859.4375 GB, included 4000 GB',
  amountMinor: 42_972n,
};
const services = new Set(['acme-transit', 'acme-backup']);

describe('decideApproval', () => {
  it('releases a held line: its amount under its key, with who, when and why', () => {
    expect(decideApproval(context, 5, held, undefined)).toEqual({
      ok: true,
      action: {
        kind: 'approval',
        lineNo: 5,
        lineKey: held.lineKey,
        serviceId: 'acme-backup',
        description:
          'Approved held line 5 (volume-4tb volume 4859.4375 GB, included 4000 GB) by alice at 2026-05-03T09:00:00.000Z: checked by hand',
        amountMinor: 42_972n,
        amount: '429.72',
      },
    });
  });

  it.each([
    ['an unknown line', context, undefined, undefined, /has no line 5/],
    [
      'a billed line',
      context,
      { ...held, status: 'billed' as const },
      undefined,
      /billed, not held/,
    ],
    [
      'a line approved before',
      context,
      held,
      { runId: 'acme/2026-04/v1', lineNo: 5, actor: 'bob', at: '2026-05-02T08:00:00.000Z' },
      /already approved by bob at 2026-05-02T08:00:00.000Z/,
    ],
    [
      'a superseded version',
      { ...context, latestVersion: 2 },
      held,
      undefined,
      /superseded by version 2/,
    ],
  ])('refuses %s', (_name, ctx, line, prior, message) => {
    const decision = decideApproval(ctx, 5, line, prior);
    expect(decision.ok).toBe(false);
    if (!decision.ok) expect(decision.message).toMatch(message);
  });
});

describe('decideAdjustment', () => {
  it.each([
    ['credit', '25.00', 'EUR', -2_500n, '-25.00'],
    ['debit', '0.01', 'EUR', 1n, '0.01'],
    ['debit', '12.5', 'EUR', 1_250n, '12.50'],
    ['credit', '1200', 'JPY', -1_200n, '-1200'],
    ['debit', '1.005', 'KWD', 1_005n, '1.005'],
  ] as const)('a %s of %s %s is %i minor units, %s', (kind, amount, currency, minor, text) => {
    const ctx = { ...context, run: { ...context.run, currency } };
    const decision = decideAdjustment(
      ctx,
      { kind, amount, currency, serviceId: 'acme-transit' },
      services,
    );
    expect(decision).toMatchObject({
      ok: true,
      action: {
        kind: 'adjustment',
        lineNo: null,
        lineKey: 'acme-transit/adjustment/manual/v1-2',
        amountMinor: minor,
        amount: text,
        description: `Manual ${kind} ${text} ${currency} by alice at 2026-05-03T09:00:00.000Z: checked by hand`,
      },
    });
  });

  it.each([
    [
      'another currency',
      { amount: '10.00', currency: 'USD' },
      /currency USD is not the run's currency EUR/,
    ],
    ['a fraction of a cent', { amount: '0.005' }, /finer than the currency’s minor unit/],
    ['zero', { amount: '0.00' }, /more than zero/],
    ['not a number', { amount: '1e3' }, /not a decimal/],
    ['a negative amount', { amount: '-5.00' }, /must not be negative/],
    [
      'a service of another customer',
      { serviceId: 'globex-backup' },
      /service globex-backup is not billed in acme\/2026-04/,
    ],
  ])('refuses %s', (_name, change, message) => {
    const decision = decideAdjustment(
      context,
      { kind: 'credit', amount: '10.00', currency: 'EUR', serviceId: 'acme-transit', ...change },
      services,
    );
    expect(decision.ok).toBe(false);
    if (!decision.ok) expect(decision.message).toMatch(message);
  });

  it('refuses a superseded version', () => {
    const decision = decideAdjustment(
      { ...context, latestVersion: 3 },
      { kind: 'debit', amount: '1.00', currency: 'EUR', serviceId: 'acme-transit' },
      services,
    );
    expect(decision).toMatchObject({
      ok: false,
      message: expect.stringMatching(/superseded/) as string,
    });
  });
});
