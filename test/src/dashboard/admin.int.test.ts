import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DASHBOARD_DIR, type ApiComponent } from '@faultline/api';
import { createLogger, discoveryKeys, type DiscoveryRunRecord } from '@faultline/shared';
import { createSimulator, type Simulator } from '@faultline/simulator';
import { collectPageProblems, launchBrowser } from '../support/browser.js';
import { isolatedExampleConfig } from '../simulator/example-network.js';
import { listenForTraps, type TrapListener } from '../simulator/snmp-peers.js';
import {
  ADMIN_TOKEN,
  createApiFixture,
  startApi,
  VIEWER_TOKEN,
  type ApiFixture,
} from '../api/harness.js';

const WAIT = { timeout: 20_000 };

let browser: Browser;
let fixture: ApiFixture;
let simulator: Simulator;
let traps: TrapListener;
let api: ApiComponent;
let baseUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(DEFAULT_DASHBOARD_DIR, 'index.html'))) {
    throw new Error('the dashboard is not built: run `npm run build -w dashboard`');
  }
  browser = await launchBrowser();
  fixture = await createApiFixture();
  traps = await listenForTraps();
  // The simulator listens on the api's control topic: both use the fixture's unique prefix.
  simulator = createSimulator({
    config: await isolatedExampleConfig(),
    trapTarget: { host: '127.0.0.1', port: traps.port },
    logger: createLogger({ level: 'silent' }),
    mqtt: {
      url: fixture.settings.mqttUrl,
      intervalMs: 3_600_000,
      prefix: fixture.settings.prefix,
    },
  });
  await simulator.start();
  ({ api, baseUrl } = await startApi(fixture));
});

afterAll(async () => {
  for (const context of contexts.splice(0)) await context.close();
  await browser.close();
  await api.stop();
  await simulator.stop();
  await traps.close();
  await fixture.close();
});

async function open(pathname: string, token: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${baseUrl}${pathname}?token=${token}`);
  return { page, problems };
}

describe('admin page', () => {
  it("lists the simulator's scenarios and shows its answer to a run", async () => {
    const { page, problems } = await open('/admin', ADMIN_TOKEN);
    await page.getByRole('heading', { name: 'Simulator scenarios' }).waitFor();
    const row = page.locator('tr[data-scenario="flapping-port"]');
    await row.waitFor(WAIT);
    expect(await page.locator('tr[data-scenario]').count()).toBe(8);
    expect((await row.innerText()).length).toBeGreaterThan('flapping-port'.length);
    await page.getByRole('link', { name: 'Admin' }).waitFor();

    // Keyboard only: type the speed-up, then tab to the button and press Enter.
    await page.getByLabel('Speed-up (optional)').fill('100');
    await page.getByRole('button', { name: 'Run flapping-port' }).focus();
    await page.keyboard.press('Enter');
    const status = page.getByRole('status');
    await status.waitFor(WAIT);
    expect(await status.innerText()).toContain(
      'Started flapping-port: 12 steps over 600 ms (speed-up 100×)',
    );
    expect(problems).toEqual([]);
  });

  it('shows discovery’s proposal and approves the ticked changes, recording who', async () => {
    // A finished run as the collector keeps it: the config's devices and one more.
    const progress = {
      runId: 'run-1',
      trigger: 'scheduled' as const,
      startedAt: '2026-12-07T04:00:00.000Z',
      finishedAt: '2026-12-07T04:00:03.000Z',
      total: 32,
      probed: 32,
      found: fixture.config.devices.length + 1,
      failed: 0,
    };
    const device = (name: string, address: string) => ({
      name,
      address,
      sysObjectId: '1.3.6.1.4.1.8072.3.2.10',
      sysDescr: name,
      credential: 0,
      interfaces: [],
    });
    const run: DiscoveryRunRecord = {
      progress,
      devices: [
        ...fixture.config.devices.map((d) => device(d.name, d.address)),
        device('agg-9', '127.0.1.19'),
      ],
      links: fixture.config.links.map((l) => ({ ...l, confirmed: true })),
      unresolved: [],
      failures: [],
    };
    const keys = discoveryKeys(fixture.settings.prefix);
    await fixture.redis.set(keys.progress, JSON.stringify(progress));
    await fixture.redis.set(keys.lastRun, JSON.stringify(run));

    const { page, problems } = await open('/admin', ADMIN_TOKEN);
    const proposal = page.getByTestId('proposal');
    await proposal.waitFor(WAIT);
    expect(await page.getByTestId('discovery-progress').innerText()).toBe(
      `finished (scheduled): probed 32 of 32 addresses, ${String(progress.found)} devices found`,
    );
    expect(await proposal.locator('tbody tr').allInnerTexts()).toEqual([
      '\tnew device agg-9 at 127.0.1.19',
    ]);
    await page.getByRole('button', { name: 'Approve 1 of 1' }).click();
    await page
      .getByText('Nothing proposed: the last run matches the topology in use.')
      .waitFor(WAIT);
    await page.getByText(/In use: approval 1 by admin at/).waitFor(WAIT);
    const { rows } = await fixture.pool.query<{ approved_by: string; change_ids: string[] }>(
      'SELECT approved_by, change_ids FROM topology_approvals',
    );
    expect(rows).toEqual([{ approved_by: 'admin', change_ids: ['+device:agg-9'] }]);
    expect(problems).toEqual([]);
  });

  it('hides the Admin link from a viewer', async () => {
    const { page } = await open('/', VIEWER_TOKEN);
    await page.getByTestId('caller').waitFor(WAIT);
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  });
});
