import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@faultline/shared';
import { buildApp } from '@faultline/api';
import {
  ADMIN_TOKEN,
  createApiFixture,
  sampleAlarm,
  SECRET_COMMUNITY,
  upsertAlarm,
  VIEWER_TOKEN,
  type ApiFixture,
} from './harness.js';

let fixture: ApiFixture;
let app: FastifyInstance;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const active = sampleAlarm({
  severity: 'critical',
  lastSeen: '2026-01-01T10:00:03.000Z',
  count: 7,
});
const acknowledged = sampleAlarm({
  state: 'acknowledged',
  acknowledgedBy: 'alice',
  lastSeen: '2026-01-01T10:00:02.000Z',
});
const cleared = sampleAlarm({
  state: 'cleared',
  severity: 'cleared',
  clearedAt: '2026-01-01T10:00:05.000Z',
  lastSeen: '2026-01-01T10:00:01.000Z',
});
const otherDevice = sampleAlarm({ device: 'access-1', lastSeen: '2026-01-01T10:00:00.000Z' });

beforeAll(async () => {
  fixture = await createApiFixture();
  for (const alarm of [active, acknowledged, cleared, otherDevice])
    await upsertAlarm(fixture.pool, alarm);
  app = await buildApp({
    pool: fixture.pool,
    redis: fixture.redis,
    config: fixture.config,
    settings: fixture.settings,
    logger: createLogger({ level: 'silent' }),
    metrics: () => 'faultline_test_extra 1\n',
    dashboardDir: null,
  });
});

afterAll(async () => {
  await app.close();
  await fixture.close();
});

describe('GET /api/health', () => {
  it('answers 200 with every service up, without a token', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', services: { postgres: 'up', redis: 'up' } });
  });
});

describe('authentication', () => {
  it.each([
    ['no token', {}],
    ['a wrong token', bearer('not-a-configured-token')],
    ['a digest instead of the token', bearer('0'.repeat(64))],
    ['another scheme', { authorization: `Basic ${VIEWER_TOKEN}` }],
  ])('refuses %s with 401', async (_name, headers) => {
    const response = await app.inject({ method: 'GET', url: '/api/alarms', headers });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it.each([
    ['the admin token', ADMIN_TOKEN],
    ['a configured viewer token', VIEWER_TOKEN],
  ])('accepts %s', async (_name, token) => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/alarms',
      headers: bearer(token),
    });
    expect(response.statusCode).toBe(200);
  });

  it('requires a token for unknown /api paths too, and answers 404 to token holders', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(anonymous.statusCode).toBe(401);
    const viewer = await app.inject({
      method: 'GET',
      url: '/api/nothing-here',
      headers: bearer(VIEWER_TOKEN),
    });
    expect(viewer.statusCode).toBe(404);
    expect(viewer.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'no route for GET /api/nothing-here',
    });
  });

  it('sets security headers with a strict content security policy', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('GET /api/alarms', () => {
  const ids = (body: { alarms: { id: string }[] }) => body.alarms.map((alarm) => alarm.id);

  it('lists alarms that are not cleared by default, newest last-seen first, with counts', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/alarms',
      headers: bearer(VIEWER_TOKEN),
    });
    const body = response.json<{ alarms: { id: string; count: number }[] }>();
    expect(ids(body)).toEqual([active.id, acknowledged.id, otherDevice.id]);
    expect(body.alarms[0]).toEqual(active);
  });

  it.each([
    ['all', () => [active.id, acknowledged.id, cleared.id, otherDevice.id]],
    ['open', () => [active.id, acknowledged.id, otherDevice.id]],
    ['active', () => [active.id, otherDevice.id]],
    ['acknowledged', () => [acknowledged.id]],
    ['cleared', () => [cleared.id]],
  ])('state=%s', async (state, expected) => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/alarms?state=${state}`,
      headers: bearer(VIEWER_TOKEN),
    });
    expect(response.statusCode).toBe(200);
    expect(ids(response.json())).toEqual(expected());
  });

  it('filters by device and limits the count', async () => {
    const byDevice = await app.inject({
      method: 'GET',
      url: '/api/alarms?state=all&device=access-1',
      headers: bearer(VIEWER_TOKEN),
    });
    expect(ids(byDevice.json())).toEqual([otherDevice.id]);
    const limited = await app.inject({
      method: 'GET',
      url: '/api/alarms?limit=1',
      headers: bearer(VIEWER_TOKEN),
    });
    expect(ids(limited.json())).toEqual([active.id]);
  });

  it.each([
    [
      'state=bogus',
      'query parameter "state" must be one of: open, active, acknowledged, cleared, all',
    ],
    ['limit=0', 'query parameter "limit" must be >= 1'],
    ['limit=1001', 'query parameter "limit" must be <= 1000'],
    ['limit=ten', 'query parameter "limit" must be a decimal integer (digits only)'],
  ])('answers 400 naming the field for %s', async (query, message) => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/alarms?${query}`,
      headers: bearer(VIEWER_TOKEN),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message });
  });

  it('never shows the raw event details', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/alarms?state=all',
      headers: bearer(ADMIN_TOKEN),
    });
    expect(response.body).not.toContain(SECRET_COMMUNITY);
    expect(response.body).not.toContain('details');
  });
});

describe('GET /api/alarms/:id', () => {
  it('answers one alarm', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/alarms/${cleared.id}`,
      headers: bearer(VIEWER_TOKEN),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(cleared);
  });

  it('answers 404 with a clear message for an unknown id', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const response = await app.inject({
      method: 'GET',
      url: `/api/alarms/${id}`,
      headers: bearer(VIEWER_TOKEN),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `no alarm with id ${id}`,
    });
  });

  it('answers 400 for an id that is not a UUID', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/alarms/42',
      headers: bearer(VIEWER_TOKEN),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toBe(
      'path parameter "id" must match format "uuid"',
    );
  });
});

describe('GET /api/devices', () => {
  it('lists the inventory without SNMP credentials', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/devices',
      headers: bearer(VIEWER_TOKEN),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      devices: [
        {
          name: 'core-1',
          address: '127.0.1.1',
          kind: 'core',
          site: 'fra1',
          interfaces: [
            { ifIndex: 1, name: 'xe-0/0/0', speedMbps: 10000, description: 'to core-2' },
          ],
        },
        { name: 'access-1', address: '127.0.1.21', kind: null, site: null, interfaces: [] },
      ],
    });
    expect(response.body).not.toContain(SECRET_COMMUNITY);
    expect(response.body).not.toContain('snmp');
  });
});

describe('system routes', () => {
  it('serves the OpenAPI document with every route, to token holders', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(401);
    const response = await app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: bearer(VIEWER_TOKEN),
    });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/alarms', '/api/alarms/{id}', '/api/devices']),
    );
  });

  it('serves Prometheus metrics with the api counters and the injected ones', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: bearer(ADMIN_TOKEN),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toContain(
      'faultline_api_http_requests_total{method="GET",route="/api/alarms",status="200"}',
    );
    expect(response.body).toContain('faultline_test_extra 1\n');
  });

  it('answers unknown paths with a JSON 404 when no dashboard is served', async () => {
    const response = await app.inject({ method: 'GET', url: '/somewhere' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
