import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ApiComponent } from '@faultline/api';
import { collectPageProblems, launchBrowser } from '../support/browser.js';
import { createApiFixture, startApi, VIEWER_TOKEN, type ApiFixture } from '../api/harness.js';

let fixture: ApiFixture;
let api: ApiComponent;
let baseUrl: string;

beforeEach(async () => {
  fixture = await createApiFixture();
  ({ api, baseUrl } = await startApi(fixture, { dashboardDir: null }));
});

afterEach(async () => {
  await api.stop();
  await fixture.close();
});

it('the API docs page asks for a token and renders the OpenAPI document under the strict CSP', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const problems = collectPageProblems(page);
    await page.goto(`${baseUrl}/api/docs`);
    await page.getByLabel('Token').fill('not-a-token-at-all');
    await page.getByRole('button', { name: 'Show the API' }).click();
    await page.getByRole('alert').filter({ hasText: 'That token was refused.' }).waitFor();
    await page.getByLabel('Token').fill(VIEWER_TOKEN);
    await page.getByRole('button', { name: 'Show the API' }).click();
    await page.getByText('/api/incidents/{id}/acknowledge').waitFor();
    expect(await page.locator('section.op').count()).toBeGreaterThan(10);
    // The refused attempt is the only problem the page reports (its 401 answer).
    expect(problems.filter((problem) => !problem.includes('401'))).toEqual([]);
  } finally {
    await browser.close();
  }
});
