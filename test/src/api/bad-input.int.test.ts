import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@faultline/shared';
import { buildApp } from '@faultline/api';
import { createApiFixture, sampleAlarm, upsertAlarm, type ApiFixture } from './harness.js';
import { TOKENS, withTokens } from './incident-world.js';

/**
 * Bad input to the api: every refusal is a 4xx with a sentence naming the problem, never a 500,
 * and hostile filter values reach PostgreSQL only as bound parameters: they match nothing and
 * change nothing.
 */

let fixture: ApiFixture;
let app: FastifyInstance;
const alarm = sampleAlarm({ device: 'core-1' });
const as = (role: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[role]}` });
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  fixture = await createApiFixture();
  await upsertAlarm(fixture.pool, alarm);
  app = await buildApp({
    pool: fixture.pool,
    redis: fixture.redis,
    config: withTokens(fixture.config),
    settings: { ...fixture.settings, adminToken: TOKENS.admin },
    logger: createLogger({ level: 'silent' }),
    dashboardDir: null,
    // No correlator runs: a command that passes validation answers 503 after this long.
    commandTimeoutMs: 150,
  });
});

afterAll(async () => {
  await app.close();
  await fixture.close();
});

describe('request bodies', () => {
  const comment = '/api/incidents/inc-x/comments';
  it.each<[string, string, Record<string, string>, string | object, number, string]>([
    [
      'an unknown field',
      comment,
      {},
      { text: 'hi', priority: 'high' },
      400,
      'body field "priority" is not allowed',
    ],
    ['a missing field', comment, {}, {}, 400, 'body field "text" is required'],
    [
      'an empty required string',
      '/api/incidents/inc-x/assign',
      {},
      { assignee: '' },
      400,
      'body field "assignee" must NOT have fewer than 1 characters',
    ],
    [
      'a NUL character',
      comment,
      {},
      { text: 'a\u0000b' },
      400,
      'body field "text" must not contain NUL (U+0000) characters',
    ],
    [
      'a body over the 64 KiB limit',
      comment,
      json,
      JSON.stringify({ text: 'x'.repeat(70_000) }),
      413,
      'Request body is too large',
    ],
    [
      'malformed JSON',
      comment,
      json,
      '{"text": ',
      400,
      "Body is not valid JSON but content-type is set to 'application/json'",
    ],
    [
      'a __proto__ key',
      comment,
      json,
      '{"text": "hi", "__proto__": {"admin": true}}',
      400,
      "Body is not valid JSON but content-type is set to 'application/json'",
    ],
    [
      'a content type the api does not read',
      comment,
      { 'content-type': 'application/xml' },
      '<text>hi</text>',
      415,
      'Unsupported Media Type',
    ],
  ])('refuses %s', async (_label, url, headers, payload, status, message) => {
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { ...as('engineer'), ...headers },
      payload,
    });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ statusCode: status, message });
  });

  it.each<[string, object, string]>([
    [
      'an injection in the period',
      { period: "2026-04'; DROP TABLE billing_runs; --" },
      'body field "period" must match pattern',
    ],
    ['an unknown field', { period: '2026-04', force: true }, 'body field "force" is not allowed'],
  ])('refuses a billing run request with %s', async (_label, payload, message) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/billing/runs',
      headers: as('billing'),
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(message);
  });
});

describe('bodies taken as sent', () => {
  const alarmAck = `/api/alarms/${alarm.id}/acknowledge`;
  const approvals = '/api/billing/runs/acme%2F2026-04%2Fv1/approvals';
  it.each<[string, string, keyof typeof TOKENS, string, string]>([
    [
      'an array body nested 20,000 deep',
      '/api/incidents/inc-x/comments',
      'engineer',
      `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
      `body field "${Array<string>(32).fill('0').join('.')}" is nested deeper than 32 levels`,
    ],
    [
      'an object body nested 5,000 deep',
      '/api/incidents/inc-x/comments',
      'engineer',
      `{"text":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
      `body field "text.${Array<string>(31).fill('a').join('.')}" is nested deeper than 32 levels`,
    ],
    [
      'a lone surrogate in a comment',
      '/api/incidents/inc-x/comments',
      'engineer',
      '{"text":"a\\ud800b"}',
      'body field "text" must not contain a lone UTF-16 surrogate (\\ud800 to \\udfff unpaired)',
    ],
    [
      'a lone surrogate in an assignee',
      '/api/incidents/inc-x/assign',
      'engineer',
      '{"assignee":"carol\\udc00"}',
      'body field "assignee" must not contain a lone UTF-16 surrogate (\\ud800 to \\udfff unpaired)',
    ],
    [
      'a line number beyond a PostgreSQL integer',
      approvals,
      'billing',
      '{"lineNo":2147483648,"reason":"checked"}',
      'body field "lineNo" must be <= 2147483647',
    ],
    [
      'a body on an alarm acknowledge, which takes none',
      alarmAck,
      'engineer',
      '{"force":true}',
      'body field "force" is not allowed',
    ],
    [
      'a body on an incident acknowledge, which takes none',
      '/api/incidents/inc-x/acknowledge',
      'engineer',
      '{"force":true}',
      'body field "force" is not allowed',
    ],
    [
      'a number for a text field',
      '/api/incidents/inc-x/comments',
      'engineer',
      '{"text":123}',
      'body field "text" must be string',
    ],
    [
      'a number for a decimal amount',
      '/api/billing/runs/acme%2F2026-04%2Fv1/adjustments',
      'billing',
      '{"kind":"credit","amount":5,"currency":"EUR","serviceId":"s","reason":"goodwill"}',
      'body field "amount" must be string',
    ],
    [
      'a text for a line number',
      approvals,
      'billing',
      '{"lineNo":"1","reason":"checked"}',
      'body field "lineNo" must be integer',
    ],
  ])('refuses %s with 400', async (_label, url, role, payload, message) => {
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { ...as(role), ...json },
      payload,
    });
    expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message });
  });

  it.each([
    ['no body', undefined],
    ['{}', '{}'],
  ])(
    'takes an alarm acknowledge with %s (then waits for a correlator)',
    async (_label, payload) => {
      const response = await app.inject({
        method: 'POST',
        url: alarmAck,
        headers: { ...as('engineer'), ...(payload === undefined ? {} : json) },
        ...(payload === undefined ? {} : { payload }),
      });
      expect(response.statusCode).toBe(503);
    },
  );
});

describe('query integers', () => {
  it.each([
    ['/api/alarms', '1e3'],
    ['/api/alarms', '0x10'],
    ['/api/alarms', '5.0'],
    ['/api/alarms', '%205'],
    ['/api/incidents', '1e2'],
    ['/api/billing/runs', '0b11'],
  ])('%s?limit=%s answers 400', async (path, limit) => {
    const response = await app.inject({
      method: 'GET',
      url: `${path}?limit=${limit}`,
      headers: as('admin'),
    });
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'query parameter "limit" must be a decimal integer (digits only)',
    });
  });

  it('takes a plain decimal limit', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/alarms?state=all&limit=010',
      headers: as('viewer'),
    });
    expect(response.json()).toEqual({ alarms: [alarm] });
  });
});

describe('hostile filter values', () => {
  const HOSTILE = [
    "core-1' OR '1'='1",
    "core-1'; DROP TABLE alarms; --",
    "' UNION SELECT id, reduction_key FROM alarms --",
    'core-1" OR ""="',
    '%',
    'core-_',
    '$1',
    '\\',
    'core-1\\',
  ];

  it.each(HOSTILE)('device=%s matches no alarm', async (device) => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/alarms?state=all&device=${encodeURIComponent(device)}`,
      headers: as('viewer'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ alarms: [] });
  });

  it.each(HOSTILE)('search=%s finds no incident and fails nothing', async (search) => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/incidents?state=all&search=${encodeURIComponent(search)}`,
      headers: as('viewer'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ incidents: [] });
  });

  it.each(HOSTILE)('customer=%s finds no billing run', async (customer) => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/billing/runs?customer=${encodeURIComponent(customer)}`,
      headers: as('billing'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ available: true, runs: [] });
  });

  it('refuses a NUL character in a filter with 400, not a database error', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/alarms?device=core%00-1',
      headers: as('viewer'),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'query parameter "device" must not contain NUL (U+0000) characters',
    });
  });

  it('leaves the data as it was: the alarm is still there, and still the only one', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/alarms?state=all&device=core-1',
      headers: as('viewer'),
    });
    expect(response.json()).toEqual({ alarms: [alarm] });
    const { rows } = await fixture.pool.query<{ n: string }>('SELECT count(*) AS n FROM alarms');
    expect(rows).toEqual([{ n: '1' }]);
  });
});
