import {
  createECDH,
  createHmac,
  createPublicKey,
  randomBytes,
  timingSafeEqual,
  verify,
  type ECDH,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';
import { PagePayloadSchema, createValidator, type PagePayload } from '@faultline/shared';

/** One request a receiver took, once its format was checked. */
export interface Received {
  readonly path: string;
  /** The answer it got. */
  readonly status: number;
  /** The JSON body (for a push: the decrypted page). */
  readonly body: Record<string, unknown>;
  readonly headers: IncomingMessage['headers'];
}

/** A browser that subscribed: its subscription JSON and its private key, to decrypt pages. */
export interface TestBrowser {
  readonly name: string;
  readonly subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  readonly ecdh: ECDH;
}

/**
 * Real receivers on loopback for every paging channel, each checking the format it gets and
 * answering 400 (or 401 for a bad signature) when it is wrong:
 * - `/slack`: a Slack incoming-webhook message (`text`, `blocks`);
 * - `/teams`: a Teams message with one Adaptive Card attachment;
 * - `/pagerduty`: a PagerDuty Events v2 event (202 like PagerDuty);
 * - `/hook`: the generic webhook, its HMAC signature and timestamp checked with `hookSecret`;
 * - `/push/<browser>`: a Web Push service: the VAPID JWT (ES256, audience, `k` = the expected
 *   public key) is verified and the RFC 8291 body decrypted with the browser's keys (201).
 * `answer(path, status)` makes a path answer `status` (after checking) until changed.
 */
export interface PageReceivers {
  readonly baseUrl: string;
  readonly received: Received[];
  /** Requests refused by a format check, with the reason. */
  readonly rejected: { path: string; reason: string }[];
  answer(path: string, status: number | undefined): void;
  browser(name: string): TestBrowser;
  /** What reached one path and was answered 2xx. */
  delivered(path: string): Received[];
  close(): Promise<void>;
}

const validatePage = createValidator(PagePayloadSchema);

function vapidProblem(
  authorization: string | undefined,
  audience: string,
  publicKey: () => string,
): string | undefined {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (match === null) return 'no VAPID authorization';
  const [, jwt = '', k = ''] = match;
  if (k !== publicKey()) return 'VAPID key is not the installation key';
  const [header = '', claims = '', signature = ''] = jwt.split('.');
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) return 'VAPID signature does not verify';
  const parsed = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as {
    aud?: string;
    exp?: number;
    sub?: string;
  };
  if (parsed.aud !== audience) return `VAPID audience ${String(parsed.aud)}`;
  if (typeof parsed.exp !== 'number' || parsed.exp * 1000 < Date.now())
    return 'VAPID token expired';
  if (typeof parsed.sub !== 'string') return 'VAPID subject missing';
  return undefined;
}

function formatProblem(path: string, body: Record<string, unknown>): string | undefined {
  if (path === '/slack')
    return typeof body.text === 'string' && Array.isArray(body.blocks)
      ? undefined
      : 'not a Slack message';
  if (path === '/teams') {
    const attachments = body.attachments as
      { contentType?: string; content?: { type?: string } }[] | undefined;
    return body.type === 'message' &&
      attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive' &&
      attachments[0].content?.type === 'AdaptiveCard'
      ? undefined
      : 'not a Teams message';
  }
  if (path === '/pagerduty') {
    const action = body.event_action;
    if (typeof body.routing_key !== 'string' || typeof body.dedup_key !== 'string')
      return 'no routing or dedup key';
    if (action === 'acknowledge' || action === 'resolve') return undefined;
    const payload = body.payload as
      { summary?: unknown; source?: unknown; severity?: unknown } | undefined;
    return action === 'trigger' &&
      typeof payload?.summary === 'string' &&
      typeof payload.source === 'string' &&
      ['critical', 'error', 'warning', 'info'].includes(String(payload.severity))
      ? undefined
      : 'not a PagerDuty event';
  }
  return undefined;
}

/** Starts the receivers on 127.0.0.1; `vapidPublicKey` is read when a push arrives. */
export async function startPageReceivers(options: {
  hookSecret: string;
  vapidPublicKey: () => string;
}): Promise<PageReceivers> {
  const received: Received[] = [];
  const rejected: { path: string; reason: string }[] = [];
  const answers = new Map<string, number>();
  const browsers = new Map<string, TestBrowser>();
  let baseUrl = '';
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      const raw = Buffer.concat(chunks);
      const refuse = (status: number, reason: string): void => {
        rejected.push({ path, reason });
        response.writeHead(status).end(reason);
      };
      let body: Record<string, unknown>;
      if (path.startsWith('/push/')) {
        const browser = browsers.get(path.slice('/push/'.length));
        if (browser === undefined) {
          refuse(404, 'no such subscription');
          return;
        }
        if (request.headers['content-encoding'] !== 'aes128gcm') {
          refuse(400, 'not aes128gcm');
          return;
        }
        if (request.headers.ttl === undefined) {
          refuse(400, 'no TTL');
          return;
        }
        const vapid = vapidProblem(request.headers.authorization, baseUrl, options.vapidPublicKey);
        if (vapid !== undefined) {
          refuse(401, vapid);
          return;
        }
        try {
          body = JSON.parse(
            decrypt(raw, {
              version: 'aes128gcm',
              privateKey: browser.ecdh,
              authSecret: browser.subscription.keys.auth,
            }).toString('utf8'),
          ) as Record<string, unknown>;
        } catch {
          refuse(400, 'payload does not decrypt');
          return;
        }
        const checked = validatePage.check(body);
        if (!checked.ok) {
          refuse(400, 'payload is not a PagePayload');
          return;
        }
      } else {
        try {
          body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        } catch {
          refuse(400, 'not JSON');
          return;
        }
        if (path === '/hook') {
          const timestamp = String(request.headers['x-faultline-timestamp']);
          const expected = `v1=${createHmac('sha256', options.hookSecret)
            .update(`${timestamp}.${raw.toString('utf8')}`)
            .digest('hex')}`;
          const given = String(request.headers['x-faultline-signature']);
          if (
            expected.length !== given.length ||
            !timingSafeEqual(Buffer.from(expected), Buffer.from(given))
          ) {
            refuse(401, 'bad signature');
            return;
          }
          if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) {
            refuse(401, 'stale timestamp');
            return;
          }
        }
        const problem = formatProblem(path, body);
        if (problem !== undefined) {
          refuse(400, problem);
          return;
        }
      }
      const status =
        answers.get(path) ?? (path === '/pagerduty' ? 202 : path.startsWith('/push/') ? 201 : 200);
      received.push({ path, status, body, headers: request.headers });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    baseUrl,
    received,
    rejected,
    answer(path, status) {
      if (status === undefined) answers.delete(path);
      else answers.set(path, status);
    },
    browser(name) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const browser: TestBrowser = {
        name,
        ecdh,
        subscription: {
          endpoint: `${baseUrl}/push/${name}`,
          keys: {
            p256dh: ecdh.getPublicKey().toString('base64url'),
            auth: randomBytes(16).toString('base64url'),
          },
        },
      };
      browsers.set(name, browser);
      return browser;
    },
    delivered: (path) =>
      received.filter((r) => r.path === path && r.status >= 200 && r.status < 300),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A decrypted page. */
export function asPage(received: Received): PagePayload {
  return received.body as unknown as PagePayload;
}
