import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerCare, StatusPage } from '@faultline/shared';
import { createCareWorld, type CareWorld } from './care-world.js';
import { TOKENS } from './incident-world.js';

describe('the care desk and status links', () => {
  let world: CareWorld;
  let app: FastifyInstance;

  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    world = await createCareWorld();
    app = await world.app();
  });

  afterAll(async () => {
    await world.close();
  });

  it('finds a customer by name or by service', async () => {
    for (const [search, found] of [
      ['acme log', ['acme']],
      ['VPN', ['globex']],
      ['acme-backup', ['acme']],
      ['', ['acme', 'globex']],
    ] as const) {
      const answer = await app.inject({
        url: `/api/care/customers?search=${encodeURIComponent(search)}`,
        headers: as(TOKENS.care),
      });
      expect(answer.json<{ customers: { id: string }[] }>().customers.map((c) => c.id)).toEqual(
        found,
      );
    }
  });

  it("shows one customer's services, incidents and credits, and nothing of another", async () => {
    const answer = await app.inject({ url: '/api/care/customers/acme', headers: as(TOKENS.care) });
    expect(answer.statusCode).toBe(200);
    expect(answer.body.toLowerCase()).not.toContain('globex');
    const care = answer.json<CustomerCare>();
    expect(care.services.map((s) => [s.serviceId, s.state, s.availabilityPercent])).toEqual([
      ['acme-transit', 'down', '99.838'],
      ['acme-backup', 'degraded', '100'],
    ]);
    expect(care.incidents.map((i) => [i.id, i.serviceIds])).toEqual([
      ['inc-shared', ['acme-backup']],
      ['inc-acme', ['acme-transit']],
    ]);
    // Care staff read the comments; the correlator's texts listing services are replaced.
    expect(care.incidents[1]?.notes.map((n) => n.text)).toEqual([
      'Opened',
      '[public] Fibre cut near the depot, a crew is on site.',
      'swap the line card in slot 3',
    ]);
    // April's run: 70 minutes of transit downtime, Gold's 25 % of 900.00 EUR.
    expect(care.closedPeriods).toEqual([
      {
        period: '2026-04',
        runId: 'acme/2026-04/v1',
        currency: 'EUR',
        credits: [
          expect.objectContaining({ serviceId: 'acme-transit', amount: '-225.00' }) as unknown,
        ],
      },
    ]);
  });

  it('serves a status link its customer only, with public notes, until it is revoked', async () => {
    const made = await app.inject({
      method: 'POST',
      url: '/api/care/customers/acme/status-links',
      headers: as(TOKENS.care),
      payload: { label: 'ACME NOC screen' },
    });
    expect(made.statusCode).toBe(201);
    const { link, token, path } = made.json<{
      link: { id: string };
      token: string;
      path: string;
    }>();
    expect(path).toBe(`/status#${token}`);

    const page = await app.inject({ url: '/api/status', headers: as(token) });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.body.toLowerCase()).not.toContain('globex');
    expect(page.body).not.toContain('slot 3');
    expect(page.body).not.toContain('access-1');
    const status = page.json<StatusPage>();
    expect(status.name).toBe('ACME Logistics');
    expect(status.services.map((s) => [s.serviceId, s.state, s.availabilityPercent])).toEqual([
      ['acme-transit', 'down', '99.838'],
      ['acme-backup', 'degraded', '100'],
    ]);
    expect(status.incidents.map((i) => [i.id, i.title, i.notes.map((n) => n.text)])).toEqual([
      ['inc-shared', null, ['We are investigating a problem.']],
      [
        'inc-acme',
        null,
        ['We are investigating a problem.', 'Fibre cut near the depot, a crew is on site.'],
      ],
    ]);

    // Another customer's link shows that customer's page.
    const other = await app.inject({
      method: 'POST',
      url: '/api/care/customers/globex/status-links',
      headers: as(TOKENS.admin),
      payload: { label: 'Globex' },
    });
    const globexToken = other.json<{ token: string }>().token;
    const globex = await app.inject({ url: '/api/status', headers: as(globexToken) });
    expect(
      globex
        .json<StatusPage>()
        .incidents.map((i) => i.id)
        .sort(),
    ).toEqual(['inc-globex', 'inc-shared']);
    expect(globex.body).not.toContain('ACME');

    const revoked = await app.inject({
      method: 'POST',
      url: `/api/care/status-links/${link.id}/revoke`,
      headers: as(TOKENS.care),
    });
    expect(revoked.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/status', headers: as(token) })).statusCode).toBe(401);
    // Revoking one link leaves the others.
    expect((await app.inject({ url: '/api/status', headers: as(globexToken) })).statusCode).toBe(
      200,
    );
    const links = await app.inject({
      url: '/api/care/customers/acme/status-links',
      headers: as(TOKENS.care),
    });
    expect(links.json<{ links: { revokedBy: string | null }[] }>().links).toEqual([
      expect.objectContaining({ label: 'ACME NOC screen', createdBy: 'carol', revokedBy: 'carol' }),
    ]);
  });

  it('refuses the care desk to roles that read the network, and the network to care', async () => {
    const viewer = await app.inject({
      url: '/api/care/customers/acme',
      headers: as(TOKENS.viewer),
    });
    expect(viewer.statusCode).toBe(403);
    const alarms = await app.inject({ url: '/api/alarms', headers: as(TOKENS.care) });
    expect(alarms.statusCode).toBe(403);
    // An api token is no status link.
    expect((await app.inject({ url: '/api/status', headers: as(TOKENS.care) })).statusCode).toBe(
      401,
    );
  });
});
