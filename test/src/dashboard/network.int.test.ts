import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  UPSERT_INCIDENT,
  incidentParams,
  type Incident,
  type InterfaceTraffic,
  type Severity,
} from '@faultline/shared';
import { launchDashboardBrowser, screenshotForDocs } from '../support/browser.js';
import { sampleAlarm, sampleIncident, upsertAlarm } from '../api/harness.js';
import { TOKENS, type IncidentWorld } from '../api/incident-world.js';
import {
  WALL_VIEWPORT,
  createDashboardWorld,
  type DashboardWorld,
  type Viewport,
} from './dashboard-world.js';

const PHONE = { width: 390, height: 844 };

let browser: Browser;
let dashboard: DashboardWorld;
let world: IncidentWorld;

beforeAll(async () => {
  browser = await launchDashboardBrowser();
});

afterAll(async () => {
  await browser.close();
});

beforeEach(async () => {
  // A port down and a weak optic on the agg-2 uplink to core-1, both for the last ten minutes.
  dashboard = await createDashboardWorld(browser, ['access-3 ge-0/0/1'], ['agg-2 xe-0/0/48']);
  ({ world } = dashboard);
});

afterEach(async () => {
  await dashboard.close();
});

const open = (pathname: string, token: string, viewport?: Viewport) =>
  dashboard.open(pathname, token, viewport);

/** A rate as the chart's legend writes it (`183 Mbit/s`), back to bits per second. */
function parseRate(text: string): number {
  const match = /^(-?[\d.]+) (bit|kbit|Mbit|Gbit)\/s$/.exec(text.trim());
  if (match?.[1] === undefined || match[2] === undefined) throw new Error(`not a rate: ${text}`);
  const scale = { bit: 1, kbit: 1e3, Mbit: 1e6, Gbit: 1e9 }[match[2]] ?? Number.NaN;
  return Number(match[1]) * scale;
}

/**
 * Pixels of the chart's canvas near a colour (anti-aliasing blends the edges). Run in the page as
 * plain JavaScript: the test project has no DOM types.
 */
async function countColour(page: Page, hex: string): Promise<number> {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return page.evaluate<number>(`(() => {
    const canvas = document.querySelector('[data-testid="traffic-chart"] canvas');
    if (canvas === null) return 0;
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - ${String(r)}) < 24 && Math.abs(data[i + 1] - ${String(g)}) < 24 &&
          Math.abs(data[i + 2] - ${String(b)}) < 24) count += 1;
    }
    return count;
  })()`);
}

describe('device and interface pages', () => {
  it('opens a device from the map: interfaces with status, speed and the services they carry', async () => {
    const { page, problems } = await open('/wall', TOKENS.viewer);
    await page.locator('[data-node="access-3"]').click();
    await page.getByTestId('device-page').getByRole('heading', { name: 'access-3' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/devices/access-3');
    const row = (name: string) => page.locator(`tr[data-interface="${name}"]`);
    await row('ge-0/0/24').getByText('▲ Up').waitFor();
    const office = await row('ge-0/0/1').innerText();
    expect(office).toContain('▼ Down');
    expect(office).toContain('100 Mbit/s');
    expect(office).toContain('Initech: Office internet');
    expect(await row('ge-0/0/24').innerText()).toMatch(/\d+(\.\d+)? Mbit\/s/);
    expect(problems).toEqual([]);
  });

  it("draws an interface's traffic from the data's points, with the 95th of the service billed on it", async () => {
    const { page, problems } = await open('/devices/access-1', TOKENS.viewer);
    await page.locator('tr[data-interface="ge-0/0/1"] a').click();
    await page
      .getByTestId('interface-page')
      .getByRole('heading', { name: 'access-1 ge-0/0/1' })
      .waitFor();
    await page.getByRole('button', { name: 'Hour' }).click();
    expect(new URL(page.url()).search).toBe('?range=hour');
    const traffic = await page.evaluate(async (token) => {
      const answer = await fetch('/api/devices/access-1/interfaces/1/traffic?range=hour', {
        headers: { authorization: `Bearer ${token}` },
      });
      return (await answer.json()) as InterfaceTraffic;
    }, TOKENS.viewer);
    const readings =
      traffic.inBps.filter((v) => v !== null).length +
      traffic.outBps.filter((v) => v !== null).length;
    expect(readings).toBeGreaterThan(100);
    const chart = page.locator(`[data-testid="traffic-chart"][data-points="${String(readings)}"]`);
    await chart.waitFor();
    // The 95th of ACME's burstable plan (max of in and out) is listed and drawn.
    const [billed] = traffic.percentiles;
    expect(billed).toMatchObject({ customerName: 'ACME Logistics', direction: 'max' });
    expect(await page.getByTestId('percentile').innerText()).toContain(
      '95th of ACME Logistics: 1G IP transit (max)',
    );
    expect(await countColour(page, '#3ecf6e')).toBeGreaterThan(200);
    expect(await countColour(page, '#4fb3ff')).toBeGreaterThan(200);
    expect(await countColour(page, '#ff8a00')).toBeGreaterThan(100);
    // The cursor over a step shows that step's reading: the chart plots the answer's points.
    const over = await page.locator('.u-over').boundingBox();
    if (over === null) throw new Error('no plot area');
    const last = traffic.timeMs.length - 1;
    for (const index of [10, 30, 50]) {
      const expected = traffic.inBps[index];
      if (expected === null || expected === undefined) continue;
      await page.mouse.move(over.x + (over.width * index) / last, over.y + over.height / 2);
      const shown = await page
        .locator('.u-legend .u-series')
        .nth(1)
        .locator('.u-value')
        .innerText();
      expect(Math.abs(parseRate(shown) - expected) / expected).toBeLessThan(0.01);
    }
    await page.mouse.move(0, 0);
    await screenshotForDocs(page, 'interface.png');
    expect(problems).toEqual([]);
  });

  it('fits a device page on a phone', async () => {
    const { page, problems } = await open('/devices/access-1', TOKENS.viewer, PHONE);
    await page
      .locator('tr[data-interface="ge-0/0/1"]')
      .getByText('ACME Logistics: 1G IP transit')
      .waitFor();
    const sideways = await page.evaluate<boolean>(
      'document.documentElement.scrollWidth > document.documentElement.clientWidth',
    );
    expect(sideways).toBe(false);
    await screenshotForDocs(page, 'device-phone.png');
    expect(problems).toEqual([]);
  });
});

const SEVERITIES: Severity[] = [
  'critical',
  'major',
  'minor',
  'warning',
  'major',
  'minor',
  'critical',
  'minor',
  'major',
  'warning',
  'minor',
  'major',
  'minor',
  'warning',
];

/** Fourteen open incidents, opened a minute apart; the second impacts Initech's office line. */
function incidents(): Incident[] {
  const start = Date.now() - 60 * 60_000;
  return SEVERITIES.map((severity, i) => {
    const at = new Date(start + i * 60_000).toISOString();
    return sampleIncident({
      id: `inc-wall-${String(i).padStart(2, '0')}`,
      title: `Fault ${String(i)}`,
      severity,
      impactedServices: i === 1 ? [{ customerId: 'initech', serviceId: 'initech-office' }] : [],
      openedAt: at,
      updatedAt: at,
    });
  });
}

/** Stores an incident and its root alarm as the correlator would; the wall reads them at connect. */
async function store(incident: Incident): Promise<void> {
  await upsertAlarm(world.pool, sampleAlarm({ id: incident.primaryAlarmId }));
  await world.pool.query(UPSERT_INCIDENT, incidentParams(incident));
}

describe('the wall', () => {
  it('shows the worst and newest incidents that fit, "+N more" for the rest, customers by name', async () => {
    for (const incident of incidents()) await store(incident);
    const { page, problems } = await open('/wall', TOKENS.viewer);
    const more = page.getByTestId('more-incidents');
    await more.waitFor();
    const cards = page.locator('article[data-incident-id]:not(.overflowed)');
    const shownCards = await cards.all();
    const shown = await Promise.all(
      shownCards.map((card) => card.getAttribute('data-incident-id')),
    );
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.length).toBeLessThan(14);
    // Critical first, newest first: fault 6, then fault 0; then the majors, newest first.
    expect(shown.slice(0, 3)).toEqual(['inc-wall-06', 'inc-wall-00', 'inc-wall-11']);
    const hiddenCount = 14 - shown.length;
    expect(await more.innerText()).toMatch(new RegExp(`^\\+${String(hiddenCount)} more: `));
    // Every shown card ends above the "+N more" line, which is on the screen.
    const line = await more.boundingBox();
    if (line === null) throw new Error('no +N more line');
    expect(line.y + line.height).toBeLessThanOrEqual(WALL_VIEWPORT.height);
    for (const card of shownCards) {
      const box = await card.boundingBox();
      expect((box?.y ?? Infinity) + (box?.height ?? 0)).toBeLessThanOrEqual(line.y);
    }
    // The hidden ones are the least severe: the line counts warnings, and no critical.
    expect(await more.innerText()).toContain('3 warning');
    expect(await more.innerText()).not.toContain('critical');
    expect(problems).toEqual([]);
  });

  it("names an incident's customers and services", async () => {
    const [, initech] = incidents();
    if (initech === undefined) throw new Error('no incident');
    await store(initech);
    const { page } = await open('/wall', TOKENS.viewer);
    await page
      .locator('article[data-incident-id]')
      .getByText(/1 customer down: Initech: Office internet/)
      .waitFor();
  });

  it('shows the network at a glance: busiest links against capacity, interfaces down', async () => {
    const { page, problems } = await open('/wall', TOKENS.viewer);
    const health = page.getByTestId('network-health');
    await health.locator('li[data-interface="agg-1 ge-0/0/1"]').waitFor();
    expect(await health.locator('li').first().getAttribute('data-interface')).toBe(
      'agg-1 ge-0/0/1',
    );
    expect(await health.locator('li').first().innerText()).toMatch(/\d+ %/);
    expect(await health.getByTestId('interfaces-down').innerText()).toContain('access-3 ge-0/0/1');
    expect(await health.getByTestId('unreachable').innerText()).toContain(
      'All 7 devices reachable',
    );
    expect(problems).toEqual([]);
  });

  it('shows the interfaces with errors and discards on the wall, each opening its page', async () => {
    const { page, problems } = await open('/wall', TOKENS.viewer);
    const errored = page.getByTestId('network-health').getByTestId('errored');
    const uplink = errored.locator('li[data-interface="agg-2 xe-0/0/48"]');
    await uplink.waitFor();
    expect(await errored.locator('li').count()).toBe(1);
    // 30 or 31 errors a second, alternating: the five-minute mean is in between.
    expect(await uplink.innerText()).toMatch(
      /agg-2 xe-0\/0\/48\s+3[01]\/s errors in · 2\.0\/s discards out/,
    );
    await uplink.getByRole('link').click();
    await page.getByTestId('traffic-chart').waitFor();
    expect(new URL(page.url()).pathname).toBe('/devices/agg-2/interfaces/48');
    expect(problems).toEqual([]);
  });

  it("shows each interface's errors and discards on its device page", async () => {
    const { page, problems } = await open('/devices/agg-2', TOKENS.viewer);
    const row = (name: string) => page.locator(`tr[data-interface="${name}"]`);
    const uplink = row('xe-0/0/48');
    await uplink.getByTestId('errors').getByText(/in ·/).waitFor();
    expect(await uplink.getByTestId('errors').innerText()).toMatch(/^3[01]\/s in · 0\/s out$/);
    expect(await uplink.getByTestId('discards').innerText()).toBe('0/s in · 2.0/s out');
    expect(await row('xe-0/0/49').getByTestId('errors').innerText()).toBe('0/s in · 0/s out');
    expect(problems).toEqual([]);
  });
});

describe('navigation by role', () => {
  const links = async (page: Page) =>
    page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allInnerTexts();

  it.each([
    ['viewer', TOKENS.viewer, ['Alarms', 'On-call', 'Wall', 'API']],
    ['billing', TOKENS.billing, ['Alarms', 'On-call', 'Wall', 'Billing', 'API']],
    ['admin', TOKENS.admin, ['Alarms', 'On-call', 'Wall', 'Billing', 'Admin', 'API']],
  ])('shows %s only the pages it may use', async (_, token, expected) => {
    const { page } = await open('/oncall', token);
    await page.getByTestId('caller').waitFor();
    expect(await links(page)).toEqual(expected);
  });

  it('tells a viewer plainly that the billing desk is not for its role', async () => {
    const { page } = await open('/billing', TOKENS.viewer);
    await page
      .getByTestId('refused')
      .getByText('Your role (viewer) may not use the billing desk.')
      .waitFor();
    expect(await page.getByText('No live billing view yet').count()).toBe(0);
  });
});
