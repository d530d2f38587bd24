import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DASHBOARD_DIR } from '@faultline/api';
import { collectPageProblems, launchBrowser } from '../support/browser.js';
import { createBillingWorld, type BillingWorld } from '../api/billing-world.js';
import { TOKENS } from '../api/incident-world.js';

const WAIT = { timeout: 60_000, interval: 200 };
const RUN_ID = 'acme/2026-04/v1';

let browser: Browser;
let world: BillingWorld;
let baseUrl: string;

beforeAll(async () => {
  if (!existsSync(path.join(DEFAULT_DASHBOARD_DIR, 'index.html'))) {
    throw new Error('the dashboard is not built: run `npm run build -w dashboard`');
  }
  browser = await launchBrowser();
  world = await createBillingWorld();
  ({ baseUrl } = await world.listen());
  // The April run, made by the real billing bridge at the api's request.
  const posted = await fetch(`${baseUrl}/api/billing/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKENS.billing}`, 'content-type': 'application/json' },
    body: JSON.stringify({ period: '2026-04', customer: 'acme' }),
  });
  expect(posted.status).toBe(202);
  await vi.waitFor(async () => {
    const { rows } = await world.pool.query('SELECT id FROM billing_runs');
    expect(rows).toEqual([{ id: RUN_ID }]);
  }, WAIT);
}, 120_000);

afterAll(async () => {
  await browser.close();
  await world.close();
});

describe('analyst review in the billing page', () => {
  it('releases the held line and books a credit, each listed with who and why', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1200 } });
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    await page.goto(
      `${baseUrl}/billing?period=2026-04&customer=acme&run=${encodeURIComponent(RUN_ID)}&token=${TOKENS.billing}`,
    );
    const review = page.getByTestId('billing-review');
    await review.getByText('No approvals or adjustments yet.').waitFor(WAIT);

    const held = review.getByRole('form', { name: 'Approve held line 5' });
    await held.getByTestId('approval-reason').fill('usage confirmed with the customer');
    await held.getByTestId('approve').click();
    await review.getByTestId('review-action').first().waitFor(WAIT);
    // Released: the line is no longer offered for approval.
    await expect.poll(() => held.count(), WAIT).toBe(0);

    // The api's reason for a refusal is shown as is.
    const adjustment = review.getByRole('form', { name: 'Manual adjustment' });
    await adjustment.getByTestId('adjustment-amount').fill('0');
    await adjustment.getByTestId('adjustment-reason').fill('goodwill for T-3');
    await adjustment.getByTestId('adjust').click();
    await expect
      .poll(() => review.getByTestId('review-problem').textContent(), WAIT)
      .toContain('amount must be more than zero');

    await adjustment.getByTestId('adjustment-amount').fill('25.00');
    await adjustment.getByTestId('adjustment-service').selectOption('acme-transit');
    await adjustment.getByTestId('adjust').click();
    await expect.poll(() => review.getByTestId('review-action').count(), WAIT).toBe(2);
    const rows = await review.getByTestId('review-action').allTextContents();
    expect(rows[0]).toMatch(/released line 5.*acme-backup.*429\.72 EUR.*bob.*usage confirmed/);
    expect(rows[1]).toMatch(
      /manual adjustment.*acme-transit.*\u221225\.00 EUR.*bob.*goodwill for T-3/,
    );
    // 978.85 computed + 429.72 released − 25.00 credited.
    await expect
      .poll(() => review.getByTestId('review-totals').textContent(), WAIT)
      .toContain('billed 1,383.57 EUR');
    // The run view above follows: its total and lines include the actions, without a reload.
    await expect.poll(() => page.getByTestId('run-total').textContent(), WAIT).toBe('1,383.57 EUR');
    // The refused attempt was answered 400, which the browser reports as a failed resource.
    expect(problems.filter((problem) => !problem.includes('status of 400'))).toEqual([]);
    await context.close();
  });
});
