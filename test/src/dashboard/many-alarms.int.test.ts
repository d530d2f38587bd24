import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiComponent } from '@faultline/api';
import { channels, type AlarmChange } from '@faultline/shared';
import { collectPageProblems, launchBrowser } from '../support/browser.js';
import {
  createApiFixture,
  insertActiveAlarms,
  sampleAlarm,
  startApi,
  VIEWER_TOKEN,
  type ApiFixture,
} from '../api/harness.js';

const ALARMS = 10_000;

let browser: Browser;
let fixture: ApiFixture;
let api: ApiComponent;
let baseUrl: string;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
});

beforeEach(async () => {
  fixture = await createApiFixture();
  await insertActiveAlarms(fixture.pool, ALARMS);
  ({ api, baseUrl } = await startApi(fixture));
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
});

afterEach(async () => {
  await page.close();
  await api.stop();
  await fixture.close();
});

describe('alarm view with 10,000 open alarms', () => {
  it('renders only the rows in view, scrolls to the last one, and applies a storm of changes', async () => {
    const problems = collectPageProblems(page);
    await page.goto(`${baseUrl}/?token=${VIEWER_TOKEN}`);
    const scroller = page.getByTestId('alarm-scroller');
    await page.locator(`[data-testid="alarm-scroller"][data-rows="${String(ALARMS)}"]`).waitFor();
    expect(await page.locator('tr[data-alarm-id]').count()).toBeLessThan(100);

    // Runs in the page; the test's own types are Node's, without the DOM.
    await scroller.evaluate((element: { scrollTop: number; scrollHeight: number }) => {
      element.scrollTop = element.scrollHeight;
    });
    const lastRow = page.locator(`tr[aria-rowindex="${String(ALARMS + 1)}"]`);
    await lastRow.waitFor();
    expect(await page.locator('tr[data-alarm-id]').count()).toBeLessThan(100);

    // A storm of 2,000 new alarms arrives in a few coalesced batches.
    const storm = fixture.redis.pipeline();
    for (let index = 0; index < 2000; index++) {
      const change: AlarmChange = {
        kind: 'raised',
        alarm: sampleAlarm({ device: `storm-${String(index)}`, severity: 'critical' }),
      };
      storm.publish(channels(fixture.settings.prefix).alarms, JSON.stringify(change));
    }
    await storm.exec();
    await page
      .locator(`[data-testid="alarm-scroller"][data-rows="${String(ALARMS + 2000)}"]`)
      .waitFor();
    expect(await page.locator('[data-severity="critical"]').getAttribute('data-count')).toBe(
      String(ALARMS / 4 + 2000),
    );
    expect(problems).toEqual([]);
  });
});
