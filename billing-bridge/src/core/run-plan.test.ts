import { describe, expect, it } from 'vitest';
import type { PricePlan, Sla } from '@faultline/shared';
import { billCustomer, type ServiceBillInput } from './customer-bill.js';
import { linesHash, planRun } from './run-plan.js';
import { bucketUsage, type CounterSample } from './usage.js';

const MIN = 60_000;
// A 1-hour "period" keeps the tables small: 12 buckets of 5 minutes.
const PERIOD = { startMs: 0, endMs: 60 * MIN };
const BURST: PricePlan = {
  id: 'burst',
  type: 'percentile95',
  monthlyCharge: '100.00',
  commitMbps: 1,
  overagePerMbps: '10.00',
  direction: 'in',
};
const GOLD: Sla = {
  id: 'gold',
  tiers: [
    { belowPercent: 99.95, creditPercent: 10 },
    { belowPercent: 90, creditPercent: 25 },
  ],
  creditCapPercent: 50,
};

/** Polls every 5 minutes at `mbps` inbound, for the given minutes of the hour. */
function polls(mbps: bigint, minutes: readonly number[]): CounterSample[] {
  const perPoll = (mbps * 1_000_000n * 300n) / 8n;
  return minutes.map((minute, i) => ({
    timeMs: minute * MIN,
    inOctets: BigInt(i) * perPoll,
    outOctets: 0n,
    reset: false,
    quarantined: false,
  }));
}

const FULL_HOUR = Array.from({ length: 13 }, (_, i) => i * 5);

function service(samples: CounterSample[], outages: ServiceBillInput['outages'] = []) {
  return {
    serviceId: 's1',
    plans: [{ fromMs: PERIOD.startMs, plan: BURST }],
    sla: GOLD,
    usage: bucketUsage(PERIOD, samples),
    outages,
  };
}

function bill(services: ServiceBillInput[], minCoveragePercent = 90) {
  return billCustomer({
    currency: 'EUR',
    period: PERIOD,
    services,
    minCoveragePercent,
    nowMs: PERIOD.endMs,
  });
}

describe('billCustomer', () => {
  it('rates usage, credits outages and keys every line', () => {
    const result = bill([
      service(polls(3n, FULL_HOUR), [
        { id: '7', startMs: 0, endMs: 3 * MIN, inMaintenance: false },
        { id: '8', startMs: 10 * MIN, endMs: 40 * MIN, inMaintenance: true },
      ]),
    ]);
    expect(result.lines.map((l) => [l.key, l.kind, l.status, l.amountMinor])).toEqual([
      ['s1/charge/burst/0', 'charge', 'billed', 10000n],
      ['s1/overage/burst/0', 'overage', 'billed', 2000n], // (3 − 1) Mbps × 10.00
      ['s1/credit/gold', 'credit', 'billed', -1000n], // 95 % < 99.95 → 10 % of 100.00
    ]);
    expect(result.services[0]?.availability.maintenanceOutageIds).toEqual(['8']);
  });

  it.each([
    { minutes: FULL_HOUR.slice(0, 12), status: 'billed' }, // 11 of 12 buckets: 91.7 %
    { minutes: FULL_HOUR.slice(0, 11), status: 'held' }, // 10 of 12: 83.3 %
  ])('holds the overage when coverage is below the threshold ($status)', ({ minutes, status }) => {
    const result = bill([service(polls(3n, minutes))]);
    expect(result.lines.find((l) => l.kind === 'overage')?.status).toBe(status);
    expect(result.lines.find((l) => l.kind === 'charge')?.status).toBe('billed');
  });
});

describe('the credit base of a pro-rated service', () => {
  it('is the sum of the rounded charge lines, not the exact charge', () => {
    // Six flat plans of 100.00 over sixths of the period: 16.67 each, a base of 100.02.
    const flat = (n: number): PricePlan => ({
      id: `p${String(n)}`,
      type: 'flat',
      monthlyCharge: '100.00',
    });
    const outage = { id: '7', startMs: 0, endMs: 7 * MIN, inMaintenance: false };
    const result = bill([
      {
        ...service(polls(3n, FULL_HOUR), [outage]),
        plans: [0, 1, 2, 3, 4, 5].map((n) => ({ fromMs: n * 10 * MIN, plan: flat(n) })),
      },
    ]);
    const charges = result.lines.filter((l) => l.kind === 'charge').map((l) => l.amountMinor);
    expect(charges).toEqual([1667n, 1667n, 1667n, 1667n, 1667n, 1667n]);
    const credit = result.lines.find((l) => l.kind === 'credit');
    // 88.3 % breaches gold's 90 % tier (25 %): 25 % of 100.02 = 25.005 → 25.01; of the exact
    // 100.00 it would be 25.00.
    expect(credit?.evidence).toMatchObject({ baseChargeMinor: '10002' });
    expect(credit?.amountMinor).toBe(-2501n);
  });
});

describe('planRun', () => {
  const first = bill([service(polls(3n, FULL_HOUR))]).lines;

  it('writes the bill on the first run, and nothing when the bill is the same', () => {
    const plan = planRun(first, null, 're-run', 'EUR');
    expect(plan).toEqual({ kind: 'first', lines: first, targetHash: linesHash(first) });
    const again = planRun(
      bill([service(polls(3n, FULL_HOUR))]).lines,
      {
        latestTargetHash: plan.targetHash,
        billedByKey: new Map(),
        releasedKeys: new Set(),
      },
      're-run',
      'EUR',
    );
    expect(again.kind).toBe('unchanged');
  });

  it('adjusts by key when late data changes the bill, and repeats held lines', () => {
    const billed = new Map(first.map((l) => [l.key, l.amountMinor]));
    const changed = bill([service(polls(5n, FULL_HOUR))]).lines;
    const plan = planRun(
      changed,
      { latestTargetHash: linesHash(first), billedByKey: billed, releasedKeys: new Set() },
      'late data',
      'EUR',
    );
    expect(plan.kind).toBe('adjusted');
    if (plan.kind !== 'adjusted') return;
    expect(plan.lines.map((l) => [l.key, l.kind, l.amountMinor])).toEqual([
      ['s1/overage/burst/0', 'adjustment', 2000n], // 20.00 → 40.00
    ]);
    // The adjustment keeps the recomputed 95th's evidence: rank, count and sorted rates.
    const recomputed = changed.find((l) => l.key === 's1/overage/burst/0')?.evidence;
    expect(recomputed?.kind).toBe('percentile95');
    expect(plan.lines[0]?.evidence).toEqual({
      kind: 'manual',
      reason: 'late data: s1/overage/burst/0 billed 20.00, recomputed 40.00',
      recomputed,
    });
    expect(plan.lines[0]?.evidence).toMatchObject({ recomputed: { rank: 12, sampleCount: 12 } });
    expect(recomputed).toHaveProperty('sortedRates.ranks');

    const thin = bill([service(polls(5n, FULL_HOUR.slice(0, 8)))]).lines;
    const held = planRun(
      thin,
      { latestTargetHash: linesHash(first), billedByKey: billed, releasedKeys: new Set() },
      'late data',
      'EUR',
    );
    if (held.kind !== 'adjusted') throw new Error('expected adjustments');
    expect(held.lines.map((l) => [l.key, l.kind, l.status, l.amountMinor])).toEqual([
      ['s1/overage/burst/0', 'adjustment', 'billed', -2000n],
      ['s1/overage/burst/0', 'overage', 'held', 4000n],
    ]);
  });

  it('adds a credit adjustment for a late outage, and records a change of evidence alone', () => {
    const billed = new Map(first.map((l) => [l.key, l.amountMinor]));
    const late = bill([
      service(polls(3n, FULL_HOUR), [
        { id: '9', startMs: 0, endMs: 12 * MIN, inMaintenance: false },
      ]),
    ]).lines;
    const plan = planRun(
      late,
      { latestTargetHash: linesHash(first), billedByKey: billed, releasedKeys: new Set() },
      're-run',
      'EUR',
    );
    if (plan.kind !== 'adjusted') throw new Error('expected adjustments');
    // 80 % availability: below 90 → 25 % of 100.00.
    expect(plan.lines.map((l) => [l.key, l.kind, l.amountMinor])).toEqual([
      ['s1/credit/gold', 'adjustment', -2500n],
    ]);

    // A changed description alone (same amounts, nothing held): a version without lines.
    const moved = planRun(
      bill([service(polls(3n, FULL_HOUR))]).lines.map((l) =>
        l.kind === 'overage' ? { ...l, description: `${l.description} (late)` } : l,
      ),
      { latestTargetHash: linesHash(first), billedByKey: billed, releasedKeys: new Set() },
      're-run',
      'EUR',
    );
    expect(moved).toMatchObject({ kind: 'adjusted', lines: [] });
  });

  it('bills a released held line on re-runs: adjusts its amount, never holds or bills it twice', () => {
    const thin = (step: bigint) => bill([service(polls(step, FULL_HOUR.slice(0, 8)))]).lines;
    const v1 = thin(5n);
    const heldLine = v1.find((l) => l.status === 'held');
    if (heldLine === undefined) throw new Error('expected a held line');
    // What the store reports after an analyst released it: its amount billed under its key.
    const billed = new Map(
      v1.filter((l) => l.status === 'billed').map((l) => [l.key, l.amountMinor]),
    );
    billed.set(heldLine.key, heldLine.amountMinor);
    const previous = {
      latestTargetHash: linesHash(v1),
      billedByKey: billed,
      releasedKeys: new Set([heldLine.key]),
    };
    // Still thin, same amount: nothing to adjust, nothing held again.
    const same = planRun(
      v1.map((l) => ({ ...l, description: `${l.description} (new evidence)` })),
      previous,
      're-run',
      'EUR',
    );
    expect(same).toMatchObject({ kind: 'adjusted', lines: [] });
    // Late data, now fully covered at another amount: only the difference is billed.
    const full = bill([service(polls(3n, FULL_HOUR))]).lines;
    const plan = planRun(full, previous, 're-run', 'EUR');
    if (plan.kind !== 'adjusted') throw new Error('expected adjustments');
    expect(plan.lines.map((l) => [l.key, l.kind, l.status, l.amountMinor])).toEqual([
      [heldLine.key, 'adjustment', 'billed', 2000n - heldLine.amountMinor],
    ]);
    // Without the release, the same re-run would bill the whole amount.
    const unreleased = planRun(
      full,
      {
        ...previous,
        billedByKey: new Map([...billed].filter(([key]) => key !== heldLine.key)),
        releasedKeys: new Set<string>(),
      },
      're-run',
      'EUR',
    );
    if (unreleased.kind !== 'adjusted') throw new Error('expected adjustments');
    expect(unreleased.lines.map((l) => l.amountMinor)).toEqual([2000n]);
  });

  it('hashes canonically: key order and bigint do not matter', () => {
    const [line] = first;
    if (line === undefined) throw new Error('no line');
    const reordered = Object.fromEntries(Object.entries(line).reverse()) as typeof line;
    expect(linesHash([reordered])).toBe(linesHash([line]));
    expect(linesHash([{ ...line, amountMinor: line.amountMinor + 1n }])).not.toBe(
      linesHash([line]),
    );
  });
});
