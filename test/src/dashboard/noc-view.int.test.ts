import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DASHBOARD_DIR, type ApiComponent } from '@faultline/api';
import { collectPageProblems, launchBrowser } from '../support/browser.js';
import {
  createApiFixture,
  sampleAlarm,
  startApi,
  VIEWER_TOKEN,
  type ApiFixture,
} from '../api/harness.js';

let browser: Browser;
let fixture: ApiFixture;
let api: ApiComponent;
let baseUrl: string;
let page: Page;
let problems: string[];

beforeAll(async () => {
  if (!existsSync(path.join(DEFAULT_DASHBOARD_DIR, 'index.html'))) {
    throw new Error(
      `the dashboard is not built (${DEFAULT_DASHBOARD_DIR}/index.html is missing): ` +
        'run `npm run build -w dashboard` (the root `npm test` builds it)',
    );
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
});

beforeEach(async () => {
  fixture = await createApiFixture();
  ({ api, baseUrl } = await startApi(fixture));
  page = await browser.newPage();
  problems = collectPageProblems(page);
});

afterEach(async () => {
  await page.close();
  await api.stop();
  await fixture.close();
});

const row = (reductionKey: string) => page.locator(`tr[data-reduction-key="${reductionKey}"]`);

describe('NOC alarm view', () => {
  it('signs in from ?token=, shows raised alarms live and keeps cleared ones visibly cleared', async () => {
    await page.goto(`${baseUrl}/?token=${VIEWER_TOKEN}`);
    await page.getByText('No open alarms.').waitFor();
    // The token leaves the address bar and stays for the next visit.
    expect(new URL(page.url()).search).toBe('');
    const stored = await page.evaluate(
      // Runs in the page, where localStorage exists; the test's own types are Node's.
      () =>
        (
          globalThis as unknown as { localStorage: { getItem(key: string): string | null } }
        ).localStorage.getItem('faultline.token'),
    );
    expect(stored).toBe(VIEWER_TOKEN);

    const alarm = sampleAlarm({
      severity: 'critical',
      description: 'Power supply failure on core-1',
    });
    await fixture.change('raised', alarm);
    await row(alarm.reductionKey).and(page.locator('[data-state="active"]')).waitFor();
    const text = await row(alarm.reductionKey).innerText();
    expect(text).toContain('Critical');
    expect(text).toContain('Power supply failure on core-1');
    expect(await page.locator('[data-severity="critical"]').getAttribute('data-count')).toBe('1');

    await fixture.change('cleared', {
      ...alarm,
      state: 'cleared',
      clearedAt: new Date().toISOString(),
    });
    await row(alarm.reductionKey).and(page.locator('[data-state="cleared"]')).waitFor();
    expect(await page.locator('[data-severity="critical"]').getAttribute('data-count')).toBe('0');
    expect(problems).toEqual([]);
  });

  it('shows the alarms open at load, and a banner when the live connection is lost', async () => {
    const open = sampleAlarm({ severity: 'minor' });
    await fixture.change('raised', open);
    await page.goto(`${baseUrl}/?token=${VIEWER_TOKEN}`);
    await row(open.reductionKey).waitFor();
    expect(await page.getByTestId('connection-banner').count()).toBe(0);

    await api.stop();
    await page
      .locator('[data-testid="connection-banner"][data-connection="disconnected"]')
      .waitFor();
    // The data stays on screen, marked as possibly stale.
    expect(await row(open.reductionKey).count()).toBe(1);
  });

  it('asks for a token, and asks again when the token is refused', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Token').fill('not-a-valid-token-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That token was refused' }).waitFor();

    await page.getByLabel('Token').fill(VIEWER_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No open alarms.').waitFor();
  });

  it('serves the app for client-side paths, and JSON 404s for unknown API paths', async () => {
    const spa = await fetch(`${baseUrl}/noc/wall-1`);
    expect(spa.status).toBe(200);
    expect(await spa.text()).toContain('<div id="app">');
    const apiMissing = await fetch(`${baseUrl}/api/nothing`, {
      headers: { authorization: `Bearer ${VIEWER_TOKEN}` },
    });
    expect(apiMissing.status).toBe(404);
  });
});
