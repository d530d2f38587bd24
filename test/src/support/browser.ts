import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEFAULT_DASHBOARD_DIR } from '@faultline/api';

const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));

/** Debian's chromium; playwright cannot download its own browsers on this machine. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Launches headless chromium for a browser test, with a fresh temporary profile and nothing
 * that phones home. Close it in `afterAll`/`afterEach`.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/**
 * Collects what a page reports as wrong: uncaught errors, console errors (where chromium
 * reports Content-Security-Policy violations) and failed requests. Tests assert it stays empty.
 */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  return problems;
}

/** Launches the browser for a dashboard test, once the dashboard is built (the api serves it). */
export async function launchDashboardBrowser(): Promise<Browser> {
  if (!existsSync(path.join(DEFAULT_DASHBOARD_DIR, 'index.html'))) {
    throw new Error('the dashboard is not built: run `npm run build -w dashboard`');
  }
  return launchBrowser();
}

/**
 * Writes a screenshot for docs/ (`docs/<name>`), only when asked for with
 * `FAULTLINE_SCREENSHOTS=1`: a test run must not change the working tree.
 */
export async function screenshotForDocs(page: Page, name: string): Promise<void> {
  if (process.env.FAULTLINE_SCREENSHOTS === '1') {
    await page.screenshot({ path: path.join(DOCS, name) });
  }
}
