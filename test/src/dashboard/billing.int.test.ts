import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Queue } from 'bullmq';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DASHBOARD_DIR } from '@faultline/api';
import { BILLING_QUEUE, BILLING_RUN_JOB, channels, type BillingLive } from '@faultline/shared';
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
    // The page follows the job to its end (its id in the address), then lists the run it made.
    const job = page.getByTestId('billing-job');
    await job.getByTestId('job-state').filter({ hasText: 'done' }).waitFor(WAIT);
    expect(new URL(page.url()).searchParams.get('job')).toMatch(/^billing-run_2026-04_acme_/);
    await job.getByText(`acme: run`).waitFor();
    const { rows } = await world.pool.query('SELECT id FROM billing_runs');
    expect(rows).toEqual([{ id: RUN_ID }]);
    const listed = page.getByTestId('runs-2026-04').getByRole('button', { name: `Show ${RUN_ID}` });
    await listed.waitFor();

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

    // Keyboard: focus the listed run's button and press Enter.
    await listed.focus();
    await page.keyboard.press('Enter');
    const run = page.getByTestId('billing-run');
    await run.getByTestId('p95-rate').first().waitFor();
    expect(new URL(page.url()).searchParams.get('run')).toBe(RUN_ID);
    // The 95th chart: the sorted curve, the cut at the billed rank, the commit line.
    const chart = run.getByTestId('p95-chart').first();
    expect(
      Number(await chart.getByTestId('p95-curve').getAttribute('data-points')),
    ).toBeGreaterThan(100);
    // The cut sits at the 95th rank, 95 % along the 480-px-wide curve; the commit line is drawn.
    const cutX = Number(await chart.getByTestId('p95-cut').getAttribute('x1'));
    expect(Math.abs(cutX / 480 - 0.95)).toBeLessThan(0.01);
    expect(await chart.getByTestId('p95-commit').count()).toBe(1);
    expect(await chart.getAttribute('aria-label')).toMatch(/^95th .+ rank \d+ of \d+ samples/);
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
      // The page scrolls inside its main element: make the window tall enough for all of it.
      await page.setViewportSize({ width: 1600, height: 2600 });
      await page.getByRole('heading', { name: 'Billing', level: 1 }).scrollIntoViewIfNeeded();
      await page.screenshot({
        path: new URL('../../../docs/billing.png', import.meta.url).pathname,
        fullPage: true,
      });
    }
    expect(problems).toEqual([]);
  });

  it('keeps the selection in the address: a shared link opens the run, back and forward step', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    // The run the first test made, opened from a link.
    await page.goto(
      `${baseUrl}/billing?period=2026-04&customer=acme&run=${encodeURIComponent(RUN_ID)}&token=${TOKENS.billing}`,
    );
    const filters = page.getByRole('form', { name: 'Filter billing runs' });
    await expect.poll(() => filters.getByLabel('Period').inputValue(), WAIT).toBe('2026-04');
    expect(await filters.getByLabel('Customer').inputValue()).toBe('acme');
    const run = page.getByTestId('billing-run');
    await run.getByRole('heading', { name: `Run ${RUN_ID}` }).waitFor();

    // A new filter is a new history entry; back restores the old filter and the run.
    await filters.getByLabel('Customer').fill('globex');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await page.getByTestId('no-runs').waitFor();
    await page.goBack();
    await page.getByTestId('runs-2026-04').waitFor();
    await expect.poll(() => filters.getByLabel('Customer').inputValue(), WAIT).toBe('acme');
    await page.goForward();
    await page.getByTestId('no-runs').waitFor();
    expect(new URL(page.url()).searchParams.get('customer')).toBe('globex');

    // Another page does not carry the billing selection along.
    await page.getByRole('link', { name: 'Alarms' }).first().click();
    expect(new URL(page.url()).search).toBe('');
    expect(problems).toEqual([]);
  });

  it('says plainly why a requested run made nothing: the period is still open', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/billing?token=${TOKENS.billing}`);
    const request = page.getByRole('form', { name: 'Request a billing run' });
    await request.getByLabel('Period').fill('2026-05');
    await request.getByLabel('Customer').fill('acme');
    await request.getByRole('button', { name: 'Request run' }).click();
    const job = page.getByTestId('billing-job');
    await job.getByTestId('job-state').filter({ hasText: 'done' }).waitFor(WAIT);
    await job.getByText('acme: no run: the period has not ended yet').waitFor();
    // A job the bridge refused shows as failed, with its reason.
    const queue = new Queue(BILLING_QUEUE, {
      connection: world.redis,
      prefix: world.settings.prefix,
    });
    try {
      const bad = await queue.add(BILLING_RUN_JOB, { period: 'someday' }, { jobId: 'bad-job' });
      await page.goto(`${baseUrl}/billing?job=${String(bad.id)}&token=${TOKENS.billing}`);
      await page
        .getByTestId('job-error')
        .filter({ hasText: 'The billing run failed: invalid billing request' })
        .waitFor(WAIT);
    } finally {
      await queue.close();
    }
    // A job nobody knows is said to be unknown, not shown as pending.
    await page.goto(`${baseUrl}/billing?job=no-such-job&token=${TOKENS.billing}`);
    await page
      .getByTestId('billing-job')
      .getByRole('alert')
      .filter({ hasText: 'No billing job no-such-job' })
      .waitFor();
  });

  it('tells a viewer that its role may not read billing', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/billing?token=${TOKENS.viewer}`);
    await page.getByRole('alert').filter({ hasText: 'may not read billing' }).waitFor();
  });
});
