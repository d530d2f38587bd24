import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Queue } from 'bullmq';
import {
  BILLING_QUEUE,
  BILLING_RUN_JOB,
  billingLineFromRow,
  billingRunFromRow,
  channels,
  renderBillingCsv,
  renderBillingJson,
  SELECT_BILLING_LINES,
  SELECT_BILLING_RUN,
  type BillingLive,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@faultline/shared';
import { createBillingWorld, type BillingWorld } from './billing-world.js';
import { TOKENS } from './incident-world.js';

const WAIT = { timeout: 60_000, interval: 200 };
const RUN_ID = 'acme/2026-04/v1';
const ENCODED = encodeURIComponent(RUN_ID);

let world: BillingWorld;
let app: FastifyInstance;

const as = (token: string) => ({ authorization: `Bearer ${token}` });

interface RunsAnswer {
  available: boolean;
  runs: { id: string; period: string; totalBilled: string; heldCount: number }[];
}

beforeAll(async () => {
  world = await createBillingWorld();
  app = await world.app();
}, 120_000);

afterAll(async () => {
  await world.close();
});

/** The stored run rendered the way the billing bridge renders its webhook pushes. */
async function stored(): Promise<{ csv: string; json: string }> {
  const run = await world.pool.query(SELECT_BILLING_RUN, [RUN_ID]);
  const lines = await world.pool.query(SELECT_BILLING_LINES, [RUN_ID]);
  const exportRun = billingRunFromRow(run.rows[0] as Record<string, unknown>);
  const exportLines = lines.rows.map((row) => billingLineFromRow(row as Record<string, unknown>));
  return {
    csv: renderBillingCsv(exportRun, exportLines),
    json: renderBillingJson(exportRun, exportLines),
  };
}

describe('billing api against the real billing bridge', () => {
  it('lists nothing before any run', async () => {
    const response = await app.inject({ url: '/api/billing/runs', headers: as(TOKENS.billing) });
    expect(response.statusCode).toBe(200);
    expect(response.json<RunsAnswer>().runs).toEqual([]);
  });

  it('refuses a bad period label with 400', async () => {
    for (const period of ['2026-13', '2026-04-29', 'april', '2026-4']) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/billing/runs',
        headers: as(TOKENS.billing),
        payload: { period },
      });
      expect(response.statusCode, period).toBe(400);
    }
    const list = await app.inject({
      url: '/api/billing/runs?period=2026-00',
      headers: as(TOKENS.billing),
    });
    expect(list.statusCode).toBe(400);
  });

  it('POST asks the bridge for a run; the run is listed, detailed and exported', async () => {
    const posted = await app.inject({
      method: 'POST',
      url: '/api/billing/runs',
      headers: as(TOKENS.billing),
      payload: { period: '2026-04', customer: 'acme' },
    });
    expect(posted.statusCode).toBe(202);
    const { jobId } = posted.json<{ jobId: string }>();
    expect(jobId).toMatch(/^billing-run_2026-04_acme_/);

    // The job is followed to its end: done, every customer decided, the run it stored.
    await vi.waitFor(async () => {
      const job = await app.inject({
        url: `/api/billing/jobs/${encodeURIComponent(jobId)}`,
        headers: as(TOKENS.billing),
      });
      expect(job.json()).toMatchObject({
        id: jobId,
        state: 'done',
        request: { period: '2026-04', customer: 'acme' },
        progress: { customersDone: 1, customers: 1 },
        outcomes: [{ kind: 'run', customerId: 'acme', runId: RUN_ID }],
        error: null,
      });
    }, WAIT);
    const unknown = await app.inject({
      url: '/api/billing/jobs/billing-run_2026-04_acme_nope',
      headers: as(TOKENS.billing),
    });
    expect(unknown.statusCode).toBe(404);

    await vi.waitFor(async () => {
      const response = await app.inject({
        url: '/api/billing/runs?period=2026-04&customer=acme',
        headers: as(TOKENS.billing),
      });
      expect(response.json<RunsAnswer>().runs.map((run) => run.id)).toEqual([RUN_ID]);
    }, WAIT);

    const list = await app.inject({ url: '/api/billing/runs', headers: as(TOKENS.admin) });
    const [run] = list.json<RunsAnswer>().runs;
    const { rows } = await world.pool.query<{ total: string; held: number }>(
      'SELECT total_billed::text AS total, held_count AS held FROM billing_runs WHERE id = $1',
      [RUN_ID],
    );
    expect(run).toMatchObject({
      id: RUN_ID,
      period: '2026-04',
      totalBilled: rows[0]?.total,
      heldCount: rows[0]?.held,
    });
    // Filters that match nothing.
    for (const query of ['period=2026-03', 'customer=globex']) {
      const other = await app.inject({
        url: `/api/billing/runs?${query}`,
        headers: as(TOKENS.billing),
      });
      expect(other.json<RunsAnswer>().runs).toEqual([]);
    }

    const detail = await app.inject({
      url: `/api/billing/runs/${ENCODED}`,
      headers: as(TOKENS.billing),
    });
    expect(detail.statusCode).toBe(200);
    const body = detail.json<{
      run: { id: string };
      lines: { kind: string; serviceId: string; evidence: { kind?: string } }[];
      reconciliation: { totals?: unknown; credits?: unknown };
    }>();
    expect(body.run.id).toBe(RUN_ID);
    const p95 = body.lines.find((line) => line.evidence.kind === 'percentile95');
    expect(p95?.serviceId).toBe('acme-transit');
    expect(body.lines.some((line) => line.kind === 'credit')).toBe(true);
    expect(body.reconciliation.totals).toBeDefined();
    expect(body.reconciliation.credits).toBeDefined();

    const expected = await stored();
    const csv = await app.inject({
      url: `/api/billing/runs/${ENCODED}/export.csv`,
      headers: as(TOKENS.billing),
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="billing-acme-2026-04-v1.csv"',
    );
    expect(csv.body).toBe(expected.csv);

    const json = await app.inject({
      url: `/api/billing/runs/${ENCODED}/export.json`,
      headers: as(TOKENS.admin),
    });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.headers['content-disposition']).toBe(
      'attachment; filename="billing-acme-2026-04-v1.json"',
    );
    expect(json.body).toBe(expected.json);
  });

  it('tells a failed job by its reason', async () => {
    // A job the bridge refuses (data no request would carry): it fails at once, without retry.
    const queue = new Queue(BILLING_QUEUE, {
      connection: world.redis,
      prefix: world.settings.prefix,
    });
    try {
      const job = await queue.add(
        BILLING_RUN_JOB,
        { period: 'someday' },
        { jobId: 'bad-request-job' },
      );
      await vi.waitFor(async () => {
        const answer = await app.inject({
          url: `/api/billing/jobs/${String(job.id)}`,
          headers: as(TOKENS.billing),
        });
        expect(answer.json()).toMatchObject({
          state: 'failed',
          request: { period: 'someday' },
          outcomes: [],
          error: expect.stringContaining('invalid billing request') as unknown,
        });
      }, WAIT);
    } finally {
      await queue.close();
    }
  });

  it('never answers done without the outcomes, however closely the job is followed', async () => {
    // The page stops asking at the first `done`, so that answer must already carry the outcomes.
    // Asking back to back while the bridge finishes jobs lands some reads on the finish itself.
    for (let n = 0; n < 10; n++) {
      const customer = `nobody-${String(n)}`;
      const posted = await app.inject({
        method: 'POST',
        url: '/api/billing/runs',
        headers: as(TOKENS.billing),
        payload: { period: '2026-04', customer },
      });
      const { jobId } = posted.json<{ jobId: string }>();
      let job: { state: string; outcomes: unknown[] };
      do {
        const answer = await app.inject({
          url: `/api/billing/jobs/${encodeURIComponent(jobId)}`,
          headers: as(TOKENS.billing),
        });
        job = answer.json();
      } while (job.state === 'queued' || job.state === 'running');
      expect(job).toMatchObject({
        state: 'done',
        outcomes: [{ kind: 'skipped', customerId: customer, reason: 'unknown-customer' }],
      });
    }
  });

  it('answers 404 for an unknown run', async () => {
    for (const suffix of ['', '/export.csv', '/export.json']) {
      const response = await app.inject({
        url: `/api/billing/runs/${encodeURIComponent('nobody/2026-04/v1')}${suffix}`,
        headers: as(TOKENS.billing),
      });
      expect(response.statusCode, suffix).toBe(404);
    }
  });

  it('keeps billing from viewers and engineers, and run requests from them too', async () => {
    for (const token of [TOKENS.viewer, TOKENS.engineer]) {
      const list = await app.inject({ url: '/api/billing/runs', headers: as(token) });
      expect(list.statusCode).toBe(403);
      const post = await app.inject({
        method: 'POST',
        url: '/api/billing/runs',
        headers: as(token),
        payload: {},
      });
      expect(post.statusCode).toBe(403);
    }
  });

  it('pushes billing:live to billing and admin sockets only', async () => {
    const { baseUrl } = await world.listen();
    const received = new Map<string, BillingLive[]>();
    const sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
    const connected: Promise<void>[] = [];
    // Every role that may subscribe (a metrics or care token may not connect at all).
    const subscribers = Object.entries(TOKENS).filter(
      ([name]) => name !== 'metrics' && name !== 'care',
    );
    for (const [name, token] of subscribers) {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseUrl, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      received.set(name, []);
      socket.on('billing:live', (live) => {
        received.get(name)?.push(live);
      });
      // Connected and given its snapshots: the server has placed it in its rooms.
      connected.push(
        new Promise((resolve) => {
          socket.once('incidents:snapshot', () => {
            resolve();
          });
        }),
      );
    }
    await Promise.all(connected);
    const live: BillingLive = {
      customerId: 'acme',
      period: '2026-05',
      periodStart: '2026-05-01T00:00:00.000Z',
      periodEnd: '2026-06-01T00:00:00.000Z',
      at: '2026-05-02T00:00:00.000Z',
      services: [
        {
          serviceId: 'acme-transit',
          planId: 'burst-95-1g',
          inOctets: '1000',
          outOctets: '2000',
          percentile95Bps: 123,
          projectedPercentile95Bps: 150,
          coveragePercent: 100,
          downtimeMinutes: 0,
          slaBudgetMinutes: 21.6,
          availabilityPercent: '100',
          currency: 'EUR',
          sla: null,
        },
      ],
    };
    await world.redis.publish(channels(world.settings.prefix).billing, JSON.stringify(live));
    await vi.waitFor(() => {
      expect(received.get('billing')).toEqual([live]);
      expect(received.get('admin')).toEqual([live]);
    }, WAIT);
    // A later billing socket gets the latest view at once.
    const late: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseUrl, {
      auth: { token: TOKENS.billing },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(late);
    const first = await new Promise<BillingLive>((resolve) => late.once('billing:live', resolve));
    expect(first).toEqual(live);
    // Published after the billing sockets got theirs: the others would have it by now too.
    expect(received.get('viewer')).toEqual([]);
    expect(received.get('engineer')).toEqual([]);
    for (const socket of sockets) socket.disconnect();
  });
});
