import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DASHBOARD_DIR } from '@faultline/api';
import { collectPageProblems, launchBrowser } from '../support/browser.js';
import { linkDownEvent } from '../correlator/incident-harness.js';
import { createIncidentWorld, TOKENS, type IncidentWorld } from '../api/incident-world.js';

const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));
const WAIT = { timeout: 20_000, interval: 100 };
/** An iPhone 12–15 sized screen, the phone. */
const PHONE = { width: 390, height: 844 };
/** The smallest tap target (WCAG 2.5.5, Apple's and Android's guidelines: 44 CSS px). */
const TAP_PX = 44;

/** Screenshots for the README, only when asked for (`FAULTLINE_SCREENSHOTS=1`), as in wall.int. */
async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.FAULTLINE_SCREENSHOTS === '1') {
    await page.screenshot({ path: path.join(DOCS, name) });
  }
}

let browser: Browser;
let world: IncidentWorld;
let baseUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(DEFAULT_DASHBOARD_DIR, 'index.html'))) {
    throw new Error('the dashboard is not built: run `npm run build -w dashboard`');
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
});

beforeEach(async () => {
  world = await createIncidentWorld();
  ({ baseUrl } = await world.listen());
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  await world.close();
});

/** A phone: a 390×844 touch screen (device scale 2 keeps the screenshots small). */
async function openOnPhone(pathname: string, token: string) {
  const context = await browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${baseUrl}${pathname}?token=${token}`);
  return { page, problems };
}

/** Cuts agg-2 and access-3 off through the real correlator; resolves with the incident's id. */
async function fibreCut(): Promise<string> {
  await world.harness.startCorrelator();
  await world.harness.addBatch([
    linkDownEvent('core-1', 'xe-0/0/2'),
    linkDownEvent('core-2', 'xe-0/0/3'),
    linkDownEvent('agg-2', 'ge-0/0/1'),
  ]);
  return vi.waitFor(async () => {
    const rows = await world.harness.query<{ id: string }>('SELECT id FROM incidents');
    expect(rows).toHaveLength(1);
    return rows[0]?.id ?? '';
  }, WAIT);
}

interface PhoneProblems {
  scrollWidth: number;
  small: string[];
  tinyText: string[];
}

/**
 * What makes a page unusable on a phone: its width beyond the screen (a horizontal scroll),
 * visible controls smaller than a finger, and text below 12 px. Each finding names the element.
 * Run in the page (plain JavaScript: the test project has no DOM types).
 */
const PHONE_PROBLEMS = `(() => {
  const describe = (element) =>
    element.tagName.toLowerCase() + ' "' + (element.textContent ?? '').trim().slice(0, 30) + '"';
  const small = [];
  for (const element of document.querySelectorAll('a, button, select, input, textarea')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue; // not rendered
    if (box.width < ${String(TAP_PX)} || box.height < ${String(TAP_PX)}) {
      small.push(describe(element) + ' ' + box.width.toFixed(0) + '×' + box.height.toFixed(0));
    }
  }
  const tinyText = [];
  for (const element of document.querySelectorAll('body *')) {
    const hasText = [...element.childNodes].some(
      (node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '',
    );
    if (!hasText || element.getClientRects().length === 0) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < 12) tinyText.push(describe(element) + ' ' + size + 'px');
  }
  return { scrollWidth: document.scrollingElement.scrollWidth, small, tinyText };
})()`;

async function phoneProblems(page: Page): Promise<PhoneProblems> {
  return page.evaluate<PhoneProblems>(PHONE_PROBLEMS);
}

describe('phone-first on-call pages (390×844)', () => {
  it('fit the on-call console and the incident page on the screen, and acknowledge in one tap', async () => {
    const id = await fibreCut();
    const { page, problems } = await openOnPhone('/oncall', TOKENS.engineer);
    const row = page.locator(`[data-incident-id="${id}"]`);
    await row.waitFor();
    await page.locator('[data-testid="alarm-scroller"] [data-alarm-id]').first().waitFor();
    expect(await phoneProblems(page)).toEqual({
      scrollWidth: PHONE.width,
      small: [],
      tinyText: [],
    });
    // The alarms keep readable columns (the issue: they shrank to one character).
    const device = page.locator('[data-testid="alarm-scroller"] td.device').first();
    expect((await device.boundingBox())?.width).toBeGreaterThanOrEqual(80);
    await screenshot(page, 'oncall-phone.png');

    await row.locator('a').first().tap();
    await page.getByTestId('root-cause-tree').locator('[data-role="root"]').first().waitFor();
    expect(await phoneProblems(page)).toEqual({
      scrollWidth: PHONE.width,
      small: [],
      tinyText: [],
    });
    // Acknowledge is on the first screen, and one tap does it.
    const acknowledge = page.getByRole('button', { name: 'Acknowledge', exact: true });
    const box = await acknowledge.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? Infinity) + (box?.height ?? 0)).toBeLessThanOrEqual(PHONE.height);
    await acknowledge.tap();
    await page.locator('[data-testid="incident-state"][data-state="acknowledged"]').waitFor();
    await screenshot(page, 'incident-phone.png');
    expect(problems).toEqual([]);
  });
});
