import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiComponent } from '@faultline/api';
import {
  ALARM_SELECT_COLUMNS,
  alarmFromRow,
  channels,
  type AlarmChange,
  type AlarmRow,
} from '@faultline/shared';
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
/** The table's row height (AlarmTable.svelte's ROW_PX). */
const ROW_PX = 64;

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

  // The table's order: critical first (devices dev-4, dev-8, …), then major (dev-1, dev-5, …),
  // minor (dev-2, …) and warning (dev-3, …), each newest first (dev-n was last seen n ms ago).
  it('shows, filters and scrolls to the right rows of the window, live', async () => {
    const problems = collectPageProblems(page);
    const scroller = page.getByTestId('alarm-scroller');
    /** Scrolls the table to a row (0 first) and checks which device it shows, in view. */
    const scrollTo = async (position: number, device: string): Promise<void> => {
      await scroller.evaluate((element: { scrollTop: number }, top: number) => {
        element.scrollTop = top;
      }, position * ROW_PX);
      const row = page.locator(`tr[aria-rowindex="${String(position + 2)}"]`);
      await row.locator('td.device', { hasText: new RegExp(`^${device}$`) }).waitFor();
      const [box, view] = await Promise.all([row.boundingBox(), scroller.boundingBox()]);
      expect(box !== null && view !== null && box.y >= view.y && box.y < view.y + view.height).toBe(
        true,
      );
      expect(await page.locator('tr[data-alarm-id]').count()).toBeLessThan(100);
    };

    await page.goto(`${baseUrl}/?token=${VIEWER_TOKEN}`);
    await page.locator(`[data-testid="alarm-scroller"][data-rows="${String(ALARMS)}"]`).waitFor();
    await scrollTo(0, 'dev-4');
    await scrollTo(1, 'dev-8');
    await scrollTo(2500, 'dev-1');
    await scrollTo(5001, 'dev-6');
    await scrollTo(ALARMS - 1, 'dev-9999');
    await scrollTo(7500, 'dev-3');

    // On the on-call page: warnings whose device holds "dev-99": dev-99, dev-991, dev-995,
    // dev-999 and the 25 of dev-9903 … dev-9999.
    await page.goto(`${baseUrl}/oncall?token=${VIEWER_TOKEN}`);
    const alarms = page.locator('section.alarms');
    await alarms.getByLabel('Severity').selectOption('warning');
    await alarms.getByLabel('Search').fill('dev-99');
    await page.locator('[data-testid="alarm-scroller"][data-rows="29"]').waitFor();
    await scrollTo(0, 'dev-99');
    await scrollTo(3, 'dev-999');
    await scrollTo(28, 'dev-9999');

    // Live: dev-9999 escalated to critical leaves the warnings; dev-9995 is now the last.
    const row = await fixture.pool.query<AlarmRow>(
      `SELECT ${ALARM_SELECT_COLUMNS} FROM alarms WHERE device = 'dev-9999'`,
    );
    const [found] = row.rows;
    if (found === undefined) throw new Error('dev-9999 is not in the database');
    const escalated = alarmFromRow(found);
    await fixture.change('escalated', { ...escalated, severity: 'critical', count: 2 });
    await page.locator('[data-testid="alarm-scroller"][data-rows="28"]').waitFor();
    await scrollTo(27, 'dev-9995');
    expect(problems).toEqual([]);
  });
});
