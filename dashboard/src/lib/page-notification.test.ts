import type { PagePayload } from '@faultline/shared';
import { describe, expect, it } from 'vitest';
import { ackOutcome, pageNotification } from './page-notification.js';

/** A page without its ack token (resolves, and pages of other channels). */
const BASE: PagePayload = {
  kind: 'page',
  incidentId: 'inc-1',
  title: 'core-1:xe-0/0/2 down: agg-2 cut off',
  severity: 'critical',
  customers: [
    { id: 'initech', name: 'Initech' },
    { id: 'acme', name: 'Acme' },
  ],
  impactedServices: 3,
  url: 'https://noc.test/incidents/inc-1',
  openedAt: '2026-12-07T10:00:00.000Z',
};
const PAGE: PagePayload = { ...BASE, ackToken: 'token-1' };

describe('pageNotification', () => {
  it.each([
    {
      name: 'a page: root cause, severity, customers, Acknowledge and Open',
      page: PAGE,
      title: PAGE.title,
      body: '⬣ Critical · Initech, Acme · 3 services down',
      actions: ['acknowledge', 'open'],
      ackToken: 'token-1',
      requireInteraction: true,
    },
    {
      name: 'a page without an ack token: Open only',
      page: { ...BASE, customers: [], impactedServices: 0 },
      title: PAGE.title,
      body: '⬣ Critical · No customer service down',
      actions: ['open'],
      ackToken: null,
      requireInteraction: true,
    },
    {
      name: 'a resolve replaces the page, no Acknowledge',
      page: { ...BASE, kind: 'resolve' as const, impactedServices: 1 },
      title: `Resolved: ${PAGE.title}`,
      body: 'Was critical · Initech, Acme · 1 service down',
      actions: ['open'],
      ackToken: null,
      requireInteraction: false,
    },
  ])('$name', ({ page, title, body, actions, ackToken, requireInteraction }) => {
    const shown = pageNotification(page);
    expect(shown.title).toBe(title);
    expect(shown.options.body).toBe(body);
    expect(shown.options.tag).toBe('inc-1');
    expect(shown.options.actions.map((action) => action.action)).toEqual(actions);
    expect(shown.options.data).toEqual({
      incidentId: 'inc-1',
      title: PAGE.title,
      url: PAGE.url,
      ackToken,
    });
    expect(shown.options.requireInteraction).toBe(requireInteraction);
  });
});

describe('ackOutcome', () => {
  it.each([
    [200, 'alice', 'Acknowledged by alice'],
    [401, null, 'Not acknowledged: the page is too old (open it to acknowledge)'],
    [404, null, 'Not acknowledged: the incident is unknown'],
    [409, null, 'Not acknowledged: the incident is resolved already'],
    [503, null, 'Not acknowledged: the api answered 503 (open it to try again)'],
  ])('%i → %s', (status, by, line) => {
    expect(ackOutcome(status, by)).toBe(line);
  });
});
