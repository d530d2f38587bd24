import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { SOCKET_ERRORS } from '@faultline/shared';
import type { ApiComponent } from '@faultline/api';
import { createPrivateNginx, type PrivateService } from '../support/private-services.js';
import { createApiFixture, startApi, type ApiFixture } from './harness.js';
import { TOKENS, withTokens } from './incident-world.js';

/**
 * The api behind a real reverse proxy (nginx on loopback, as deployed), probed by clients that
 * connect to the proxy from different loopback addresses: refused tokens are counted per client
 * the same way over HTTP and socket.io, and an anonymous caller cannot tell real routes from
 * unknown paths. The api trusts X-Forwarded-For from the proxy's address only.
 */

let fixture: ApiFixture;
let api: ApiComponent;
let apiUrl: string;
let proxy: PrivateService;

const UUID = '00000000-0000-4000-8000-000000000000';
/** The most refused tokens one client may present in a minute (the api's default). */
const MAX_FAILURES = 20;

beforeAll(async () => {
  fixture = await createApiFixture();
  const config = withTokens(fixture.config);
  const started = await startApi(
    {
      ...fixture,
      settings: { ...fixture.settings, adminToken: TOKENS.admin },
      config: { ...config, api: { ...config.api, trustedProxies: ['127.0.0.1'] } },
    },
    { dashboardDir: null },
  );
  api = started.api;
  apiUrl = started.baseUrl;
  proxy = await createPrivateNginx({ upstreamPort: Number(new URL(apiUrl).port) });
  await proxy.start();
});

afterAll(async () => {
  await proxy.destroy();
  await api.stop();
  await fixture.close();
});

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** A GET sent from a given loopback address, the path sent exactly as written. */
function get(
  base: string,
  path: string,
  options: { from: string; token?: string; headers?: Record<string, string> },
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        localAddress: options.from,
        headers: {
          ...options.headers,
          ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** How a socket.io connection through the proxy from a given address ends: connected or why not. */
async function connect(from: string, token: string): Promise<string> {
  // engine.io-client hands localAddress to the WebSocket; its types do not list it.
  const transport = { localAddress: from };
  const socket: Socket = io(proxy.url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    ...transport,
  });
  try {
    return await new Promise<string>((resolve) => {
      socket.once('connect', () => {
        resolve('connected');
      });
      socket.once('connect_error', (error) => {
        resolve(error.message);
      });
    });
  } finally {
    socket.disconnect();
  }
}

describe('refused tokens behind a reverse proxy', () => {
  it('block the client that sent them, on both paths, and no other client', async () => {
    const attacker = '127.0.0.2';
    const viewer = '127.0.0.3';
    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) {
      expect(await connect(attacker, `guess-${String(attempt)}-0000000000`)).toBe(
        SOCKET_ERRORS.unauthorized,
      );
    }
    // Another client behind the same proxy is not refused, over socket.io or HTTP.
    expect(await connect(viewer, TOKENS.viewer)).toBe('connected');
    expect(
      (await get(proxy.url, '/api/alarms', { from: viewer, token: TOKENS.viewer })).status,
    ).toBe(200);
    // The attacker is, even with a valid token, over HTTP as over socket.io; a forged
    // X-Forwarded-For does not make it someone else (the proxy appends the real address).
    expect(await connect(attacker, TOKENS.viewer)).toBe(SOCKET_ERRORS.rateLimited);
    const forged = await get(proxy.url, '/api/alarms', {
      from: attacker,
      token: TOKENS.viewer,
      headers: { 'x-forwarded-for': '127.0.0.99' },
    });
    expect(forged.status).toBe(429);
  });

  it('are counted by the TCP peer when it is not a trusted proxy, whatever X-Forwarded-For says', async () => {
    const direct = '127.0.0.4';
    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) {
      const refused = await get(apiUrl, '/api/alarms', {
        from: direct,
        token: `guess-${String(attempt)}-0000000000`,
        headers: { 'x-forwarded-for': `127.0.1.${String(attempt)}` },
      });
      expect(refused.status).toBe(401);
    }
    const blocked = await get(apiUrl, '/api/alarms', { from: direct, token: TOKENS.viewer });
    expect(blocked.status).toBe(429);
  });
});

describe('anonymous probing through the proxy', () => {
  const from = '127.0.0.5';
  const unauthorized = {
    statusCode: 401,
    error: 'Unauthorized',
    message: 'a valid bearer token is required (Authorization: Bearer <token>)',
  };
  const long = (length: number) => 'x'.repeat(length);

  it.each([
    ['a 150-character id', `/api/alarms/${long(150)}`, `/api/nowhere/${long(150)}`],
    ['a 2,000-character id', `/api/billing/runs/${long(2000)}`, `/api/nowhere/${long(2000)}`],
    ['an id that is not UTF-8', '/api/alarms/%FF', '/api/nowhere/%FF'],
    ['a bad id on a command', `/api/alarms/%E0%A4/acknowledge`, '/api/nowhere/%E0%A4/acknowledge'],
  ])('%s: a real route answers as an unknown path does (401)', async (_label, real, unknown) => {
    const answers = [await get(proxy.url, real, { from }), await get(proxy.url, unknown, { from })];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toEqual(unauthorized);
    }
  });

  it('gets nothing from /metrics without a metrics or admin token', async () => {
    const anonymous = await get(proxy.url, '/metrics', { from });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).not.toContain('faultline_');
    expect((await get(proxy.url, '/metrics', { from, token: TOKENS.viewer })).status).toBe(403);
    const scraped = await get(proxy.url, '/metrics', { from, token: TOKENS.metrics });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('faultline_api_http_requests_total');
  });

  it.each([
    [
      'a 150-character alarm id',
      `/api/alarms/${long(150)}`,
      400,
      'Bad Request',
      'path parameter "id" must match format "uuid"',
    ],
    [
      'a 2,000-character run id',
      `/api/billing/runs/${long(2000)}`,
      414,
      'URI Too Long',
      'a path segment is longer than 1024 characters',
    ],
    [
      'an alarm id that is not UTF-8',
      '/api/alarms/%FF',
      400,
      'Bad Request',
      'the path is not valid percent-encoded UTF-8',
    ],
    ['an unknown alarm', `/api/alarms/${UUID}`, 404, 'Not Found', `no alarm with id ${UUID}`],
  ])(
    'with a valid token, %s answers %i in the documented error body',
    async (_label, path, statusCode, error, message) => {
      const answer = await get(proxy.url, path, { from, token: TOKENS.viewer });
      expect(answer.status).toBe(statusCode);
      expect(JSON.parse(answer.body)).toEqual({ statusCode, error, message });
    },
  );
});
