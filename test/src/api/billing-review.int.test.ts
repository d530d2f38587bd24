import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { add, BILLING_CSV_COLUMNS, parseDecimal, toDecimalString, ZERO } from '@faultline/shared';
import { monthLines, writeLines } from '../billing/billing-data.js';
import { bearer, createAprilWorld, type BillingCalls, type BillingWorld } from './billing-world.js';
import { TOKENS } from './incident-world.js';

const V1 = encodeURIComponent('acme/2026-04/v1');
const HELD_LINE = 5; // acme-backup's volume overage, 429.72, held at 99.92 % coverage

let world: BillingWorld;
let app: FastifyInstance;
let post: BillingCalls['post'];
let get: BillingCalls['get'];
let runApril: BillingCalls['runApril'];

/** The CSV rows of a run export, as column → value records. */
async function csvRows(runId: string): Promise<Record<string, string>[]> {
  const response = await app.inject({
    url: `/api/billing/runs/${runId}/export.csv`,
    headers: bearer(TOKENS.billing),
  });
  const [, ...rows] = response.body.trimEnd().split('\r\n');
  // The descriptions checked here hold commas only inside quotes: split on commas outside them.
  return rows.map((row) => {
    const fields = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [];
    const values = fields.map((field) => field.replace(/,$/, '').replace(/^"|"$/g, ''));
    return Object.fromEntries(BILLING_CSV_COLUMNS.map((column, i) => [column, values[i] ?? '']));
  });
}

beforeAll(async () => {
  let calls: BillingCalls;
  ({ world, app, calls } = await createAprilWorld());
  ({ post, get, runApril } = calls);
}, 120_000);

afterAll(async () => {
  await world.close();
});

describe('billing analyst: approvals and manual adjustments on a real run', () => {
  it('refuses what makes no sense, with 400s that say why', async () => {
    const approvals = `/api/billing/runs/${V1}/approvals`;
    const adjustments = `/api/billing/runs/${V1}/adjustments`;
    const credit = {
      kind: 'credit',
      amount: '25.00',
      currency: 'EUR',
      serviceId: 'acme-transit',
      reason: 'r',
    };
    const cases: [string, string, object, number, RegExp][] = [
      ['unknown line', approvals, { lineNo: 99, reason: 'r' }, 400, /has no line 99/],
      ['a billed line', approvals, { lineNo: 1, reason: 'r' }, 400, /billed, not held/],
      ['no reason', approvals, { lineNo: HELD_LINE, reason: '' }, 400, /reason/],
      [
        'wrong currency',
        adjustments,
        { ...credit, currency: 'USD' },
        400,
        /USD is not the run's currency EUR/,
      ],
      ['a fraction of a cent', adjustments, { ...credit, amount: '0.005' }, 400, /finer than/],
      ['a signed amount', adjustments, { ...credit, amount: '-25.00' }, 400, /amount/],
      ['zero', adjustments, { ...credit, amount: '0' }, 400, /more than zero/],
      [
        'an unknown service',
        adjustments,
        { ...credit, serviceId: 'globex-backup' },
        400,
        /not billed in acme\/2026-04/,
      ],
      [
        'a run that does not exist',
        `/api/billing/runs/${encodeURIComponent('acme/2026-03/v1')}/adjustments`,
        credit,
        404,
        /no billing run/,
      ],
    ];
    for (const [name, url, payload, status, message] of cases) {
      const answer = await post(url, payload);
      expect([answer.status, answer.body.message], name).toEqual([
        status,
        expect.stringMatching(message),
      ]);
    }
    expect(await get(`/api/billing/runs/${V1}/actions`)).toEqual({ actions: [] });
  });

  it('releases a held line once and adds a credit: new lines, exact totals, audit kept', async () => {
    const approved = await post(`/api/billing/runs/${V1}/approvals`, {
      lineNo: HELD_LINE,
      reason: 'coverage gap was a collector restart, usage confirmed with the customer',
    });
    expect(approved.status).toBe(201);
    expect(approved.body.action).toMatchObject({
      actionNo: 1,
      kind: 'approval',
      lineNo: HELD_LINE,
      lineKey: 'acme-backup/overage/volume-4tb/1775001600000',
      amount: '429.72',
      currency: 'EUR',
      actor: 'bob',
    });
    const twice = await post(`/api/billing/runs/${V1}/approvals`, {
      lineNo: HELD_LINE,
      reason: 'again',
    });
    expect([twice.status, twice.body.message]).toEqual([
      400,
      expect.stringMatching(/already approved by bob/),
    ]);

    const credited = await post(`/api/billing/runs/${V1}/adjustments`, {
      kind: 'credit',
      amount: '25.5',
      currency: 'EUR',
      serviceId: 'acme-transit',
      reason: 'goodwill for T-3',
    });
    expect(credited.status).toBe(201);
    expect(credited.body.action).toMatchObject({
      actionNo: 2,
      kind: 'adjustment',
      amount: '-25.50',
    });

    // The computed lines are untouched; the actions follow them as billed adjustment lines.
    const rows = await csvRows(V1);
    expect(rows.map((row) => [row.line_no, row.kind, row.status, row.amount])).toEqual([
      ['1', 'charge', 'billed', '900.00'],
      ['2', 'overage', 'billed', '203.85'],
      ['3', 'credit', 'billed', '-225.00'],
      ['4', 'charge', 'billed', '100.00'],
      ['5', 'overage', 'held', '429.72'],
      ['6', 'adjustment', 'billed', '429.72'],
      ['7', 'adjustment', 'billed', '-25.50'],
    ]);
    expect(rows[5]).toMatchObject({
      line_key: 'acme-backup/overage/volume-4tb/1775001600000',
      quantity: '1',
      unit_price: '429.72',
      period_fraction: '1',
      description: expect.stringMatching(
        /^Approved held line 5 \(volume-4tb volume 4859\.4375 GB, included 4000 GB\) by bob at 20\d\d-.*Z: coverage gap/,
      ) as string,
    });
    expect(rows[6]?.description).toMatch(
      /^Manual credit -25\.50 EUR by bob at .*Z: goodwill for T-3$/,
    );

    // 978.85 computed + 429.72 released − 25.50 credited.
    const json = await app.inject({
      url: `/api/billing/runs/${V1}/export.json`,
      headers: bearer(TOKENS.billing),
    });
    const exported = json.json<{
      run: { totalBilled: string; totalHeld: string };
      lines: unknown[];
    }>();
    expect(exported.run).toMatchObject({ totalBilled: '1383.07', totalHeld: '0.00' });
    expect(exported.lines).toHaveLength(7);
    // The export adds up: its billed lines sum exactly to its billed total.
    const billedSum = rows
      .filter((row) => row.status === 'billed')
      .reduce((sum, row) => add(sum, parseDecimal(row.amount ?? '') ?? ZERO), ZERO);
    expect(toDecimalString(billedSum, 2)).toBe(exported.run.totalBilled);
    const detail = await get<{
      run: { totalBilled: string; heldCount: number; lineCount: number };
      lines: { lineNo: number; evidence: Record<string, unknown> }[];
      reconciliation: { review: unknown; totals: { billed: string } };
    }>(`/api/billing/runs/${V1}`);
    expect(detail.run).toMatchObject({ totalBilled: '1383.07', heldCount: 0, lineCount: 7 });
    expect(detail.reconciliation.totals.billed).toBe('978.85');
    expect(detail.reconciliation.review).toEqual({
      computedBilled: '978.85',
      released: '429.72',
      adjusted: '-25.50',
      billed: '1383.07',
      approvals: 1,
      adjustments: 1,
    });
    expect(detail.lines.find((line) => line.lineNo === 7)?.evidence).toMatchObject({
      kind: 'manual',
      action: 'adjustment',
      actor: 'bob',
      reason: 'goodwill for T-3',
    });
    const { actions } = await get<{ actions: { actionNo: number }[] }>(
      `/api/billing/runs/${V1}/actions`,
    );
    expect(actions.map((action) => action.actionNo)).toEqual([1, 2]);

    // The audit record cannot be edited, even from SQL.
    await expect(world.pool.query("UPDATE billing_actions SET reason = 'x'")).rejects.toThrow(
      /audit record/,
    );
    await expect(world.pool.query('DELETE FROM billing_actions')).rejects.toThrow(/audit record/);
  });

  it('a re-run after late data neither bills the released line twice nor holds it again', async () => {
    await writeLines(world.config.influx.database, monthLines(true));
    await runApril(2);
    const v2 = encodeURIComponent('acme/2026-04/v2');
    // The late polls bring the line to full coverage at the same 429.72, already billed by the
    // approval: the new version has no line (the same re-run without the approval bills 429.72).
    expect(await csvRows(v2)).toEqual([]);
    const runs = await get<{ runs: { id: string; totalBilled: string }[] }>(
      '/api/billing/runs?customer=acme',
    );
    expect(runs.runs.map((run) => [run.id, run.totalBilled])).toEqual([
      ['acme/2026-04/v2', '0.00'],
      ['acme/2026-04/v1', '1383.07'],
    ]);
    // v1 is now closed: actions go to the latest version.
    const late = await post(`/api/billing/runs/${V1}/adjustments`, {
      kind: 'debit',
      amount: '1.00',
      currency: 'EUR',
      serviceId: 'acme-transit',
      reason: 'late',
    });
    expect([late.status, late.body.message]).toEqual([
      400,
      expect.stringMatching(/superseded by version 2/),
    ]);
    // Concurrent actions on one run are serialized: each gets its own number, none is lost.
    const debits = await Promise.all(
      ['1.00', '2.00', '3.00', '4.00'].map((amount) =>
        post(`/api/billing/runs/${v2}/adjustments`, {
          kind: 'debit',
          amount,
          currency: 'EUR',
          serviceId: 'acme-transit',
          reason: 'late',
        }),
      ),
    );
    expect(debits.map((debit) => debit.status)).toEqual([201, 201, 201, 201]);
    const numbers = debits.map((debit) => (debit.body.action as { actionNo: number }).actionNo);
    expect([...numbers].sort()).toEqual([1, 2, 3, 4]);
    const latest = await get<{ run: { totalBilled: string } }>(`/api/billing/runs/${v2}`);
    expect(latest.run.totalBilled).toBe('10.00');
  });
});
