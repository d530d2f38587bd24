import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DASHBOARD_DIR } from '@faultline/api';
import { collectPageProblems, launchBrowser } from '../support/browser.js';
import { createCareWorld, type CareWorld } from '../api/care-world.js';
import { TOKENS } from '../api/incident-world.js';

const WAIT = { timeout: 30_000 };
const WALL = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };

let browser: Browser;
let world: CareWorld;
let baseUrl: string;
const contexts: BrowserContext[] = [];

/** Screenshots to look at (SCREENSHOT_DIR) or for the docs (FAULTLINE_SCREENSHOTS=1). */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir =
    process.env.FAULTLINE_SCREENSHOTS === '1'
      ? new URL('../../../docs/', import.meta.url).pathname
      : process.env.SCREENSHOT_DIR;
  if (dir !== undefined) await page.screenshot({ path: path.join(dir, name), fullPage: true });
}

async function open(viewport: { width: number; height: number }, url: string) {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${baseUrl}${url}`);
  return { page, problems };
}

beforeAll(async () => {
  if (!existsSync(path.join(DEFAULT_DASHBOARD_DIR, 'index.html'))) {
    throw new Error('the dashboard is not built: run `npm run build -w dashboard`');
  }
  browser = await launchBrowser();
  world = await createCareWorld();
  ({ baseUrl } = await world.listen());
}, 120_000);

afterAll(async () => {
  for (const context of contexts.splice(0)) await context.close();
  await browser.close();
  await world.close();
});

describe('live cost of an incident', () => {
  it('shows each impacted service: SLA, downtime, tier, minutes left and credit so far', async () => {
    const { page, problems } = await open(WALL, `/incidents/inc-acme?token=${TOKENS.viewer}`);
    const row = page.getByTestId('live-cost').locator('tr[data-service-id="acme-transit"]');
    await row.waitFor(WAIT);
    await expect.poll(() => row.innerText()).toContain('225.00 EUR');
    const text = await row.innerText();
    expect(text).toContain('gold (99.838 %)');
    expect(text).toContain('70 min');
    expect(text).toContain('below 99.9 % → 25 %');
    expect(text).toContain('146 min');
    expect(text).toContain('450.00 EUR below 99.5 %');
    expect(await page.getByTestId('live-cost-total').innerText()).toBe('225.00 EUR');
    await screenshot(page, 'incident-cost.png');
    expect(problems).toEqual([]);
  });

  it('shows the credit so far on the on-call console and the wall', async () => {
    const oncall = await open(WALL, `/oncall?token=${TOKENS.viewer}`);
    const credit = oncall.page.locator(
      'tr[data-incident-id="inc-acme"] [data-testid="incident-credit"]',
    );
    await expect.poll(() => credit.innerText(), WAIT).toBe('225.00 EUR');
    expect(
      await oncall.page
        .locator('tr[data-incident-id="inc-shared"] [data-testid="incident-credit"]')
        .innerText(),
    ).toBe('37.50 USD');
    const wall = await open(WALL, `/wall?token=${TOKENS.viewer}`);
    const card = wall.page.locator(
      'article[data-incident-id="inc-acme"] [data-testid="incident-credit"]',
    );
    await expect.poll(() => card.innerText(), WAIT).toContain('225.00 EUR');
    expect(oncall.problems).toEqual([]);
    expect(wall.problems).toEqual([]);
  });
});

describe('care desk and status page', () => {
  it('finds a customer, shows its services, incidents and credits, and makes and revokes its status link', async () => {
    const { page, problems } = await open(WALL, `/care?token=${TOKENS.care}`);
    const desk = page.getByTestId('care-desk');
    await desk.getByLabel('Customer or service').fill('transit');
    await desk.getByRole('button', { name: /ACME Logistics/ }).click();
    const transit = desk.locator('tr[data-service-id="acme-transit"]');
    await transit.waitFor(WAIT);
    expect(await transit.innerText()).toMatch(/Down[\s\S]*99\.838 %[\s\S]*225\.00 EUR/);
    expect(
      await desk
        .locator('tr[data-service-id="acme-backup"] [data-state]')
        .getAttribute('data-state'),
    ).toBe('degraded');
    // The incidents affecting acme, with care staff's notes; globex's own incident is not there.
    const ids: (string | null)[] = [];
    for (const item of await desk.locator('[data-incident-id]').all()) {
      ids.push(await item.getAttribute('data-incident-id'));
    }
    expect(ids).toEqual(['inc-shared', 'inc-acme']);
    expect(await desk.innerText()).toContain('swap the line card in slot 3');
    expect((await desk.innerText()).toLowerCase()).not.toContain('globex');
    expect(await desk.getByTestId('closed-periods').innerText()).toMatch(
      /2026-04[\s\S]*-225\.00 EUR/,
    );

    await desk.getByLabel('Label').fill('ACME NOC screen');
    await desk.getByRole('button', { name: 'Make a status link' }).click();
    const address = await desk.getByTestId('made-link').locator('code').innerText();
    expect(address).toMatch(/\/status#fls_/);
    await screenshot(page, 'care-desk.png');

    // The customer opens the link: its services and the public notes of its open incidents.
    const status = await open(WALL, address.replace(baseUrl, ''));
    const statusPage = status.page.getByTestId('status-page');
    await statusPage.getByRole('heading', { name: 'ACME Logistics' }).waitFor(WAIT);
    const statusText = await statusPage.innerText();
    expect(statusText).toContain('Fibre cut near the depot, a crew is on site.');
    expect(statusText).not.toContain('slot 3');
    expect(statusText).not.toContain('access-1');
    expect(statusText.toLowerCase()).not.toContain('globex');
    expect(await statusPage.locator('tr[data-service-id="acme-transit"]').innerText()).toMatch(
      /Down[\s\S]*99\.838 %/,
    );
    await screenshot(status.page, 'status-page.png');
    const phone = await open(PHONE, address.replace(baseUrl, ''));
    await phone.page.getByRole('heading', { name: 'ACME Logistics' }).waitFor(WAIT);
    await screenshot(phone.page, 'status-page-phone.png');

    // Revoked from the care desk: the link shows it is no longer valid.
    await desk.getByRole('button', { name: 'Revoke' }).click();
    await desk.getByText('revoked by carol').waitFor(WAIT);
    await status.page.reload();
    await status.page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor(WAIT);
    expect(await status.page.getByRole('heading', { name: 'ACME Logistics' }).count()).toBe(0);
    expect(problems).toEqual([]);
    expect(phone.problems).toEqual([]);
    // The reloaded page's 401 is the only problem chromium reports.
    expect(status.problems.filter((problem) => !problem.includes('401'))).toEqual([]);
  });

  it('fits a phone', async () => {
    const { page, problems } = await open(PHONE, `/care?token=${TOKENS.care}`);
    const desk = page.getByTestId('care-desk');
    await desk.getByRole('button', { name: /ACME Logistics/ }).click();
    await desk.locator('tr[data-service-id="acme-transit"]').waitFor(WAIT);
    // Nothing wider than the screen but the tables' own scrolling boxes.
    // Plain JavaScript: the test project has no DOM types.
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'care-desk-phone.png');
    expect(problems).toEqual([]);
  });
});
