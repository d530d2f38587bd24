import webpush from 'web-push';
import {
  pushEndpointAllowed,
  signAckToken,
  type PagePayload,
  type PagingKeys,
} from '@faultline/shared';
import { postToEndpoint } from '@faultline/shared/channels';
import type { DeliveryOutcome, Notifier } from '../../ports.js';

/** How long the acknowledgement token inside a page stays valid. */
export const ACK_TOKEN_TTL_MS = 24 * 3_600_000;
/** How long a push service keeps a page for a browser that is offline, seconds. */
const PAGE_TTL_S = 3600;

/** What the Web Push sender needs. */
export interface WebPushDeps {
  readonly subscriptions: {
    subscription(
      id: string,
    ): Promise<{ endpoint: string; p256dh: string; auth: string } | undefined>;
    removeSubscription(id: string): Promise<void>;
  };
  readonly keys: PagingKeys;
  /** The VAPID subject (`mailto:` or `https:`). */
  readonly subject: string;
  readonly allowLoopbackHttp: boolean;
  readonly timeoutMs: number;
  readonly nowMs: () => number;
}

/**
 * Web Push (RFC 8030) to one subscribed browser: the page JSON (`PagePayload`, with an
 * acknowledgement token for the paged person) encrypted per RFC 8291 (aes128gcm) and signed
 * with the installation's VAPID key (RFC 8292) by `web-push`, POSTed with fetch (so a loopback
 * http receiver works in tests). A 404 or 410 answer means the subscription is gone: it is
 * removed. Any other failure is thrown, to be retried.
 */
export function createWebPushNotifier(deps: WebPushDeps): Notifier {
  return {
    async send(job): Promise<DeliveryOutcome> {
      const { destination } = job;
      if (destination.kind !== 'webpush') throw new Error('not a Web Push delivery');
      const subscription = await deps.subscriptions.subscription(destination.subscriptionId);
      if (subscription === undefined) return { kind: 'gone', detail: 'subscription removed' };
      if (!pushEndpointAllowed(subscription.endpoint, deps.allowLoopbackHttp)) {
        await deps.subscriptions.removeSubscription(destination.subscriptionId);
        return { kind: 'gone', detail: 'endpoint not allowed (https only); subscription removed' };
      }
      const payload: PagePayload = {
        ...job.message.payload,
        kind: job.action === 'resolve' ? 'resolve' : 'page',
        ...(job.action === 'page'
          ? {
              ackToken: signAckToken(
                {
                  incidentId: job.incidentId,
                  person: destination.person,
                  expMs: deps.nowMs() + ACK_TOKEN_TTL_MS,
                },
                deps.keys.ackSecret,
              ),
            }
          : {}),
      };
      const request = webpush.generateRequestDetails(
        {
          endpoint: subscription.endpoint,
          keys: { p256dh: subscription.p256dh, auth: subscription.auth },
        },
        JSON.stringify(payload),
        {
          vapidDetails: {
            subject: deps.subject,
            publicKey: deps.keys.vapidPublicKey,
            privateKey: deps.keys.vapidPrivateKey,
          },
          TTL: PAGE_TTL_S,
          urgency: job.action === 'page' ? 'high' : 'normal',
          // One notification per incident on the device: the resolve replaces the page.
          topic: job.incidentId.replace(/[^A-Za-z0-9_-]/g, '').slice(-32),
        },
      );
      const who = `web push to a browser of ${destination.person}`;
      const status = await postToEndpoint(`${who}: push service`, {
        url: subscription.endpoint,
        // Content-Length is a number in web-push's headers; fetch sets its own.
        headers: Object.fromEntries(
          Object.entries(request.headers)
            .filter(([k]) => k.toLowerCase() !== 'content-length')
            .map(([k, v]: [string, unknown]) => [k, typeof v === 'string' ? v : String(v)]),
        ),
        body: request.body,
        timeoutMs: deps.timeoutMs,
      });
      if (status === 404 || status === 410) {
        await deps.subscriptions.removeSubscription(destination.subscriptionId);
        return {
          kind: 'gone',
          detail: `push service answered ${String(status)}; subscription removed`,
        };
      }
      if (status < 200 || status >= 300)
        throw new Error(`${who}: push service answered ${String(status)}`);
      return { kind: 'delivered', detail: `push service answered ${String(status)}` };
    },
  };
}
