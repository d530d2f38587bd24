import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DASHBOARD_DIR } from '@faultline/api';
import { channels, type BillingLive } from '@faultline/shared';
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
    const context = await browser.newContext({
      viewport: { width: 1600, height: 900 },
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    await page.goto(`${baseUrl}/billing?token=${TOKENS.billing}`);
    await page.getByTestId('no-runs').waitFor();

    // A run made by the real billing bridge, requested from the page.
    const request = page.getByRole('form', { name: 'Request a billing run' });
    await request.getByLabel('Period').fill('2026-04');
    await request.getByLabel('Customer').fill('acme');
    await request.getByRole('button', { name: 'Request run' }).click();
    await page.getByRole('status').filter({ hasText: 'billing-run_2026-04_acme' }).waitFor();
    await vi.waitFor(async () => {
      const { rows } = await world.pool.query('SELECT id FROM billing_runs');
      expect(rows).toEqual([{ id: RUN_ID }]);
    }, WAIT);
    await page.getByRole('button', { name: 'Refresh' }).click();

    // The live view the bridge publishes reaches the page over socket.io.
    const live: BillingLive = {
      customerId: 'acme',
      period: '2026-05',
      periodStart: '2026-05-01T00:00:00.000Z',
      periodEnd: '2026-06-01T00:00:00.000Z',
      at: '2026-05-02T00:00:00.000Z',
      services: [
        {
          serviceId: 'acme-transit',
          planId: 'burst-95-1g',
          inOctets: '81000000000',
          outOctets: '40500000000',
          percentile95Bps: 245_300_000,
          projectedPercentile95Bps: 250_000_000,
          coveragePercent: 100,
          downtimeMinutes: 12,
          slaBudgetMinutes: 9.6,
        },
      ],
    };
    await world.redis.publish(channels(world.settings.prefix).billing, JSON.stringify(live));
    const livePanel = page.getByTestId('billing-live');
    await livePanel.getByText('245.3 Mbps').waitFor();
    await livePanel.getByText('9.6 min').waitFor();

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
    if (process.env.FAULTLINE_SCREENSHOTS === '1') {
      await page.screenshot({
        path: new URL('../../../docs/billing.png', import.meta.url).pathname,
        fullPage: true,
      });
    }
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
