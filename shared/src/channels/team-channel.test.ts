import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from '../webhook-signature.js';
import { createMailer } from './mailer.js';
import { postToChannel, type HttpPagingChannel } from './team-channel.js';

/** A receiver on loopback: answers each path with its status (200 by default), never `/hang`. */
let server: Server;
let base: string;
const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString() });
      if (path === '/hang') return;
      response.statusCode = path.startsWith('/status/') ? Number(path.slice(8)) : 200;
      if (response.statusCode >= 300 && response.statusCode < 400)
        response.setHeader('location', '/slack');
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const NOW_MS = Date.UTC(2026, 3, 30, 21, 0, 0, 500);
const OPTIONS = { timeoutMs: 2_000, nowMs: NOW_MS };
const message = { body: '{"text":"hello"}', idempotencyKey: 'inc-1-page-0' };

function lastTo(path: string) {
  const hit = received.filter((r) => r.path === path).at(-1);
  if (hit === undefined) throw new Error(`nothing reached ${path}`);
  return hit;
}

describe('postToChannel', () => {
  it('signs the generic webhook: timestamp, HMAC of "<timestamp>.<body>", idempotency key', async () => {
    const channel: HttpPagingChannel = {
      name: 'hook',
      type: 'webhook',
      url: `${base}/hook`,
      secret: 's3cret',
    };
    expect(await postToChannel(channel, message, OPTIONS)).toBe(200);
    const { headers, body } = lastTo('/hook');
    expect(body).toBe(message.body);
    expect(headers['content-type']).toBe('application/json');
    expect(headers[TIMESTAMP_HEADER]).toBe(String(Math.floor(NOW_MS / 1000)));
    expect(headers[SIGNATURE_HEADER]).toBe(
      webhookSignature('s3cret', Math.floor(NOW_MS / 1000), message.body),
    );
    expect(headers['idempotency-key']).toBe('inc-1-page-0');
  });

  it.each([
    ['slack', { name: 'ops', type: 'slack', url: '' }],
    ['teams', { name: 'noc', type: 'teams', url: '' }],
    ['pagerduty', { name: 'pd', type: 'pagerduty', url: '', routingKey: 'rk' }],
  ] as const)('sends %s the body unsigned', async (path, shape) => {
    const channel = { ...shape, url: `${base}/${path}` } as HttpPagingChannel;
    expect(await postToChannel(channel, message, OPTIONS)).toBe(200);
    const { headers, body } = lastTo(`/${path}`);
    expect(body).toBe(message.body);
    expect(headers[SIGNATURE_HEADER]).toBeUndefined();
    expect(headers['idempotency-key']).toBeUndefined();
  });

  it.each([
    ['a refusal', '/status/503', 'slack channel ops answered 503'],
    ['a redirect', '/status/302', 'slack channel ops unreachable'],
    ['no answer in time', '/hang', 'slack channel ops timed out'],
  ])('throws on %s, naming the channel but not its URL', async (_name, path, expected) => {
    const channel: HttpPagingChannel = { name: 'ops', type: 'slack', url: `${base}${path}` };
    const failure = await postToChannel(channel, message, { ...OPTIONS, timeoutMs: 300 }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe(expected);
    expect((failure as Error).message).not.toContain(base);
  });

  it('throws "unreachable" when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const channel: HttpPagingChannel = {
      name: 'noc',
      type: 'teams',
      url: `http://127.0.0.1:${String(port)}/x`,
    };
    await expect(postToChannel(channel, message, OPTIONS)).rejects.toThrow(
      'teams channel noc unreachable',
    );
  });
});

describe('createMailer', () => {
  it('fails every send when no SMTP server is configured', async () => {
    const mailer = createMailer({ smtp: undefined, timeoutMs: 1_000 });
    await expect(
      mailer.send('email channel care', { to: ['a@example.test'], subject: 's', text: 't' }),
    ).rejects.toThrow('email channel care: no SMTP server configured');
    mailer.close();
  });
});
