import { Type, type Static } from '@sinclair/typebox';
import { SeveritySchema } from './severity.js';

/** The BullMQ queue of paging work: incident changes to page for, and escalation timers. */
export const PAGING_QUEUE = 'paging';
/** The BullMQ queue of single deliveries: one page, to one destination, through one channel. */
export const PAGE_DELIVERIES_QUEUE = 'page-deliveries';

/** A customer an incident takes a service of, with the name the config gives it. */
export const PagedCustomerSchema = Type.Object(
  { id: Type.String(), name: Type.String() },
  { additionalProperties: false },
);

/**
 * What a page says, in every channel: the Web Push payload (the JSON the service worker gets
 * from `event.data.json()`), and the content of the Slack, Teams, PagerDuty, webhook and e-mail
 * messages.
 */
export const PagePayloadSchema = Type.Object(
  {
    /** `page`: wake someone up; `resolve`: the incident is over, close its notification. */
    kind: Type.Union([Type.Literal('page'), Type.Literal('resolve')]),
    incidentId: Type.String(),
    /** The root cause, e.g. "core-1:xe-0/0/2 down: agg-2 cut off". */
    title: Type.String(),
    severity: SeveritySchema,
    /** Customers with a service down, by name. */
    customers: Type.Array(PagedCustomerSchema),
    /** How many customer services are down. */
    impactedServices: Type.Integer({ minimum: 0 }),
    /** The incident's page in the dashboard. */
    url: Type.String(),
    /** When the incident opened (ISO 8601, UTC). */
    openedAt: Type.String(),
    /**
     * Web Push pages only: posted as `{ "token": … }` to `POST /api/paging/ack`, it acknowledges
     * the incident as the paged person without the app's token (valid 24 hours, one incident).
     */
    ackToken: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** What a page says. */
export type PagePayload = Static<typeof PagePayloadSchema>;

/** A browser's `PushSubscription` as `JSON.stringify` gives it; the api takes this for POST. */
export const PushSubscriptionSchema = Type.Object(
  {
    endpoint: Type.String({ minLength: 8, maxLength: 2000 }),
    expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    keys: Type.Object(
      {
        /** The browser's P-256 public key, base64url. */
        p256dh: Type.String({ minLength: 1, maxLength: 200 }),
        /** The authentication secret, base64url. */
        auth: Type.String({ minLength: 1, maxLength: 100 }),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

/** A browser's push subscription. */
export type PushSubscriptionJson = Static<typeof PushSubscriptionSchema>;

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/;

/**
 * Whether pages may be pushed to this endpoint: https only, or plain http to a loopback address
 * when the configuration allows it (`paging.webPush.allowLoopbackHttp`, for tests).
 */
export function pushEndpointAllowed(endpoint: string, allowLoopbackHttp: boolean): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  return allowLoopbackHttp && url.protocol === 'http:' && LOOPBACK.test(url.hostname);
}
