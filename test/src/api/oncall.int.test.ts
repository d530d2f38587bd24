import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@faultline/shared';
import { buildApp } from '@faultline/api';
import { createApiFixture, type ApiFixture } from './harness.js';
import { TOKENS, withTokens } from './incident-world.js';

let fixture: ApiFixture;
let app: FastifyInstance;
const engineer = { authorization: `Bearer ${TOKENS.engineer}` };
const viewer = { authorization: `Bearer ${TOKENS.viewer}` };

beforeAll(async () => {
  fixture = await createApiFixture();
  app = await buildApp({
    pool: fixture.pool,
    redis: fixture.redis,
    config: withTokens(fixture.config),
    settings: fixture.settings,
    logger: createLogger({ level: 'silent' }),
    dashboardDir: null,
  });
});

afterAll(async () => {
  await app.close();
  await fixture.close();
});

interface RotationView {
  name: string;
  now: { person: string; source: string; end: string } | null;
  next: { person: string; start: string } | null;
}

describe('on-call api (real PostgreSQL)', () => {
  it('an override added now is who is on call now; removed, the rotation is back', async () => {
    const before = (await app.inject({ method: 'GET', url: '/api/oncall', headers: viewer })).json<{
      rotations: RotationView[];
    }>().rotations[0];
    expect(before).toMatchObject({ name: 'primary', now: { source: 'shift' } });
    const other = before?.now?.person === 'alice' ? 'bob' : 'alice';
    const start = new Date(Date.now() - 60_000).toISOString();
    const end = new Date(Date.now() + 3_600_000).toISOString();
    const added = await app.inject({
      method: 'POST',
      url: '/api/oncall/overrides',
      headers: engineer,
      payload: { rotation: 'primary', person: other, start, end },
    });
    expect(added.statusCode).toBe(201);
    const { id, createdBy } = added.json<{ id: string; createdBy: string }>();
    expect(createdBy).toBe('alice');
    const during = (await app.inject({ method: 'GET', url: '/api/oncall', headers: viewer })).json<{
      rotations: RotationView[];
    }>().rotations[0];
    expect(during?.now).toMatchObject({ person: other, source: 'override' });
    expect(during?.next?.start).toBe(new Date(end).toISOString());
    const calendar = await app.inject({
      method: 'GET',
      url: '/api/oncall/rotations/primary/calendar.ics',
      headers: viewer,
    });
    expect(calendar.headers['content-type']).toMatch(/^text\/calendar/);
    expect(calendar.body).toContain(`SUMMARY:On call: ${other} (primary)`);
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/oncall/overrides/${id}`,
      headers: engineer,
    });
    expect(removed.statusCode).toBe(204);
    const after = (await app.inject({ method: 'GET', url: '/api/oncall', headers: viewer })).json<{
      rotations: RotationView[];
    }>().rotations[0];
    expect(after?.now?.person).toBe(before?.now?.person);
  });

  it.each([
    [{ rotation: 'nope', person: 'alice' }, 'body/rotation: unknown rotation "nope"'],
    [{ rotation: 'primary', person: 'mallory' }, 'body/person: unknown person "mallory"'],
    [
      { rotation: 'primary', person: 'alice', end: '2030-01-01T00:00:00Z' },
      'body/end: must be after start',
    ],
  ])('refuses a bad override: %j', async (fields, message) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/oncall/overrides',
      headers: engineer,
      payload: { start: '2030-01-01T00:00:00Z', end: '2030-01-02T00:00:00Z', ...fields },
    });
    expect([response.statusCode, response.json<{ message: string }>().message]).toEqual([
      400,
      message,
    ]);
  });

  it('subscriptions: https only; the person is the token; unsubscribe removes it', async () => {
    const post = (endpoint: string) =>
      app.inject({
        method: 'POST',
        url: '/api/paging/subscriptions',
        headers: engineer,
        payload: { endpoint, keys: { p256dh: 'BPk', auth: 'au' } },
      });
    expect((await post('http://127.0.0.1:9/push')).statusCode).toBe(400);
    expect((await post('https://push.example/alice-1')).json()).toEqual({
      person: 'alice',
      subscribed: true,
    });
    const count = async () =>
      (
        await app.inject({ method: 'GET', url: '/api/paging/subscriptions', headers: engineer })
      ).json<{
        subscriptions: number;
      }>().subscriptions;
    expect(await count()).toBe(1);
    const removed = await app.inject({
      method: 'DELETE',
      url: '/api/paging/subscriptions',
      headers: engineer,
      payload: { endpoint: 'https://push.example/alice-1' },
    });
    expect(removed.statusCode).toBe(204);
    expect(await count()).toBe(0);
  });
});
