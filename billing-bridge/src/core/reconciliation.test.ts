import { describe, expect, it } from 'vitest';
import type { PricePlan } from '@faultline/shared';
import { billCustomer, type ServiceBillInput } from './customer-bill.js';
import { reconcile } from './reconciliation.js';
import { bucketUsage, type CounterSample } from './usage.js';

const MIN = 60_000;
const PERIOD = { startMs: 0, endMs: 60 * MIN };
const VOLUME: PricePlan = {
  id: 'vol',
  type: 'volume',
  monthlyCharge: '10.00',
  includedGB: 0,
  perExtraGB: '1.00',
};

/** 1 GB in per 5-minute poll, for the given polls of the hour. */
function polls(minutes: readonly number[]): CounterSample[] {
  return minutes.map((minute, i) => ({
    timeMs: minute * MIN,
    inOctets: BigInt(i) * 1_000_000_000n,
    outOctets: 0n,
    reset: false,
    quarantined: false,
  }));
}

/** Service s1 on the volume plan with a 10 % SLA below 99 %, polled at `minutes`. */
function billOfS1(
  minCoveragePercent: number,
  minutes: readonly number[],
  outages: ServiceBillInput['outages'],
) {
  return billCustomer({
    currency: 'EUR',
    period: PERIOD,
    minCoveragePercent,
    nowMs: PERIOD.endMs,
    services: [
      {
        serviceId: 's1',
        plans: [{ fromMs: PERIOD.startMs, plan: VOLUME }],
        sla: { id: 'g', tiers: [{ belowPercent: 99, creditPercent: 10 }], creditCapPercent: 10 },
        usage: bucketUsage(PERIOD, polls(minutes)),
        outages,
      },
    ],
  });
}

describe('reconcile', () => {
  it('totals, compares usage with the previous period, ties credits to tickets, lists holds', () => {
    // 11 of 12 buckets: 91.67 % coverage, held.
    const bill = billOfS1(
      95,
      [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55],
      [
        { id: '1', startMs: 0, endMs: 6 * MIN, inMaintenance: false },
        { id: '2', startMs: 10 * MIN, endMs: 20 * MIN, inMaintenance: true },
      ],
    );
    const report = reconcile({
      currency: 'EUR',
      lines: bill.lines,
      targetLines: bill.lines,
      services: bill.services,
      outages: [
        {
          id: '1',
          serviceId: 's1',
          ticketId: 'T-1',
          incidentId: 'inc-1',
          claimId: null,
          startMs: 0,
          endMs: 6 * MIN,
          inMaintenance: false,
        },
        {
          id: '2',
          serviceId: 's1',
          ticketId: 'M-1',
          incidentId: null,
          claimId: '4',
          startMs: 10 * MIN,
          endMs: 20 * MIN,
          inMaintenance: true,
        },
      ],
      previousUsage: new Map([
        ['s1', { runId: 'c/prev/v1', period: 'prev', inOctets: '10000000000', outOctets: '0' }],
      ]),
      previousRunUsage: new Map([
        ['s1', { runId: 'c/this/v1', period: 'this', inOctets: '8800000000', outOctets: '0' }],
      ]),
    });
    expect(report.totals).toEqual({
      currency: 'EUR',
      billed: '9.00', // 10.00 charge − 10 % credit; the 11.00 overage is held
      held: '11.00',
      byKind: { charge: '10.00', credit: '-1.00' },
    });
    expect(report.usage[0]).toMatchObject({
      inOctets: '11000000000',
      coveragePercent: '91.67',
      changePercent: '10',
      changeSincePreviousRunPercent: '25',
    });
    expect(report.credits[0]).toMatchObject({
      availabilityPercent: '90',
      downtimeMinutes: 6,
      creditAmount: '-1.00',
      cumulativeCreditAmount: '-1.00',
      outages: [
        { id: '1', ticketId: 'T-1', incidentId: 'inc-1', claimId: null, counted: true },
        { id: '2', ticketId: 'M-1', incidentId: null, claimId: '4', counted: false },
      ],
    });
    expect(report.held).toEqual([
      { lineKey: 's1/overage/vol/0', amount: '11.00', coveragePercent: '91.67' },
    ]);
  });

  it("shows a later version's change of a credit and the credit that applies across versions", () => {
    const v1 = billOfS1(
      0,
      [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60],
      [{ id: '1', startMs: 0, endMs: 6 * MIN, inMaintenance: false }],
    );
    const credit = v1.lines.find((line) => line.kind === 'credit');
    if (credit === undefined) throw new Error('expected a credit');
    // v2 holds only an adjustment under the credit's key (here: the credit doubled by a re-run).
    const adjustment = { ...credit, kind: 'adjustment' as const, amountMinor: -100n };
    const target = v1.lines.map((line) =>
      line.key === credit.key ? { ...line, amountMinor: -200n } : line,
    );
    const report = reconcile({
      currency: 'EUR',
      lines: [adjustment],
      targetLines: target,
      services: v1.services,
      outages: [],
      previousUsage: new Map(),
      previousRunUsage: new Map(),
    });
    expect(report.credits[0]).toMatchObject({
      creditAmount: '-1.00',
      cumulativeCreditAmount: '-2.00',
    });
  });
});
