/// <reference lib="webworker" />
/**
 * The dashboard's service worker (served at /sw.js, scope /): it shows the pages Web Push
 * delivers, acknowledges from the notification without opening the app (the page's ack token is
 * the credential: `POST /api/paging/ack`), and opens the incident. Contract: docs/oncall.md.
 */
import { PagePayloadSchema } from '@faultline/shared/page-payload';
import { Value } from '@sinclair/typebox/value';
import {
  ackOutcome,
  pageNotification,
  type PageNotificationData,
} from '../lib/page-notification.js';

declare const self: ServiceWorkerGlobalScope;

/** Shows the page, or, if it cannot be read, a notification saying so (a push must show one). */
async function show(event: PushEvent): Promise<void> {
  let body: unknown;
  try {
    body = event.data?.json();
  } catch {
    body = null;
  }
  if (!Value.Check(PagePayloadSchema, body)) {
    await self.registration.showNotification('Faultline: a page could not be read', {
      body: 'Open the on-call console to see the incidents.',
      data: { incidentId: '', title: '', url: '/oncall', ackToken: null },
    });
    return;
  }
  const { title, options } = pageNotification(body);
  await self.registration.showNotification(title, options);
}

/** Posts the page's ack token and replaces the page with the outcome. */
async function acknowledge(data: PageNotificationData, token: string): Promise<void> {
  let status: number;
  let acknowledgedBy: string | null = null;
  try {
    const response = await fetch('/api/paging/ack', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    status = response.status;
    const answer: unknown = await response.json().catch(() => null);
    if (typeof answer === 'object' && answer !== null && 'acknowledgedBy' in answer) {
      acknowledgedBy = String(answer.acknowledgedBy);
    }
  } catch {
    status = 0;
  }
  await self.registration.showNotification(data.title, {
    body:
      status === 0
        ? 'Not acknowledged: the api is unreachable'
        : ackOutcome(status, acknowledgedBy),
    tag: data.incidentId,
    data: { ...data, ackToken: status === 200 ? null : token },
  });
}

/** Focuses a window of the app on the incident, or opens one. */
async function open(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const target = new URL(url, self.location.origin);
  const local = new URL(target.pathname + target.search, self.location.origin).href;
  for (const client of windows) {
    if (new URL(client.url).origin === self.location.origin) {
      await client.focus();
      await client.navigate(local);
      return;
    }
  }
  await self.clients.openWindow(local);
}

self.addEventListener('push', (event) => {
  event.waitUntil(show(event));
});

self.addEventListener('notificationclick', (event) => {
  const data = event.notification.data as PageNotificationData;
  event.notification.close();
  const work =
    event.action === 'acknowledge' && data.ackToken !== null
      ? acknowledge(data, data.ackToken)
      : open(data.url);
  event.waitUntil(work);
});

// A new version takes over at once: pages must not wait for every tab to close.
self.addEventListener('install', () => {
  void self.skipWaiting();
});
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});
