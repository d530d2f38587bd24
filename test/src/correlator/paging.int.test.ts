import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createHash } from 'node:crypto';
import { buildApp } from '@faultline/api';
import { acknowledgeIncident } from '@faultline/correlator';
import { PAGING_QUEUE, createLogger, loadPagingKeys, type Config } from '@faultline/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver.js';
import {
  asPage,
  startPageReceivers,
  type PageReceivers,
  type TestBrowser,
} from '../support/page-receivers.js';
import {
  createIncidentHarness,
  linkDownEvent,
  linkUpEvent,
  type IncidentHarness,
} from './incident-harness.js';

const WAIT = { timeout: 20_000, interval: 50 };
const HOOK_SECRET = 'a-webhook-secret-of-the-test';
const DAY_MS = 86_400_000;

interface PageRow {
  action: string;
  step: number | null;
  person: string | null;
  channel: string;
  status: string;
  detail: string;
}

/** The paging section of a test: alice on call, bob at level 2, carol for overrides. */
function pagingConfig(receivers: PageReceivers, escalateAfterMin = 60): Partial<Config['paging']> {
  const url = receivers.baseUrl;
  return {
    publicUrl: 'https://noc.test',
    people: [{ name: 'alice' }, { name: 'bob' }, { name: 'carol' }],
    rotations: [
      {
        name: 'noc',
        timeZone: 'Europe/Paris',
        // Alice's turn began yesterday and lasts 30 days.
        start: new Date(Date.now() - DAY_MS).toISOString().slice(0, 10),
        handoff: '00:00',
        shiftDays: 30,
        people: ['alice', 'bob'],
      },
    ],
    channels: [
      { name: 'chat', type: 'slack', url: `${url}/slack` },
      { name: 'teams', type: 'teams', url: `${url}/teams` },
      { name: 'pd', type: 'pagerduty', url: `${url}/pagerduty`, routingKey: 'routing-key-1' },
      { name: 'hook', type: 'webhook', url: `${url}/hook`, secret: HOOK_SECRET },
    ],
    policies: [
      {
        name: 'network',
        match: { severities: ['major', 'critical'] },
        levels: [
          {
            targets: [
              { rotation: 'noc' },
              { channel: 'chat' },
              { channel: 'teams' },
              { channel: 'pd' },
              { channel: 'hook' },
            ],
            escalateAfterMin,
          },
          { targets: [{ person: 'bob' }], escalateAfterMin: 60 },
        ],
        repeat: 0,
      },
    ],
    webPush: { subject: 'mailto:noc@faultline.test', allowLoopbackHttp: true },
    attempts: 30,
    backoffS: 0.1,
    timeoutS: 5,
  };
}

describe('paging (real HTTP receivers, Redis, PostgreSQL, BullMQ)', () => {
  let h: IncidentHarness | undefined;
  let receivers: PageReceivers | undefined;
  let pool: pg.Pool | undefined;
  let redis: Redis | undefined;
  let smtp: SmtpReceiver | undefined;
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
    // The pool and connection first: closing the harness drops the database under them.
    await pool?.end();
    await redis?.quit();
    await h?.close();
    await receivers?.close();
    h = receivers = pool = redis = undefined;
  });

  /** The world: receivers, a correlator, and the browsers subscribed (by name) for a person. */
  async function startWorld(
    options: {
      escalateAfterMin?: number;
      browsers?: Record<string, string>;
      paging?: (receivers: PageReceivers) => Partial<Config['paging']>;
    } = {},
  ) {
    let publicKey = '';
    receivers = await startPageReceivers({
      hookSecret: HOOK_SECRET,
      vapidPublicKey: () => publicKey,
    });
    h = await createIncidentHarness({
      paging: {
        ...pagingConfig(receivers, options.escalateAfterMin),
        ...options.paging?.(receivers),
      },
    });
    const correlator = await h.startCorrelator();
    pool = new pg.Pool({ connectionString: h.settings.databaseUrl, max: 2 });
    pool.on('error', () => undefined);
    publicKey = (await loadPagingKeys(pool)).vapidPublicKey;
    const browsers: Record<string, TestBrowser> = {};
    for (const [name, person] of Object.entries(
      options.browsers ?? { alice: 'alice', bob: 'bob' },
    )) {
      const browser = receivers.browser(name);
      browsers[name] = browser;
      await h.query(
        'INSERT INTO push_subscriptions (id, endpoint, person, p256dh, auth) VALUES ($1, $2, $3, $4, $5)',
        [
          name,
          browser.subscription.endpoint,
          person,
          browser.subscription.keys.p256dh,
          browser.subscription.keys.auth,
        ],
      );
    }
    redis = new Redis(h.settings.redisUrl);
    redis.on('error', () => undefined);
    return { h, receivers, pool, browsers, correlator };
  }

  async function openIncident(world: IncidentHarness): Promise<string> {
    await world.addBatch([linkDownEvent('core-1', 'xe-0/0/2')]);
    return settle(async () => {
      const rows = await world.query<{ id: string }>(
        "SELECT id FROM incidents WHERE title NOT LIKE 'barrier %' AND state <> 'resolved'",
      );
      if (rows[0] === undefined) throw new Error('no incident yet');
      return rows[0].id;
    });
  }

  const pages = (world: IncidentHarness, incidentId: string) =>
    world.query<PageRow>(
      'SELECT action, step, person, channel, status, detail FROM pages WHERE incident_id = $1 ORDER BY id',
      [incidentId],
    );

  /**
   * Waits like `vi.waitFor`; a wait that runs out says where paging stood: every incident's
   * paging record and what the receivers refused, so a failure names the step that did not happen.
   */
  async function settle<T>(check: () => T | Promise<T>): Promise<T> {
    try {
      return await vi.waitFor(check, WAIT);
    } catch (error) {
      const record =
        h === undefined
          ? []
          : await h.query(
              'SELECT incident_id, action, step, person, channel, status, detail FROM pages ORDER BY id',
            );
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n` +
          `paging record: ${JSON.stringify(record)}\n` +
          `refused by the receivers: ${JSON.stringify(receivers?.rejected ?? [])}`,
        { cause: error },
      );
    }
  }

  async function promoteEscalation(
    incidentId: string,
    step: number,
    promote = true,
  ): Promise<number> {
    if (h === undefined || redis === undefined) throw new Error('no world');
    const queue = new Queue(PAGING_QUEUE, { connection: redis, prefix: h.settings.prefix });
    try {
      const job = await settle(async () => {
        const delayed = await queue.getDelayed();
        const found = delayed.find(
          (j) =>
            j.name === 'escalate' &&
            (j.data as { incidentId: string; step: number }).incidentId === incidentId &&
            (j.data as { step: number }).step === step,
        );
        if (found === undefined) throw new Error('escalation not scheduled yet');
        return found;
      });
      const delay = job.opts.delay ?? 0;
      // Due now instead of in an hour: the test does not wait for the clock.
      if (promote) await job.promote();
      return delay;
    } finally {
      await queue.close();
    }
  }

  it('pages the on-call of the routed rotation and every channel once per new incident; the resolve reaches everyone paged', async () => {
    const { h: w, receivers: r } = await startWorld();
    const incidentId = await openIncident(w);
    await settle(() => {
      for (const path of ['/push/alice', '/slack', '/teams', '/pagerduty', '/hook'])
        expect(r.delivered(path), path).toHaveLength(1);
    });
    const [incident] = await w.query<{ title: string }>(
      'SELECT title FROM incidents WHERE id = $1',
      [incidentId],
    );
    const page = asPage(r.delivered('/push/alice')[0] ?? expect.fail('no push'));
    expect(page).toMatchObject({
      kind: 'page',
      incidentId,
      title: incident?.title,
      url: `https://noc.test/incidents/${incidentId}`,
    });
    expect(page.ackToken).toEqual(expect.any(String));
    expect(r.delivered('/pagerduty')[0]?.body).toMatchObject({
      event_action: 'trigger',
      dedup_key: incidentId,
      routing_key: 'routing-key-1',
    });
    expect(r.delivered('/hook')[0]?.body).toMatchObject({ action: 'page', page: { incidentId } });
    expect(r.delivered('/push/bob')).toHaveLength(0);
    expect(r.rejected).toEqual([]);

    await w.addBatch([linkUpEvent('core-1', 'xe-0/0/2')]);
    await settle(() => {
      for (const path of ['/push/alice', '/slack', '/teams', '/pagerduty', '/hook'])
        expect(r.delivered(path), path).toHaveLength(2);
    });
    expect(asPage(r.delivered('/push/alice')[1] ?? expect.fail('no resolve'))).toMatchObject({
      kind: 'resolve',
      incidentId,
    });
    expect(
      asPage(r.delivered('/push/alice')[1] ?? expect.fail('no resolve')).ackToken,
    ).toBeUndefined();
    expect(r.delivered('/pagerduty')[1]?.body).toMatchObject({
      event_action: 'resolve',
      dedup_key: incidentId,
    });
    expect(r.delivered('/slack')[1]?.body.text).toMatch(/^Resolved: /);
    expect(r.delivered('/push/bob')).toHaveLength(0);
    // Every delivery is on the incident's paging record (written once the receiver answered).
    await settle(async () => {
      const delivered = (await pages(w, incidentId)).filter((p) => p.status === 'delivered');
      expect(delivered.map((p) => `${p.action} ${p.channel}`).sort()).toEqual([
        'page pagerduty',
        'page slack',
        'page teams',
        'page webhook',
        'page webpush',
        'resolve pagerduty',
        'resolve slack',
        'resolve teams',
        'resolve webhook',
        'resolve webpush',
      ]);
    });
  });

  it('escalates to level 2 when the timeout passes unacknowledged', async () => {
    const { h: w, receivers: r } = await startWorld({ escalateAfterMin: 30 });
    const incidentId = await openIncident(w);
    await settle(() => {
      expect(r.delivered('/push/alice')).toHaveLength(1);
    });
    // The step is scheduled with the level's timeout; the test makes it due now.
    expect(await promoteEscalation(incidentId, 1)).toBe(30 * 60_000);
    await settle(() => {
      expect(r.delivered('/push/bob')).toHaveLength(1);
    });
    expect(asPage(r.delivered('/push/bob')[0] ?? expect.fail('no page'))).toMatchObject({
      kind: 'page',
      incidentId,
    });
    await settle(async () => {
      const rows = await pages(w, incidentId);
      expect(rows.filter((p) => p.status === 'delivered' && p.person === 'bob')).toMatchObject([
        { action: 'page', step: 1, channel: 'webpush' },
      ]);
    });
  });

  it('does not escalate after an acknowledgement, and PagerDuty and the webhook hear of it', async () => {
    const { h: w, receivers: r, pool: db } = await startWorld();
    const incidentId = await openIncident(w);
    await settle(() => {
      expect(r.delivered('/push/alice')).toHaveLength(1);
    });
    const outcome = await acknowledgeIncident(db, { incidentId, actor: 'alice' });
    expect(outcome.ok).toBe(true);
    await settle(() => {
      expect(r.delivered('/pagerduty').map((x) => x.body.event_action)).toEqual([
        'trigger',
        'acknowledge',
      ]);
      expect(r.delivered('/hook').map((x) => x.body.action)).toEqual(['page', 'acknowledge']);
    });
    await promoteEscalation(incidentId, 1);
    await settle(async () => {
      const rows = await pages(w, incidentId);
      expect(rows).toContainEqual(
        expect.objectContaining({
          step: 1,
          status: 'stopped',
          detail: 'escalation stopped: acknowledged',
        }),
      );
    });
    expect(r.delivered('/push/bob')).toHaveLength(0);
    expect(r.delivered('/slack')).toHaveLength(1);
  });

  it('removes a subscription the push service answers 410 for; the other browsers still get the page', async () => {
    const { h: w, receivers: r } = await startWorld({
      browsers: { alice: 'alice', 'alice-old': 'alice' },
    });
    r.answer('/push/alice-old', 410);
    const incidentId = await openIncident(w);
    await settle(async () => {
      expect(r.delivered('/push/alice')).toHaveLength(1);
      const left = await w.query<{ id: string }>('SELECT id FROM push_subscriptions ORDER BY id');
      expect(left.map((s) => s.id)).toEqual(['alice']);
    });
    await settle(async () => {
      const gone = (await pages(w, incidentId)).filter((p) => p.status === 'gone');
      expect(gone).toMatchObject([
        {
          person: 'alice',
          channel: 'webpush',
          detail: 'push service answered 410; subscription removed',
        },
      ]);
    });
  });

  it('retries a failing channel with backoff without holding up the others', async () => {
    const { h: w, receivers: r } = await startWorld();
    r.answer('/teams', 503);
    const incidentId = await openIncident(w);
    await settle(async () => {
      for (const path of ['/push/alice', '/slack', '/pagerduty', '/hook'])
        expect(r.delivered(path), path).toHaveLength(1);
      const retries = (await pages(w, incidentId)).filter(
        (p) => p.channel === 'teams' && p.status === 'retrying',
      );
      expect(retries.length).toBeGreaterThanOrEqual(2);
    });
    expect(r.delivered('/teams')).toHaveLength(0);
    r.answer('/teams', undefined);
    await settle(() => {
      expect(r.delivered('/teams')).toHaveLength(1);
    });
    await settle(async () => {
      const rows = (await pages(w, incidentId)).filter((p) => p.channel === 'teams');
      expect(rows.at(-1)).toMatchObject({
        status: 'delivered',
        detail: 'teams channel teams answered 200',
      });
    });
  });

  it('an override in force pages the person covering, not the rotation', async () => {
    const { h: w, receivers: r } = await startWorld({
      browsers: { alice: 'alice', carol: 'carol' },
    });
    await w.query(
      `INSERT INTO oncall_overrides (rotation, person, covers, starts_at, ends_at, created_by)
       VALUES ('noc', 'carol', 'alice', now() - interval '1 minute', now() + interval '1 hour', 'test')`,
    );
    const incidentId = await openIncident(w);
    await settle(() => {
      expect(r.delivered('/push/carol')).toHaveLength(1);
    });
    const people = (await pages(w, incidentId)).filter((p) => p.step === 0 && p.person !== null);
    expect([...new Set(people.map((p) => p.person))]).toEqual(['carol']);
    expect(r.delivered('/push/alice')).toHaveLength(0);
  });

  it("an acknowledgement from the notification (the page's token, no bearer token) stops the escalation", async () => {
    const { h: w, receivers: r, pool: db } = await startWorld({ browsers: {} });
    const aliceToken = 'alice-token-of-the-paging-test';
    const api = await buildApp({
      pool: db,
      redis: redis ?? expect.fail('no redis'),
      config: {
        ...w.config,
        api: {
          ...w.config.api,
          tokens: [
            {
              name: 'alice',
              role: 'engineer',
              sha256: createHash('sha256').update(aliceToken).digest('hex'),
            },
          ],
        },
      },
      settings: w.settings,
      logger: createLogger({ level: 'silent' }),
      dashboardDir: null,
    });
    try {
      // The browser subscribes through the api, as the signed-in token's name.
      const browser = r.browser('alice');
      const auth = { authorization: `Bearer ${aliceToken}` };
      const key = await api.inject({
        method: 'GET',
        url: '/api/paging/vapid-public-key',
        headers: auth,
      });
      expect(key.json()).toEqual({ publicKey: (await loadPagingKeys(db)).vapidPublicKey });
      const subscribed = await api.inject({
        method: 'POST',
        url: '/api/paging/subscriptions',
        headers: auth,
        payload: { ...browser.subscription, expirationTime: null },
      });
      expect(subscribed.statusCode).toBe(201);
      const incidentId = await openIncident(w);
      await settle(() => {
        expect(r.delivered('/push/alice')).toHaveLength(1);
      });
      const token = asPage(r.delivered('/push/alice')[0] ?? expect.fail('no page')).ackToken ?? '';
      const forged = await api.inject({
        method: 'POST',
        url: '/api/paging/ack',
        payload: { token: `${token.split('.')[0] ?? ''}.AAAA` },
      });
      expect(forged.statusCode).toBe(401);
      const acked = await api.inject({
        method: 'POST',
        url: '/api/paging/ack',
        payload: { token },
      });
      expect([acked.statusCode, acked.json()]).toEqual([
        200,
        { incidentId, acknowledgedBy: 'alice', changed: true },
      ]);
      await promoteEscalation(incidentId, 1);
      await settle(async () => {
        const rows = await pages(w, incidentId);
        expect(rows).toContainEqual(
          expect.objectContaining({
            step: 1,
            status: 'stopped',
            detail: 'escalation stopped: acknowledged',
          }),
        );
      });
      expect(r.delivered('/push/bob')).toHaveLength(0);
      // The incident's timeline says who was paged and that the page was acknowledged from it.
      const detail = await api.inject({
        method: 'GET',
        url: `/api/incidents/${incidentId}`,
        headers: auth,
      });
      const timeline = detail.json<{ timeline: { kind: string; body: string }[] }>().timeline;
      expect(timeline.filter((e) => e.kind === 'page').map((e) => e.body)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^page \(step 1\) to alice by Web Push: delivered/),
          'acknowledged from Web Push',
          'escalation stopped: acknowledged (step 2)',
        ]),
      );
    } finally {
      await api.close();
    }
  });

  it('pages by e-mail through a real SMTP server (a person and an e-mail channel), then the resolve', async () => {
    const login = { user: 'pager', password: 'smtp-password-never-logged' };
    smtp = await startSmtpReceiver(login);
    const port = smtp.port;
    const { h: w } = await startWorld({
      browsers: {},
      paging: (r) => {
        const base = pagingConfig(r);
        const [policy] = base.policies ?? [];
        return {
          people: [
            { name: 'alice', email: 'alice@faultline.test' },
            { name: 'bob' },
            { name: 'carol' },
          ],
          smtp: {
            host: '127.0.0.1',
            port,
            secure: false,
            ...login,
            from: 'faultline@faultline.test',
          },
          channels: [
            ...(base.channels ?? []),
            { name: 'mail', type: 'email', to: ['noc@faultline.test'] },
          ],
          policies:
            policy === undefined
              ? []
              : [
                  {
                    ...policy,
                    levels: [
                      { targets: [{ rotation: 'noc' }, { channel: 'mail' }], escalateAfterMin: 60 },
                    ],
                  },
                ],
        };
      },
    });
    const incidentId = await openIncident(w);
    const mails = smtp.mails;
    await settle(() => {
      expect(mails.map((m) => m.to.join(',')).sort()).toEqual([
        'alice@faultline.test',
        'noc@faultline.test',
      ]);
    });
    const [incident] = await w.query<{ title: string }>(
      'SELECT title FROM incidents WHERE id = $1',
      [incidentId],
    );
    for (const mail of mails) {
      expect(mail.from).toBe('faultline@faultline.test');
      expect(mail.headers.subject).toBe(`[MAJOR] ${incident?.title ?? ''}`);
      expect(mail.headers['x-faultline-incident']).toBe(incidentId);
      expect(mail.text).toContain(`Open: https://noc.test/incidents/${incidentId}`);
    }
    await w.addBatch([linkUpEvent('core-1', 'xe-0/0/2')]);
    await settle(() => {
      expect(mails.filter((m) => m.headers.subject?.startsWith('Resolved: '))).toHaveLength(2);
    });
    expect(smtp.refusedLogins).toEqual([]);
    const recorded = await w.query<{ detail: string }>('SELECT detail FROM pages');
    expect(JSON.stringify(recorded)).not.toContain(login.password);
  });

  it('an escalation timer survives a correlator restart: the next correlator runs it when due', async () => {
    const { h: w, receivers: r, correlator } = await startWorld();
    const incidentId = await openIncident(w);
    await settle(() => {
      expect(r.delivered('/push/alice')).toHaveLength(1);
    });
    // Scheduled (not promoted), then the correlator that scheduled it stops for good.
    await promoteEscalation(incidentId, 1, false);
    await correlator.stop();
    await w.startCorrelator();
    await promoteEscalation(incidentId, 1);
    await settle(() => {
      expect(r.delivered('/push/bob')).toHaveLength(1);
    });
    expect(r.delivered('/push/alice')).toHaveLength(1);
  });
});
