import type { PagePayload } from '@faultline/shared';
import type { DeliveryAction } from './page-actions.js';

/** One follow-up or page as a channel renders it. */
export interface PageMessage {
  readonly action: DeliveryAction;
  readonly payload: PagePayload;
  /** Who acknowledged (acknowledge only). */
  readonly actor?: string;
}

const MAX_CUSTOMERS_LISTED = 10;

/** The one-line headline of a message: what happened, then the root cause. */
export function headline(message: PageMessage): string {
  const { payload } = message;
  switch (message.action) {
    case 'page':
      return `[${payload.severity.toUpperCase()}] ${payload.title}`;
    case 'acknowledge':
      return `Acknowledged by ${message.actor ?? 'someone'}: ${payload.title}`;
    case 'resolve':
      return `Resolved: ${payload.title}`;
  }
}

/** Who is hit, in words: "3 services down for Acme, Globex" or "no customer service down". */
export function impactLine(payload: PagePayload): string {
  if (payload.impactedServices === 0) return 'no customer service down';
  const names = payload.customers.slice(0, MAX_CUSTOMERS_LISTED).map((c) => c.name);
  const more = payload.customers.length - names.length;
  const who = more > 0 ? `${names.join(', ')} and ${String(more)} more` : names.join(', ');
  const services = `${String(payload.impactedServices)} service${payload.impactedServices === 1 ? '' : 's'}`;
  return `${services} down for ${who}`;
}

/** A Slack incoming-webhook message (`text` as the fallback, one section block). */
export function slackMessage(message: PageMessage): unknown {
  const text = `${headline(message)} (${impactLine(message.payload)})`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*${headline(message)}*\n${impactLine(message.payload)}` },
      },
      {
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: 'Open' }, url: message.payload.url },
        ],
      },
    ],
  };
}

/** A Microsoft Teams incoming-webhook message: one Adaptive Card attachment. */
export function teamsMessage(message: PageMessage): unknown {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: headline(message), weight: 'Bolder', wrap: true },
            { type: 'TextBlock', text: impactLine(message.payload), wrap: true },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open', url: message.payload.url }],
        },
      },
    ],
  };
}

const PAGERDUTY_SEVERITY: Record<
  PagePayload['severity'],
  'critical' | 'error' | 'warning' | 'info'
> = {
  critical: 'critical',
  major: 'error',
  minor: 'warning',
  warning: 'warning',
  indeterminate: 'info',
  normal: 'info',
  cleared: 'info',
};

/**
 * A PagerDuty Events API v2 event: `trigger` with the summary and details, `acknowledge` or
 * `resolve` by the same dedup key (the incident id), so the three act on one PagerDuty incident.
 */
export function pagerDutyEvent(message: PageMessage, routingKey: string): unknown {
  const { payload } = message;
  const base = { routing_key: routingKey, dedup_key: payload.incidentId };
  if (message.action !== 'page')
    return { ...base, event_action: message.action === 'acknowledge' ? 'acknowledge' : 'resolve' };
  return {
    ...base,
    event_action: 'trigger',
    payload: {
      summary: headline(message).slice(0, 1024),
      source: 'faultline',
      severity: PAGERDUTY_SEVERITY[payload.severity],
      timestamp: payload.openedAt,
      custom_details: {
        impact: impactLine(payload),
        customers: payload.customers.map((c) => c.name),
      },
    },
    links: [{ href: payload.url, text: 'Open in Faultline' }],
  };
}

/** The generic webhook's JSON body (signed by the sender). */
export function webhookBody(message: PageMessage, deliveryId: string): unknown {
  return {
    deliveryId,
    action: message.action,
    ...(message.actor === undefined ? {} : { actor: message.actor }),
    page: message.payload,
  };
}

/** An e-mail: the headline as subject, the impact and the link as plain text. */
export function emailMessage(message: PageMessage): { subject: string; text: string } {
  const { payload } = message;
  return {
    subject: headline(message),
    text: [
      headline(message),
      '',
      `Severity: ${payload.severity}`,
      `Impact: ${impactLine(payload)}`,
      `Opened: ${payload.openedAt}`,
      '',
      `Open: ${payload.url}`,
      '',
    ].join('\n'),
  };
}
