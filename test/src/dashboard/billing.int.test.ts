import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Queue } from 'bullmq';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

/**
 * The billing page at a wall's size in a browser whose zone is UTC (what the page shows in the
 * browser's zone is then known), `search` before the token; with the page's problems.
 */
async function openDesk(search: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1920, height: 1080 },
    timezoneId: 'UTC',
  });
  contexts.push(context);
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${baseUrl}/billing?${search}token=${TOKENS.billing}`);
  return { page, problems };
}

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
          availabilityPercent: '100',
          currency: 'EUR',
          sla: null,
        },
      ],
    };
    await world.redis.publish(channels(world.settings.prefix).billing, JSON.stringify(live));
    const livePanel = page.getByTestId('billing-live');
    await livePanel.getByText('245.3 Mbps').waitFor();
    // Minutes as people read them: 9.6 min is 9 min 36 s.
    await livePanel.getByText('9 min 36 s').waitFor();

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

  it('formats the desk for people, in the customer’s named time zone, also in a DST month', async () => {
    const { page, problems } = await openDesk(`run=${encodeURIComponent(RUN_ID)}&`);

    // The runs list: the customer's name, grouped money, the run's SLA credits, period totals.
    const runs = page.getByTestId('runs-2026-04');
    const row = runs.locator(`tr[data-run-id="${RUN_ID}"]`);
    await row.getByText('ACME Logistics').waitFor();
    expect(await row.getByTestId('run-billed').textContent()).toMatch(
      /^\d{1,3}(,\d{3})*\.\d{2} EUR$/,
    );
    expect(await row.getByTestId('run-credits').textContent()).toBe('\u2212225.00 EUR');
    expect(await runs.getByTestId('period-total').textContent()).toContain('\u2212225.00 EUR');

    // The run: its period in the customer's zone (acme bills in UTC), availability to gold's two
    // decimals (99.8380 % cut to 99.83 %), downtime in h/min, no raw ISO times anywhere.
    const run = page.getByTestId('billing-run');
    await run
      .getByTestId('run-period')
      .filter({ hasText: '1 Apr 2026 – 30 Apr 2026 (UTC)' })
      .waitFor();
    const credit = run.getByTestId('credit').first();
    expect(await credit.getByTestId('availability').textContent()).toBe('99.83 %');
    expect(await credit.textContent()).toContain('downtime 1 h 10 min');
    expect(await credit.getByTestId('credit-cumulative').textContent()).toBe('\u2212225.00 EUR');
    expect(await run.textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(await credit.getByTestId('credit-outage').first().textContent()).toContain(
      '10 Apr 2026, 10:00 UTC',
    );

    // A customer in another zone, in a DST month: New York's March 2026 (EST, then EDT on the 8th).
    const live: BillingLive = {
      customerId: 'globex',
      customerName: 'Globex Corporation',
      timeZone: 'America/New_York',
      period: '2026-03',
      periodStart: '2026-03-01T05:00:00.000Z',
      periodEnd: '2026-04-01T04:00:00.000Z',
      at: '2026-03-20T16:30:00.000Z',
      services: [
        {
          serviceId: 'globex-backup',
          planId: 'volume-1tb',
          inOctets: '165822763564504',
          outOctets: '0',
          percentile95Bps: null,
          projectedPercentile95Bps: null,
          coveragePercent: 99.5,
          downtimeMinutes: 39.00416666666667,
          slaBudgetMinutes: null,
          currency: 'USD',
          availabilityPercent: '99.9126',
          sla: null,
        },
      ],
    };
    await expect
      .poll(async () => {
        await world.redis.publish(channels(world.settings.prefix).billing, JSON.stringify(live));
        return page.getByTestId('billing-live').textContent();
      }, WAIT)
      .toContain('Globex Corporation, period 2026-03: 1 Mar 2026 – 31 Mar 2026 (America/New_York)');
    const livePanel = page.getByTestId('billing-live');
    expect(await livePanel.textContent()).toContain('as of 20 Mar 2026, 12:30 GMT-4');
    await livePanel.getByText('165,822.76 GB').waitFor();
    await livePanel.getByText('39 min', { exact: true }).waitFor();

    // A ticket of a credit leads to its incident.
    await run.getByTestId('ticket-link').filter({ hasText: 'T-1' }).click();
    await page.getByRole('heading', { name: 'inc-T-1', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/incidents/inc-T-1');
    expect(problems).toEqual([]);
  });

  it('records and approves a claimed outage, and the next version shows its change and the cumulative credit', async () => {
    const { page, problems } = await openDesk('');
    const claims = page.getByTestId('billing-claims');
    await claims.getByTestId('no-claims').waitFor();
    const form = claims.getByRole('form', { name: 'Record a claimed outage' });
    await form.getByLabel('Customer').fill('acme');
    await form.getByLabel('Service').fill('acme-transit');
    await form.getByLabel(/^Start/).fill('2026-04-20T06:00');
    await form.getByLabel(/^End/).fill('2026-04-20T12:00');
    await form.getByLabel('Reference').fill('CARRIER-4711');
    await form.getByLabel('Evidence').fill('Carrier confirms a six-hour fibre cut');
    await form.getByRole('button', { name: 'Record claim' }).click();
    const claim = claims.getByTestId('claim').first();
    await claim.getByText('20 Apr 2026, 06:00 UTC – 20 Apr 2026, 12:00 UTC').waitFor(WAIT);
    await claim.getByText('6 h', { exact: true }).waitFor();
    await claim.getByLabel('Reason').fill('Carrier ticket checked');
    await claim.getByRole('button', { name: 'Approve' }).click();
    await claim
      .getByTestId('claim-approved')
      .filter({ hasText: 'Carrier ticket checked' })
      .waitFor(WAIT);

    // A run of the period bills it: version 2 holds the credit's change.
    const request = page.getByRole('form', { name: 'Request a billing run' });
    await request.getByLabel('Period').fill('2026-04');
    await request.getByLabel('Customer').fill('acme');
    await request.getByRole('button', { name: 'Request run' }).click();
    await page
      .getByTestId('billing-job')
      .getByTestId('job-state')
      .filter({ hasText: 'done' })
      .waitFor(WAIT);
    const v2 = 'acme/2026-04/v2';
    await page
      .getByTestId('runs-2026-04')
      .getByRole('button', { name: `Show ${v2}` })
      .click();
    const run = page.getByTestId('billing-run');
    await run.getByRole('heading', { name: `Run ${v2}` }).waitFor();
    const credit = run.getByTestId('credit').first();
    await credit.getByTestId('credit-change').waitFor(WAIT);
    expect(await credit.getByTestId('credit-change').textContent()).toBe('\u2212225.00 EUR');
    expect(await credit.getByTestId('credit-cumulative').textContent()).toBe('\u2212450.00 EUR');
    expect(await credit.getByTestId('availability').textContent()).toBe('99.00 %');
    expect(await credit.textContent()).toContain('Claimed outage CARRIER-4711');
    // The period's total over both versions.
    expect(
      await page.getByTestId('runs-2026-04').getByTestId('period-total').textContent(),
    ).toContain('\u2212450.00 EUR');
    if (process.env.FAULTLINE_SCREENSHOTS === '1') {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: '/tmp/desk-phone.png' });
    }
    expect(problems).toEqual([]);
  });
});
