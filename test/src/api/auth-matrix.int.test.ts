import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Role } from '@faultline/shared';
import { buildApp, faultlineApp, type AppDeps } from '@faultline/api';
import { createApiFixture, type ApiFixture } from './harness.js';
import { TOKENS, withTokens } from './incident-world.js';

let fixture: ApiFixture;
let deps: AppDeps;
let app: FastifyInstance;
let limited: FastifyInstance;

const UUID = '00000000-0000-4000-8000-000000000000';
type Caller = Role | 'anonymous';
const CALLERS: readonly Caller[] = [
  'anonymous',
  'metrics',
  'viewer',
  'engineer',
  'billing',
  'care',
  'admin',
];

const EVERYONE: readonly Caller[] = CALLERS;
const ANY_ROLE: readonly Caller[] = ['viewer', 'engineer', 'billing', 'admin'];
const ENGINEERS: readonly Caller[] = ['engineer', 'admin'];
const BILLING: readonly Caller[] = ['billing', 'admin'];
const ADMIN: readonly Caller[] = ['admin'];
const CARE: readonly Caller[] = ['care', 'admin'];
const SCRAPERS: readonly Caller[] = ['metrics', 'admin'];

/**
 * Every route, who may call it, and what an allowed caller gets here (no correlator runs, so
 * commands answer 503 after the short timeout, and so do the admin routes with no simulator;
 * unknown ids answer 404).
 */
const ROUTES: readonly [string, string, string, object | undefined, readonly Caller[], number][] = [
  ['GET', '/api/health', '/api/health', undefined, EVERYONE, 200],
  ['GET', '/api/alarms', '/api/alarms', undefined, ANY_ROLE, 200],
  ['GET', '/api/alarms/{id}', `/api/alarms/${UUID}`, undefined, ANY_ROLE, 404],
  [
    'POST',
    '/api/alarms/{id}/acknowledge',
    `/api/alarms/${UUID}/acknowledge`,
    undefined,
    ENGINEERS,
    503,
  ],
  ['GET', '/api/incidents', '/api/incidents', undefined, ANY_ROLE, 200],
  ['GET', '/api/incidents/{id}', '/api/incidents/inc-x', undefined, ANY_ROLE, 404],
  [
    'POST',
    '/api/incidents/{id}/acknowledge',
    '/api/incidents/inc-x/acknowledge',
    undefined,
    ENGINEERS,
    503,
  ],
  [
    'POST',
    '/api/incidents/{id}/assign',
    '/api/incidents/inc-x/assign',
    { assignee: 'carol' },
    ENGINEERS,
    503,
  ],
  [
    'POST',
    '/api/incidents/{id}/comments',
    '/api/incidents/inc-x/comments',
    { text: 'hi' },
    ENGINEERS,
    503,
  ],
  ['POST', '/api/incidents/{id}/resolve', '/api/incidents/inc-x/resolve', {}, ENGINEERS, 503],
  ['GET', '/api/devices', '/api/devices', undefined, ANY_ROLE, 200],
  ['GET', '/api/topology', '/api/topology', undefined, ANY_ROLE, 200],
  ['GET', '/api/session', '/api/session', undefined, ANY_ROLE, 200],
  ['GET', '/api/billing/runs', '/api/billing/runs', undefined, BILLING, 200],
  [
    'GET',
    '/api/billing/runs/{id}',
    '/api/billing/runs/acme%2F2026-04%2Fv1',
    undefined,
    BILLING,
    404,
  ],
  [
    'GET',
    '/api/billing/runs/{id}/export.csv',
    '/api/billing/runs/acme%2F2026-04%2Fv1/export.csv',
    undefined,
    BILLING,
    404,
  ],
  [
    'GET',
    '/api/billing/runs/{id}/export.json',
    '/api/billing/runs/acme%2F2026-04%2Fv1/export.json',
    undefined,
    BILLING,
    404,
  ],
  ['POST', '/api/billing/runs', '/api/billing/runs', { period: '2026-04' }, BILLING, 202],
  ['GET', '/api/billing/jobs/{id}', '/api/billing/jobs/no-such-job', undefined, BILLING, 404],
  [
    'GET',
    '/api/billing/runs/{id}/actions',
    '/api/billing/runs/acme%2F2026-04%2Fv1/actions',
    undefined,
    BILLING,
    404,
  ],
  [
    'POST',
    '/api/billing/runs/{id}/approvals',
    '/api/billing/runs/acme%2F2026-04%2Fv1/approvals',
    { lineNo: 1, reason: 'checked' },
    BILLING,
    404,
  ],
  [
    'POST',
    '/api/billing/runs/{id}/adjustments',
    '/api/billing/runs/acme%2F2026-04%2Fv1/adjustments',
    { kind: 'credit', amount: '1.00', currency: 'EUR', serviceId: 's', reason: 'goodwill' },
    BILLING,
    404,
  ],
  ['GET', '/api/billing/claims', '/api/billing/claims', undefined, BILLING, 200],
  [
    'POST',
    '/api/billing/claims',
    '/api/billing/claims',
    {
      customer: 'acme',
      service: 'no-such-service',
      start: '2026-04-01T00:00:00Z',
      end: '2026-04-01T01:00:00Z',
      reference: 'carrier ticket 1',
      evidence: 'site visit',
    },
    BILLING,
    400,
  ],
  [
    'POST',
    '/api/billing/claims/{id}/approval',
    '/api/billing/claims/999999999/approval',
    { reason: 'checked' },
    BILLING,
    404,
  ],
  ['GET', '/api/services', '/api/services', undefined, ANY_ROLE, 200],
  ['GET', '/api/devices/{name}', '/api/devices/no-such-device', undefined, ANY_ROLE, 404],
  [
    'GET',
    '/api/devices/{name}/interfaces/{ifIndex}/traffic',
    '/api/devices/no-such-device/interfaces/1/traffic',
    undefined,
    ANY_ROLE,
    404,
  ],
  ['GET', '/api/network/health', '/api/network/health', undefined, ANY_ROLE, 200],
  ['GET', '/api/admin/scenarios', '/api/admin/scenarios', undefined, ADMIN, 503],
  ['POST', '/api/admin/scenarios/{name}/run', '/api/admin/scenarios/fibre-cut/run', {}, ADMIN, 503],
  // No discovery section in this config, and no run to approve: a clear 400 each.
  ['GET', '/api/discovery', '/api/discovery', undefined, ADMIN, 200],
  ['POST', '/api/discovery/runs', '/api/discovery/runs', undefined, ADMIN, 400],
  [
    'POST',
    '/api/discovery/approvals',
    '/api/discovery/approvals',
    { runId: 'run-x', changeIds: 'all' },
    ADMIN,
    400,
  ],
  ['GET', '/api/discovery/topology.yaml', '/api/discovery/topology.yaml', undefined, ADMIN, 200],
  [
    'GET',
    '/api/paging/vapid-public-key',
    '/api/paging/vapid-public-key',
    undefined,
    ENGINEERS,
    200,
  ],
  ['GET', '/api/paging/subscriptions', '/api/paging/subscriptions', undefined, ENGINEERS, 200],
  [
    'POST',
    '/api/paging/subscriptions',
    '/api/paging/subscriptions',
    { endpoint: 'https://push.example/sub-1', keys: { p256dh: 'BPk', auth: 'au' } },
    ENGINEERS,
    201,
  ],
  [
    'DELETE',
    '/api/paging/subscriptions',
    '/api/paging/subscriptions',
    { endpoint: 'https://push.example/none' },
    ENGINEERS,
    404,
  ],
  // Public: the page's token is the credential, and a bad one is refused whoever calls.
  ['POST', '/api/paging/ack', '/api/paging/ack', { token: 'bad.token' }, EVERYONE, 401],
  ['GET', '/api/oncall', '/api/oncall', undefined, ANY_ROLE, 200],
  [
    'GET',
    '/api/oncall/rotations/{name}/calendar.ics',
    '/api/oncall/rotations/primary/calendar.ics',
    undefined,
    ANY_ROLE,
    200,
  ],
  ['GET', '/api/oncall/overrides', '/api/oncall/overrides', undefined, ANY_ROLE, 200],
  [
    'POST',
    '/api/oncall/overrides',
    '/api/oncall/overrides',
    {
      rotation: 'primary',
      person: 'alice',
      start: '2030-01-01T00:00:00Z',
      end: '2030-01-02T00:00:00Z',
    },
    ENGINEERS,
    201,
  ],
  [
    'DELETE',
    '/api/oncall/overrides/{id}',
    '/api/oncall/overrides/999999',
    undefined,
    ENGINEERS,
    404,
  ],
  ['GET', '/api/live-cost', '/api/live-cost', undefined, ANY_ROLE, 200],
  ['GET', '/api/care/customers', '/api/care/customers', undefined, CARE, 200],
  ['GET', '/api/care/customers/{id}', '/api/care/customers/nobody', undefined, CARE, 404],
  [
    'GET',
    '/api/care/customers/{id}/status-links',
    '/api/care/customers/nobody/status-links',
    undefined,
    CARE,
    404,
  ],
  [
    'POST',
    '/api/care/customers/{id}/status-links',
    '/api/care/customers/nobody/status-links',
    { label: 'noc' },
    CARE,
    404,
  ],
  [
    'POST',
    '/api/care/status-links/{id}/revoke',
    '/api/care/status-links/sl-none/revoke',
    undefined,
    CARE,
    404,
  ],
  // Public: a status link's token is the credential; an api token is none.
  ['GET', '/api/status', '/api/status', undefined, EVERYONE, 401],
  ['GET', '/api/openapi.json', '/api/openapi.json', undefined, ANY_ROLE, 200],
  ['GET', '/metrics', '/metrics', undefined, SCRAPERS, 200],
];

/** Routes outside the OpenAPI document, public by design: the API reference page and its files. */
const PUBLIC_PAGES = ['/api/docs', '/api/docs/docs.js', '/api/docs/docs.css'];

const token = (caller: Caller): Record<string, string> =>
  caller === 'anonymous' ? {} : { authorization: `Bearer ${TOKENS[caller]}` };

beforeAll(async () => {
  fixture = await createApiFixture();
  deps = {
    pool: fixture.pool,
    redis: fixture.redis,
    config: withTokens(fixture.config),
    settings: { ...fixture.settings, adminToken: TOKENS.admin },
    logger: createLogger({ level: 'silent' }),
    dashboardDir: null,
  };
  app = await buildApp({
    ...deps,
    commandTimeoutMs: 150,
    simulatorTimeoutMs: 150,
    maxAuthFailuresPerMinute: 1000,
  });
  limited = await buildApp({ ...deps, maxAuthFailuresPerMinute: 3 });
});

afterAll(async () => {
  await app.close();
  await limited.close();
  await fixture.close();
});

describe('auth matrix', () => {
  const cases = ROUTES.flatMap(([method, pattern, url, body, allowed, status]) =>
    CALLERS.map((caller) => {
      const expected = allowed.includes(caller) ? status : caller === 'anonymous' ? 401 : 403;
      return [method, pattern, caller, expected, url, body] as const;
    }),
  );

  it.each(cases)('%s %s as %s → %i', async (method, _pattern, caller, expected, url, body) => {
    const response = await app.inject({
      method: method as 'GET' | 'POST' | 'DELETE',
      url,
      headers: token(caller),
      ...(body === undefined ? {} : { payload: body }),
    });
    expect(response.statusCode).toBe(expected);
  });

  it('covers every route of the OpenAPI document', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: token('admin'),
    });
    const paths = response.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    const documented = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const covered = ROUTES.map(([method, pattern]) => `${method} ${pattern}`);
    expect(documented.sort()).toEqual(covered.sort());
  });

  it.each(PUBLIC_PAGES.flatMap((url) => CALLERS.map((caller) => [url, caller] as const)))(
    'GET %s as %s → 200',
    async (url, caller) => {
      const response = await app.inject({ method: 'GET', url, headers: token(caller) });
      expect(response.statusCode).toBe(200);
    },
  );

  it('covers every route the app registers, so a new route cannot be left out', async () => {
    // The same plugin on a bare instance that records each route as it is added; fastify's own
    // HEAD twins of GET routes pass the same auth hook and are left out.
    const registered: string[] = [];
    const probe = Fastify();
    probe.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') registered.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
      }
    });
    await probe.register(faultlineApp, deps);
    await probe.ready();
    await probe.close();
    const covered = [
      ...ROUTES.map(([method, pattern]) => `${method} ${pattern}`),
      ...PUBLIC_PAGES.map((url) => `GET ${url}`),
    ];
    expect(registered.sort()).toEqual(covered.sort());
  });
});

describe('refused tokens', () => {
  it('answer 429 after too many from one address, even to a valid token, and not for no token', async () => {
    const call = (headers: Record<string, string>) =>
      limited.inject({ method: 'GET', url: '/api/alarms', headers });
    for (let attempt = 0; attempt < 5; attempt++) expect((await call({})).statusCode).toBe(401);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await call({ authorization: 'Bearer guess-0000000000' })).statusCode).toBe(401);
    }
    const blocked = await call(token('viewer'));
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    // The status page checks its link tokens against the same budget.
    const status = await limited.inject({
      method: 'GET',
      url: '/api/status',
      headers: { authorization: 'Bearer fls_guess-0000000000' },
    });
    expect(status.statusCode).toBe(429);
  });
});

describe('GET /api/docs', () => {
  it('serves a page and its script under the strict CSP, without data', async () => {
    const page = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<script type="module" src="/api/docs/docs.js">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = await app.inject({ method: 'GET', url: '/api/docs/docs.js' });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain("fetch('/api/openapi.json'");
  });
});

describe('api rate limit', () => {
  it('answers 429 with retry-after once one client made 600 requests in a minute', async () => {
    // Runs last in this file: the budget it spends is the one every test above shares.
    const health = () => app.inject({ method: 'GET', url: '/api/health' });
    const first = await health();
    const remaining = Number(first.headers['x-ratelimit-remaining']);
    expect(first.headers['x-ratelimit-limit']).toBe('600');
    for (let call = 0; call < remaining; call++) expect((await health()).statusCode).toBe(200);
    const refused = await health();
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});
