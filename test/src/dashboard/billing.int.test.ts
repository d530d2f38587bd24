import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
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
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(DEFAULT_DASHBOARD_DIR, 'index.html'))) {
    throw new Error('the dashboard is not built: run `npm run build -w dashboard`');
  }
  browser = await launchBrowser();
  world = await createBillingWorld();
  ({ baseUrl } = await world.listen());
}, 120_000);

afterAll(async () => {
  for (const context of contexts.splice(0)) await context.close();
  await browser.close();
  await world.close();
});

describe('billing page', () => {
  it('shows a run with its evidence, and its CSV downloads with the bytes of the api export', async () => {
    // A run made by the real billing bridge, requested through the api.
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

    const context = await browser.newContext({
      viewport: { width: 1600, height: 900 },
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    await page.goto(`${baseUrl}/billing?token=${TOKENS.billing}`);

    // Keyboard: focus the run's button and press Enter.
    const show = page.getByRole('button', { name: `Show ${RUN_ID}` });
    await show.focus();
    await page.keyboard.press('Enter');
    const run = page.getByTestId('billing-run');
    await run.getByTestId('p95-rate').first().waitFor();
    await expect.poll(() => run.getByTestId('coverage').count(), WAIT).toBeGreaterThan(0);
    await expect.poll(() => run.getByTestId('credit').count(), WAIT).toBeGreaterThan(0);
    await expect.poll(() => run.getByTestId('credit').first().textContent(), WAIT).toContain('T-1');

    const downloading = page.waitForEvent('download');
    await run.getByTestId('download-csv').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('billing-acme-2026-04-v1.csv');
    const saved = await download.path();
    const bytes = await readFile(saved);

    const api = await fetch(
      `${baseUrl}/api/billing/runs/${encodeURIComponent(RUN_ID)}/export.csv`,
      { headers: { authorization: `Bearer ${TOKENS.billing}` } },
    );
    expect(api.status).toBe(200);
    const expected = Buffer.from(await api.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.equals(expected)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('tells a viewer that its role may not read billing', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/billing?token=${TOKENS.viewer}`);
    await page.getByRole('alert').filter({ hasText: 'may not read billing' }).waitFor();
  });
});
