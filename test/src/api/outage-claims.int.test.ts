import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAprilWorld, type BillingCalls, type BillingWorld } from './billing-world.js';
import { TOKENS } from './incident-world.js';

/**
 * Claimed outages against the real api, PostgreSQL and billing bridge: an analyst records an
 * outage the network never saw, it is approved like a held line, and the next run of the period
 * credits it like any other outage (docs/billing.md, "Claimed outages").
 */

const WAIT = { timeout: 60_000, interval: 200 };
const CLAIM = {
  customer: 'acme',
  service: 'acme-transit',
  start: '2026-04-20T06:00:00.000Z',
  end: '2026-04-20T12:00:00.000Z',
  reference: 'CARRIER-4711',
  evidence: 'Carrier confirms the fibre to the customer site was cut for six hours',
};

let world: BillingWorld;
let post: BillingCalls['post'];
let get: BillingCalls['get'];
let runApril: BillingCalls['runApril'];

interface Credit {
  serviceId: string;
  availabilityPercent: string;
  creditAmount: string;
  cumulativeCreditAmount: string;
  outages: { ticketId: string; incidentId: string | null; claimId: string | null }[];
}

async function transitCredit(runId: string): Promise<Credit | undefined> {
  const detail = await get<{ reconciliation: { credits: Credit[] } }>(
    `/api/billing/runs/${encodeURIComponent(runId)}`,
  );
  return detail.reconciliation.credits.find((credit) => credit.serviceId === 'acme-transit');
}

beforeAll(async () => {
  let calls: BillingCalls;
  ({ world, calls } = await createAprilWorld());
  ({ post, get, runApril } = calls);
}, 120_000);

afterAll(async () => {
  await world.close();
});

describe('claimed outages', () => {
  it('refuses a claim that makes no sense, and a role that may not record one', async () => {
    const cases: [string, object, number, RegExp][] = [
      ['unknown customer', { ...CLAIM, customer: 'nobody' }, 400, /no customer nobody/],
      ['unknown service', { ...CLAIM, service: 'acme-x' }, 400, /has no service acme-x/],
      ['end before start', { ...CLAIM, end: CLAIM.start }, 400, /end must be after start/],
      ['not ended', { ...CLAIM, end: '2999-01-01T00:00:00Z' }, 400, /must have ended/],
      ['no evidence', { ...CLAIM, evidence: '' }, 400, /evidence/],
    ];
    for (const [what, body, status, message] of cases) {
      const answer = await post('/api/billing/claims', body);
      expect({ what, status: answer.status }).toEqual({ what, status });
      expect(String(answer.body.message)).toMatch(message);
    }
    expect((await post('/api/billing/claims', CLAIM, TOKENS.viewer)).status).toBe(403);
    expect(await get('/api/billing/claims')).toEqual({ claims: [] });
  });

  it('records a claim, bills nothing while pending, and credits it like an outage once approved', async () => {
    const v1 = await transitCredit('acme/2026-04/v1');
    // The network's outages: 70 minutes, 99.8380 % → gold's 25 % of 900.00.
    expect(v1).toMatchObject({ creditAmount: '-225.00', cumulativeCreditAmount: '-225.00' });
    expect(v1?.outages.every((outage) => outage.incidentId !== null)).toBe(true);

    const recorded = await post('/api/billing/claims', CLAIM);
    expect(recorded.status).toBe(201);
    const claim = recorded.body.claim as { id: string };
    expect(recorded.body.claim).toMatchObject({
      customerId: 'acme',
      serviceId: 'acme-transit',
      start: CLAIM.start,
      end: CLAIM.end,
      reference: 'CARRIER-4711',
      claimedBy: 'bob',
      approvedAt: null,
      timeZone: 'UTC',
    });
    // Pending: a run of the period finds the bill unchanged.
    const rerun = await post('/api/billing/runs', { period: '2026-04', customer: 'acme' });
    await vi.waitFor(async () => {
      const job = await get<{ state: string }>(
        `/api/billing/jobs/${encodeURIComponent(String(rerun.body.jobId))}`,
      );
      expect(job.state).toBe('done');
    }, WAIT);
    const listed = await get<{ runs: unknown[] }>('/api/billing/runs?customer=acme');
    expect(listed.runs).toHaveLength(1);

    const approval = `/api/billing/claims/${claim.id}/approval`;
    expect((await post(approval, { reason: '' })).status).toBe(400);
    expect((await post('/api/billing/claims/999999/approval', { reason: 'r' })).status).toBe(404);
    const approved = await post(approval, { reason: 'Carrier ticket checked' });
    expect(approved.status).toBe(200);
    expect(approved.body.claim).toMatchObject({
      approvedBy: 'bob',
      approvalReason: 'Carrier ticket checked',
    });
    const again = await post(approval, { reason: 'twice' });
    expect(again.status).toBe(400);
    expect(String(again.body.message)).toMatch(/approved already by bob/);

    // Approved: the next run adds six hours of downtime, 430 minutes in all (99.0046 %, below
    // 99.5 %: 50 %), and adjusts the credit by the difference.
    await runApril(2);
    const v2 = await transitCredit('acme/2026-04/v2');
    expect(v2).toMatchObject({
      availabilityPercent: '99.0046',
      creditAmount: '-225.00',
      cumulativeCreditAmount: '-450.00',
    });
    expect(v2?.outages).toContainEqual(
      expect.objectContaining({ ticketId: 'CARRIER-4711', incidentId: null, claimId: claim.id }),
    );
    const runs = await get<{ runs: { version: number; totalCredits: string }[] }>(
      '/api/billing/runs?customer=acme',
    );
    expect(runs.runs.map((run) => [run.version, run.totalCredits])).toEqual([
      [2, '-225.00'],
      [1, '-225.00'],
    ]);
  });
});
