import type { PagePayload } from '@faultline/shared';
import { SEVERITY_LOOKS } from './severity.js';

/** What the service worker keeps on a page's notification, for its actions. */
export interface PageNotificationData {
  readonly incidentId: string;
  readonly title: string;
  /** The incident's page (Open, or a click on the notification itself). */
  readonly url: string;
  /** Posted to `POST /api/paging/ack` by the Acknowledge action (pages only). */
  readonly ackToken: string | null;
}

/** A notification to show: `showNotification(title, options)`. */
export interface PageNotification {
  readonly title: string;
  readonly options: {
    readonly body: string;
    /** The incident: a resolve or an acknowledgement replaces its page. */
    readonly tag: string;
    readonly data: PageNotificationData;
    readonly actions: readonly { action: 'acknowledge' | 'open'; title: string }[];
    /** A page stays until someone acts; a resolve or an acknowledgement does not. */
    readonly requireInteraction: boolean;
    readonly renotify: boolean;
  };
}

/** Who is down, by name: "Initech, Acme · 2 services down", or that no customer is. */
function impact(page: PagePayload): string {
  if (page.customers.length === 0) return 'No customer service down';
  const names = page.customers.map((customer) => customer.name).join(', ');
  const services = page.impactedServices === 1 ? '1 service' : `${page.impactedServices} services`;
  return `${names} · ${services} down`;
}

/**
 * The notification for a Web Push page: the root cause as its title, the severity and the
 * customers down in its body, Acknowledge (pages that carry an ack token) and Open; a resolve
 * replaces the page's notification (same tag) with one that says so.
 */
export function pageNotification(page: PagePayload): PageNotification {
  const severity = SEVERITY_LOOKS[page.severity];
  const data: PageNotificationData = {
    incidentId: page.incidentId,
    title: page.title,
    url: page.url,
    ackToken: page.kind === 'page' ? (page.ackToken ?? null) : null,
  };
  if (page.kind === 'resolve') {
    return {
      title: `Resolved: ${page.title}`,
      options: {
        body: `Was ${severity.label.toLowerCase()} · ${impact(page)}`,
        tag: page.incidentId,
        data,
        actions: [{ action: 'open', title: 'Open' }],
        requireInteraction: false,
        renotify: false,
      },
    };
  }
  return {
    title: page.title,
    options: {
      body: `${severity.icon} ${severity.label} · ${impact(page)}`,
      tag: page.incidentId,
      data,
      actions: [
        ...(data.ackToken === null
          ? []
          : [{ action: 'acknowledge' as const, title: 'Acknowledge' }]),
        { action: 'open', title: 'Open' },
      ],
      requireInteraction: true,
      renotify: true,
    },
  };
}

/** The api's answer to an acknowledgement from a notification, as a line for people. */
export function ackOutcome(status: number, acknowledgedBy: string | null): string {
  if (status === 200) return `Acknowledged by ${acknowledgedBy ?? 'you'}`;
  if (status === 401) return 'Not acknowledged: the page is too old (open it to acknowledge)';
  if (status === 404) return 'Not acknowledged: the incident is unknown';
  if (status === 409) return 'Not acknowledged: the incident is resolved already';
  return `Not acknowledged: the api answered ${String(status)} (open it to try again)`;
}
