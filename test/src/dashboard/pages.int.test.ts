import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DASHBOARD_DIR } from '@faultline/api';
import { loadPagingKeys, type Config } from '@faultline/shared';
import { collectPageProblems, launchBrowser } from '../support/browser.js';
import { startPageReceivers, type PageReceivers } from '../support/page-receivers.js';
import { linkDownEvent } from '../correlator/incident-harness.js';
import { createIncidentWorld, TOKENS, type IncidentWorld } from '../api/incident-world.js';

const WAIT = { timeout: 20_000, interval: 100 };
const DAY_MS = 86_400_000;
const PHONE = { width: 390, height: 844 };

/** Alice (the engineer token's name) holds the `noc` pager for 30 days from yesterday, then bob. */
function paging(receivers: PageReceivers): Partial<Config['paging']> {
  return {
    publicUrl: 'https://noc.test',
    people: [{ name: 'alice' }, { name: 'bob' }],
    rotations: [
      {
        name: 'noc',
        timeZone: 'Europe/Paris',
        start: new Date(Date.now() - DAY_MS).toISOString().slice(0, 10),
        handoff: '00:00',
        shiftDays: 30,
        people: ['alice', 'bob'],
      },
    ],
    channels: [{ name: 'chat', type: 'slack', url: `${receivers.baseUrl}/slack` }],
    policies: [
      {
        name: 'network',
        match: { severities: ['major', 'critical'] },
        levels: [{ targets: [{ rotation: 'noc' }], escalateAfterMin: 60 }],
        repeat: 0,
      },
    ],
    webPush: { subject: 'mailto:noc@faultline.test', allowLoopbackHttp: true },
    attempts: 30,
    backoffS: 0.1,
    timeoutS: 5,
  };
}

let browser: Browser;
let world: IncidentWorld | undefined;
let receivers: PageReceivers | undefined;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(DEFAULT_DASHBOARD_DIR, 'sw.js'))) {
    throw new Error('the dashboard is not built: run `npm run build -w dashboard`');
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  await world?.close();
  await receivers?.close();
  world = receivers = undefined;
});

/** The notifications the service worker shows, read in the page. */
interface Shown {
  title: string;
  body: string;
  tag: string;
  actions: string[];
}
const SHOWN = `navigator.serviceWorker.ready
  .then((registration) => registration.getNotifications())
  .then((all) => all.map((n) => ({
    title: n.title, body: n.body, tag: n.tag, actions: n.actions.map((a) => a.action),
  })))`;

/** The id of the page's service worker registration, from the DevTools protocol. */
async function registrationId(cdp: CDPSession, origin: string): Promise<string> {
  const found = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find(
        (registration) => registration.scopeURL === `${origin}/` && !registration.isDeleted,
      );
      if (ours !== undefined) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return found;
}

describe('pages in the browser (service worker, Web Push through the DevTools protocol)', () => {
  it('shows who is on call, shows a page with its actions, and acknowledges from the notification', async () => {
    let publicKey = '';
    receivers = await startPageReceivers({
      hookSecret: 'a-webhook-secret-of-the-test',
      vapidPublicKey: () => publicKey,
    });
    world = await createIncidentWorld({ paging: paging(receivers) });
    const { baseUrl } = await world.listen();
    publicKey = (await loadPagingKeys(world.pool)).vapidPublicKey;

    const context = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      permissions: ['notifications'],
    });
    contexts.push(context);
    const page: Page = await context.newPage();
    const problems = collectPageProblems(page);
    await page.goto(`${baseUrl}/oncall?token=${TOKENS.engineer}`);

    // Who is on call now, and next.
    const rotation = page.locator('[data-rotation="noc"]');
    await rotation.locator('[data-turn="now"] [data-person="alice"]').waitFor();
    await rotation.locator('[data-turn="next"] [data-person="bob"]').waitFor();

    // Enable pages: the service worker registers at the root; a browser context of a test has no
    // push service (Chromium refuses Push in such profiles, and could reach none), so subscribe
    // fails and the control says so; a real browser posts the subscription here.
    const cdp = await context.newCDPSession(page);
    const registration = registrationId(cdp, baseUrl);
    await page.getByRole('button', { name: 'Enable pages' }).tap();
    const id = await registration;
    await page
      .getByRole('alert')
      .filter({ hasText: "Pages not enabled: the browser's push service refused" })
      .waitFor();
    expect(problems.filter((problem) => !problem.includes('support the Push API'))).toEqual([]);
    // The subscription the browser would have posted: a Web Push service on loopback that
    // decrypts what it gets, posted for alice with her token like the control does.
    const phone = receivers.browser('alice-phone');
    const posted = await fetch(`${baseUrl}/api/paging/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.engineer}`, 'content-type': 'application/json' },
      body: JSON.stringify(phone.subscription),
    });
    expect(posted.status).toBe(201);

    // A fibre cut pages alice; the push service gets the encrypted page.
    await world.harness.startCorrelator();
    await world.harness.addBatch([
      linkDownEvent('core-1', 'xe-0/0/2'),
      linkDownEvent('core-2', 'xe-0/0/3'),
      linkDownEvent('agg-2', 'ge-0/0/1'),
    ]);
    const pushed = await vi.waitFor(() => {
      const [delivery] = receivers?.delivered('/push/alice-phone') ?? [];
      expect(delivery).toBeDefined();
      return delivery?.body ?? {};
    }, WAIT);
    expect(pushed).toMatchObject({ kind: 'page', severity: 'major' });
    const incidentId = String(pushed.incidentId);

    // Delivered to the service worker as the push service would: it shows the page.
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: baseUrl,
      registrationId: id,
      data: JSON.stringify(pushed),
    });
    const shown = await vi.waitFor(async () => {
      const all = await page.evaluate<Shown[]>(SHOWN);
      expect(all).toHaveLength(1);
      return all[0];
    }, WAIT);
    expect(shown).toEqual({
      title: pushed.title,
      body: '▲ Major · Initech · 1 service down',
      tag: incidentId,
      actions: ['acknowledge', 'open'],
    });

    // Acknowledge, from the notification: the worker's own click handler runs with the action
    // (the only simulated part is the tap: the event is made in the worker, as the browser would).
    const [worker] = context.serviceWorkers();
    if (worker === undefined) throw new Error('no service worker');
    await worker.evaluate(`self.registration.getNotifications().then(([notification]) => {
      self.dispatchEvent(new NotificationEvent('notificationclick', { notification, action: 'acknowledge' }));
    })`);
    await vi.waitFor(async () => {
      const rows = await world?.harness.query<{ state: string; acknowledged_by: string }>(
        'SELECT state, acknowledged_by FROM incidents',
      );
      expect(rows).toEqual([{ state: 'acknowledged', acknowledged_by: 'alice' }]);
    }, WAIT);
    // The page's notification says so (same tag: it replaced the page).
    await vi.waitFor(async () => {
      const all = await page.evaluate<Shown[]>(SHOWN);
      expect(all).toEqual([
        { title: pushed.title, body: 'Acknowledged by alice', tag: incidentId, actions: [] },
      ]);
    }, WAIT);
    // Every page is on the incident's timeline: the push delivered, the acknowledgement from it.
    await page.goto(`${baseUrl}/incidents/${incidentId}`);
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('to alice by Web Push: delivered').waitFor();
    await timeline.getByText('acknowledged from Web Push').waitFor();
    expect(problems.filter((problem) => !problem.includes('support the Push API'))).toEqual([]);
  });
});
