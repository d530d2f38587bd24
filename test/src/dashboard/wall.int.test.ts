import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiComponent } from '@faultline/api';
import { createTimelineSignal } from '@faultline/correlator';
import { ADD_TICKET_EVENT, createLogger } from '@faultline/shared';
import { launchDashboardBrowser, screenshotForDocs } from '../support/browser.js';
import { linkDownEvent } from '../correlator/incident-harness.js';
import { TOKENS, type IncidentWorld } from '../api/incident-world.js';
import { createDashboardWorld, type DashboardWorld } from './dashboard-world.js';

// The screenshots docs/wall.png, oncall.png and alarms.png come from these tests when asked for:
// FAULTLINE_SCREENSHOTS=1 npx vitest run test/src/dashboard/wall.int.test.ts
const WAIT = { timeout: 20_000, interval: 100 };
let browser: Browser;
let dashboard: DashboardWorld;
let world: IncidentWorld;
let api: ApiComponent;

beforeAll(async () => {
  browser = await launchDashboardBrowser();
});

afterAll(async () => {
  await browser.close();
});

beforeEach(async () => {
  // Polled traffic for the wall's health panel, the fibre cut's links down.
  dashboard = await createDashboardWorld(browser, [
    'core-1 xe-0/0/2',
    'core-2 xe-0/0/3',
    'agg-2 ge-0/0/1',
  ]);
  ({ world, api } = dashboard);
});

afterEach(async () => {
  await dashboard.close();
});

const open = (pathname: string, token: string) => dashboard.open(pathname, token);

/** Cuts agg-2 and access-3 off through the real correlator; resolves once the incident exists. */
async function fibreCut(): Promise<void> {
  await world.harness.startCorrelator();
  await world.harness.addBatch([
    linkDownEvent('core-1', 'xe-0/0/2'),
    linkDownEvent('core-2', 'xe-0/0/3'),
    linkDownEvent('agg-2', 'ge-0/0/1'),
  ]);
  await vi.waitFor(async () => {
    const rows = await world.harness.query<{ id: string }>('SELECT id FROM incidents');
    expect(rows).toHaveLength(1);
  }, WAIT);
}

describe('NOC wall', () => {
  it('shows an incident with its root cause, its customers and the map in alarm colours', async () => {
    const { page, problems } = await open('/wall', TOKENS.viewer);
    await page.getByText('No active incidents').waitFor();
    // No port errored or discarded in the polls: the health panel says so in words.
    await page
      .getByTestId('network-health')
      .getByText('No errors or discards in the last 5 min')
      .waitFor();
    await fibreCut();
    const card = page.locator('article[data-incident-id]');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('Root cause: core-');
    expect(text).toContain('1 customer down: Initech: Office internet');
    expect(text).toContain('Not acknowledged');
    // The cut uplinks and the device behind them take their alarm colour on the map.
    await page.locator('[data-node="agg-2"]:not([data-status="ok"])').waitFor();
    await page.locator('[data-link="core-1-agg-2"][data-status="major"]').waitFor();
    // Cut off by the incident, access-3 sends nothing: it shows as unreachable, never as OK.
    const cutOff = page.locator('[data-node="access-3"][data-unreachable="true"]');
    await cutOff.waitFor();
    expect(await cutOff.textContent()).toContain('Unreachable');
    expect(await cutOff.textContent()).not.toContain('OK');
    expect(await page.locator('[data-node="core-2"]').getAttribute('data-status')).not.toBe(
      'critical',
    );
    // The health panel beside the map says so too, without waiting for its next 30 s read.
    const unreachable = page.getByTestId('network-health').getByTestId('unreachable');
    for (const name of ['agg-2', 'access-3'])
      await unreachable.getByRole('link', { name, exact: true }).waitFor();
    await screenshotForDocs(page, 'wall.png');
    expect(problems).toEqual([]);
  });

  it('shows an acknowledge made in the on-call view without reload (two pages)', async () => {
    await fibreCut();
    const wall = await open('/wall', TOKENS.viewer);
    const card = wall.page.locator('article[data-incident-id]');
    await card.and(wall.page.locator('[data-state="open"]')).waitFor();
    const id = await card.getAttribute('data-incident-id');
    if (id === null) throw new Error('the card has no incident id');

    const oncall = await open('/oncall', TOKENS.engineer);
    await oncall.page.locator(`tr[data-incident-id="${id}"] a`).click();
    await oncall.page
      .getByTestId('root-cause-tree')
      .locator('[data-role="root"]')
      .first()
      .waitFor();
    await oncall.page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await oncall.page
      .locator('[data-testid="incident-state"][data-state="acknowledged"]')
      .waitFor();

    await card.and(wall.page.locator('[data-state="acknowledged"]')).waitFor();
    expect(await card.innerText()).toContain('Acknowledged by alice');
    // The timeline entry is written by the tickets worker after the change both pages follow; the
    // worker's "timeline grew" signal makes the open page read it, with no reload.
    await oncall.page.getByTestId('timeline').getByText('Acknowledged by alice').waitFor();
    await screenshotForDocs(oncall.page, 'oncall.png');
    expect(wall.problems).toEqual([]);
    expect(oncall.problems).toEqual([]);
  });

  it('shows a timeline entry written after the incident changed, told by the timeline signal', async () => {
    const correlator = await world.harness.startCorrelator();
    await world.harness.addBatch([linkDownEvent('core-1', 'xe-0/0/2')]);
    const [incident] = await vi.waitFor(async () => {
      const rows = await world.harness.query<{ id: string; ticket_id: string }>(
        "SELECT i.id, i.ticket_id FROM incidents i JOIN ticket_events e ON e.ticket_id = i.ticket_id AND e.kind = 'opened'",
      );
      expect(rows).toHaveLength(1);
      return rows;
    }, WAIT);
    if (incident === undefined) throw new Error('no incident');
    // Nothing else writes or signals from here on.
    await correlator.stop();
    const { page, problems } = await open(`/incidents/${incident.id}`, TOKENS.engineer);
    await page.getByTestId('timeline').getByText('Opened:').waitFor();

    // An entry written later, as the tickets worker or paging does, then their signal.
    await world.harness.query(ADD_TICKET_EVENT, [
      incident.ticket_id,
      'test-later-entry',
      new Date().toISOString(),
      'comment',
      'carol',
      'Field team on the way',
    ]);
    await createTimelineSignal({
      redis: world.redis,
      prefix: world.harness.settings.prefix,
      logger: createLogger({ level: 'silent' }),
    })(incident.id);
    await page.getByTestId('timeline').getByText('Field team on the way').waitFor();
    expect(problems).toEqual([]);
  });

  it('warns that the data may be stale when the connection is lost', async () => {
    await fibreCut();
    const { page } = await open('/wall', TOKENS.viewer);
    await page.locator('article[data-incident-id]').waitFor();
    await api.stop();
    await page
      .locator('[data-testid="connection-banner"][data-connection="disconnected"]')
      .waitFor();
    // The incident stays on screen, under the warning.
    expect(await page.locator('article[data-incident-id]').count()).toBe(1);
  });
});

describe('alarm view', () => {
  it('shows the alarms of a fault with their explanations', async () => {
    await fibreCut();
    const { page, problems } = await open('/', TOKENS.engineer);
    await page.locator('tr[data-alarm-id]').nth(2).waitFor();
    expect(await page.locator('tr[data-alarm-id]').count()).toBe(3);
    await screenshotForDocs(page, 'alarms.png');
    expect(problems).toEqual([]);
  });
});
