import pg from 'pg';
import {
  acknowledgeIncident,
  assignIncident,
  commentOnIncident,
  resolveIncident,
} from '@faultline/correlator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IncidentChangeSchema, createValidator } from '@faultline/shared';
import {
  createIncidentHarness,
  eventId,
  linkDownEvent,
  linkUpEvent,
  reachableEvent,
  unreachableEvent,
  type IncidentHarness,
} from './incident-harness.js';

interface IncidentView {
  id: string;
  state: string;
  title: string;
  primary_alarm_id: string;
  root_alarm_ids: string[];
  impacted_services: { customerId: string; serviceId: string }[];
  ticket_id: string;
  resolution: string | null;
  flap_count: number;
}

interface AlarmView {
  id: string;
  reduction_key: string;
  state: string;
  caused_by: string | null;
  explanation: string | null;
  incident_id: string | null;
  ticket_id: string | null;
}

const WAIT = { timeout: 20_000, interval: 50 };

async function incidents(h: IncidentHarness): Promise<IncidentView[]> {
  return h.query<IncidentView>(
    "SELECT * FROM incidents WHERE title NOT LIKE 'barrier %' ORDER BY opened_at, id",
  );
}

async function alarmsByKey(h: IncidentHarness): Promise<Record<string, AlarmView>> {
  const rows = await h.query<AlarmView>(
    'SELECT id, reduction_key, state, caused_by, explanation, incident_id, ticket_id FROM alarms',
  );
  return Object.fromEntries(rows.map((row) => [row.reduction_key, row]));
}

async function waitForIncidents(h: IncidentHarness, count: number): Promise<IncidentView[]> {
  return vi.waitFor(async () => {
    const rows = await incidents(h);
    if (rows.length < count) throw new Error(`${String(rows.length)} incidents so far`);
    return rows;
  }, WAIT);
}

const FIBRE_CUT_ROOT = 'core-1:xe-0/0/2 and core-2:xe-0/0/3 down: access-3, agg-2 cut off';
const BOTH_UPLINKS =
  'agg-2 unreachable: its only uplinks, core-1:xe-0/0/2 and core-2:xe-0/0/3, are down';

describe('correlator incidents (real Redis, PostgreSQL, events queue)', () => {
  let h: IncidentHarness;

  afterEach(async () => {
    await h.close();
  });

  it('a fibre cut of both agg-2 uplinks: one incident, ticket, push, outage; all closed on repair', async () => {
    h = await createIncidentHarness({ holdS: 1, failFirst: 1 });
    await h.startCorrelator();
    // Symptoms first, then the roots, within the hold window.
    await h.waitForJob(await h.addBatch([unreachableEvent('agg-2'), unreachableEvent('access-3')]));
    await h.waitForJob(
      await h.addBatch([
        linkDownEvent('core-1', 'xe-0/0/2'),
        // Seen a moment after the first: the primary root is the first cut link.
        { ...linkDownEvent('core-2', 'xe-0/0/3'), timeMs: Date.now() + 5 },
        linkDownEvent('agg-2', 'ge-0/0/1'),
      ]),
    );
    const [incident] = await waitForIncidents(h, 1);
    const alarms = await alarmsByKey(h);
    const root = alarms['linkDown:core-1:ifIndex=3'];
    expect(incident).toMatchObject({
      state: 'open',
      title: FIBRE_CUT_ROOT,
      primary_alarm_id: root?.id,
      impacted_services: [{ customerId: 'initech', serviceId: 'initech-office' }],
    });
    expect(incident?.root_alarm_ids).toEqual([root?.id, alarms['linkDown:core-2:ifIndex=4']?.id]);
    expect(alarms['unreachable:agg-2']).toMatchObject({
      caused_by: root?.id,
      explanation: BOTH_UPLINKS,
      incident_id: incident?.id,
      ticket_id: incident?.ticket_id,
    });
    expect(alarms['unreachable:access-3']).toMatchObject({ caused_by: root?.id });
    expect(alarms['linkDown:agg-2:ifIndex=1']).toMatchObject({ caused_by: root?.id });
    expect(root).toMatchObject({ caused_by: null, incident_id: incident?.id });

    // One ticket, created once; one push (after one refused attempt, retried); one outage.
    await vi.waitFor(() => {
      expect(h.realPushes()).toHaveLength(1);
    }, WAIT);
    expect(h.attempts.map((a) => a.status)).toEqual([503, 200]);
    expect(h.realPushes()[0]?.body).toMatchObject({
      kind: 'opened',
      incident: { id: incident?.id, title: FIBRE_CUT_ROOT },
    });
    expect(h.realPushes()[0]?.idempotencyKey).toBe(`notify-pager-${incident?.id ?? ''}-opened`);
    await vi.waitFor(async () => {
      expect(await h.query('SELECT id, state, title FROM tickets')).toEqual([
        { id: incident?.ticket_id, state: 'open', title: FIBRE_CUT_ROOT },
      ]);
    }, WAIT);
    const outages = await h.query<{
      service_id: string;
      ended_at: Date | null;
      root_cause: string;
    }>('SELECT service_id, ended_at, root_cause, ticket_id, in_maintenance FROM outages');
    expect(outages).toEqual([
      {
        service_id: 'initech-office',
        ended_at: null,
        root_cause: FIBRE_CUT_ROOT,
        ticket_id: incident?.ticket_id,
        in_maintenance: false,
      },
    ]);
    const check = createValidator(IncidentChangeSchema);
    await vi.waitFor(() => {
      expect(h.incidentChanges.map((c) => c.kind)).toContain('opened');
    }, WAIT);
    for (const change of h.incidentChanges) expect(check.check(change)).toMatchObject({ ok: true });
    const hot = await h.openIncidentsHash();
    expect(Object.keys(hot)).toEqual([incident?.id]);
    expect(check.check({ kind: 'opened', incident: hot[incident?.id ?? ''] })).toMatchObject({
      ok: true,
    });

    // Repair: the fibre is spliced, everything comes back.
    await h.waitForJob(
      await h.addBatch([
        linkUpEvent('core-1', 'xe-0/0/2'),
        linkUpEvent('core-2', 'xe-0/0/3'),
        linkUpEvent('agg-2', 'ge-0/0/1'),
        reachableEvent('agg-2'),
        reachableEvent('access-3'),
      ]),
    );
    await vi.waitFor(async () => {
      expect((await incidents(h)).map((i) => [i.state, i.resolution])).toEqual([
        ['resolved', 'root cause cleared'],
      ]);
    }, WAIT);
    await vi.waitFor(() => {
      expect(h.realPushes().map((p) => p.body.kind)).toEqual(['opened', 'resolved']);
    }, WAIT);
    await vi.waitFor(async () => {
      expect(await h.query('SELECT state FROM tickets')).toEqual([{ state: 'resolved' }]);
    }, WAIT);
    expect(await h.openIncidentsHash()).toEqual({});
    const closed = await h.query<{ ended_at: Date | null; started_at: Date }>(
      'SELECT started_at, ended_at FROM outages',
    );
    expect(closed).toHaveLength(1);
    expect(closed[0]?.ended_at).not.toBeNull();
    const timeline = await h.query<{ kind: string }>(
      'SELECT kind FROM ticket_events ORDER BY at, id',
    );
    expect(timeline.map((e) => e.kind)).toEqual(['opened', 'resolved']);
    await h.barrier();
    expect(await incidents(h)).toHaveLength(1);
    expect(h.realPushes()).toHaveLength(2);
  });

  it('a single redundant uplink down: one incident for the link only, no outage', async () => {
    h = await createIncidentHarness({ holdS: 0.5 });
    await h.startCorrelator();
    await h.waitForJob(await h.addBatch([linkDownEvent('core-1', 'xe-0/0/2')]));
    const [incident] = await waitForIncidents(h, 1);
    expect(incident).toMatchObject({ title: 'core-1:xe-0/0/2 down', impacted_services: [] });
    await vi.waitFor(() => {
      expect(h.realPushes()).toHaveLength(1);
    }, WAIT);
    await h.barrier();
    expect(await h.query('SELECT * FROM outages')).toEqual([]);
    expect(await incidents(h)).toHaveLength(1);
  });

  it('a storm of a thousand events on one root: one incident, one ticket, one push', async () => {
    h = await createIncidentHarness({ holdS: 0.5 });
    await h.startCorrelator();
    const jobs = [];
    for (let batch = 0; batch < 10; batch++) {
      const events = [];
      for (let n = 0; n < 100; n++) {
        events.push(
          n % 10 === 0
            ? unreachableEvent('agg-2', eventId('storm-u'))
            : linkDownEvent(
                n % 2 === 0 ? 'core-1' : 'core-2',
                n % 2 === 0 ? 'xe-0/0/2' : 'xe-0/0/3',
                eventId('storm'),
              ),
        );
      }
      jobs.push(await h.addBatch(events));
    }
    for (const job of jobs) await h.waitForJob(job);
    await waitForIncidents(h, 1);
    await vi.waitFor(() => {
      expect(h.realPushes()).toHaveLength(1);
    }, WAIT);
    await h.barrier();
    expect(await incidents(h)).toHaveLength(1);
    expect(await h.query("SELECT id FROM tickets WHERE title NOT LIKE 'barrier %'")).toHaveLength(
      1,
    );
    expect(h.realPushes()).toHaveLength(1);
    const counts = await h.query<{ reduction_key: string; count: number }>(
      "SELECT reduction_key, count FROM alarms WHERE type <> 'barrier' ORDER BY reduction_key",
    );
    expect(counts).toEqual([
      { reduction_key: 'linkDown:core-1:ifIndex=3', count: 400 },
      { reduction_key: 'linkDown:core-2:ifIndex=4', count: 500 },
      { reduction_key: 'unreachable:agg-2', count: 100 },
    ]);
  });

  it('two correlators with redelivered events: no duplicate incident, ticket or push', async () => {
    h = await createIncidentHarness({ holdS: 0.5 });
    await h.startCorrelator(2);
    await h.startCorrelator(2);
    const events = [
      linkDownEvent('core-1', 'xe-0/0/2'),
      linkDownEvent('core-2', 'xe-0/0/3'),
      unreachableEvent('agg-2'),
      unreachableEvent('access-3'),
    ];
    // Each batch delivered several times, as BullMQ may after a stalled worker.
    const jobs = [];
    for (let copy = 0; copy < 4; copy++) {
      jobs.push(await h.addBatch(events));
      jobs.push(await h.addBatch([...events].reverse()));
    }
    for (const job of jobs) await h.waitForJob(job);
    await waitForIncidents(h, 1);
    await vi.waitFor(() => {
      expect(h.realPushes()).toHaveLength(1);
    }, WAIT);
    await h.barrier();
    expect(await incidents(h)).toHaveLength(1);
    expect(await h.query("SELECT id FROM tickets WHERE title NOT LIKE 'barrier %'")).toHaveLength(
      1,
    );
    expect(
      await h.query(
        "SELECT kind FROM ticket_events WHERE ticket_id IN (SELECT id FROM tickets WHERE title NOT LIKE 'barrier %')",
      ),
    ).toEqual([{ kind: 'opened' }]);
    expect(await h.query('SELECT service_id FROM outages')).toEqual([
      { service_id: 'initech-office' },
    ]);
    expect(h.realPushes()).toHaveLength(1);
  });

  it('a correlator restart in the middle of an incident recovers its state, no duplicate', async () => {
    // A hold long enough that the first instance stops inside it.
    h = await createIncidentHarness({ holdS: 3 });
    const first = await h.startCorrelator();
    await h.waitForJob(
      await h.addBatch([linkDownEvent('core-1', 'xe-0/0/2'), linkDownEvent('core-2', 'xe-0/0/3')]),
    );
    // Stopped within the hold window: nothing opened yet, the hold is in PostgreSQL.
    await first.stop();
    expect(await incidents(h)).toEqual([]);
    await h.startCorrelator();
    const [incident] = await waitForIncidents(h, 1);
    await vi.waitFor(() => {
      expect(h.realPushes()).toHaveLength(1);
    }, WAIT);
    // A symptom while the second instance runs joins the same incident.
    await h.waitForJob(await h.addBatch([unreachableEvent('access-3')]));
    await vi.waitFor(async () => {
      expect((await alarmsByKey(h))['unreachable:access-3']?.incident_id).toBe(incident?.id);
    }, WAIT);
    // And a third instance after another restart resolves it once.
    await h.startCorrelator();
    await h.waitForJob(
      await h.addBatch([
        linkUpEvent('core-1', 'xe-0/0/2'),
        linkUpEvent('core-2', 'xe-0/0/3'),
        reachableEvent('access-3'),
      ]),
    );
    await vi.waitFor(() => {
      expect(h.realPushes().map((p) => p.body.kind)).toEqual(['opened', 'resolved']);
    }, WAIT);
    await h.barrier();
    expect((await incidents(h)).map((i) => i.state)).toEqual(['resolved']);
    expect(await h.query("SELECT id FROM tickets WHERE title NOT LIKE 'barrier %'")).toHaveLength(
      1,
    );
    expect(h.realPushes()).toHaveLength(2);
  });

  it('acknowledge, assign, comment and resolve by hand, each once on the ticket timeline', async () => {
    h = await createIncidentHarness({ holdS: 0.2 });
    await h.startCorrelator();
    await h.waitForJob(await h.addBatch([linkDownEvent('agg-2', 'ge-0/0/1')]));
    const [incident] = await waitForIncidents(h, 1);
    const id = incident?.id ?? '';
    const pool = new pg.Pool({ connectionString: h.settings.databaseUrl, max: 2 });
    try {
      expect(await acknowledgeIncident(pool, { incidentId: id, actor: 'alice' })).toMatchObject({
        ok: true,
        change: {
          kind: 'acknowledged',
          incident: { state: 'acknowledged', acknowledgedBy: 'alice' },
        },
      });
      // Twice is once.
      expect(await acknowledgeIncident(pool, { incidentId: id, actor: 'alice' })).toEqual({
        ok: true,
        change: undefined,
      });
      await assignIncident(pool, { incidentId: id, actor: 'alice', assignee: 'bob' });
      for (let n = 0; n < 2; n++) {
        await commentOnIncident(pool, {
          incidentId: id,
          actor: 'bob',
          text: 'splicing crew on site',
          requestId: 'req-1',
        });
      }
      expect(await acknowledgeIncident(pool, { incidentId: 'inc-nope', actor: 'alice' })).toEqual({
        ok: false,
        error: 'not-found',
      });
      await resolveIncident(pool, {
        incidentId: id,
        actor: 'bob',
        note: 'fibre spliced',
        webhookTargets: ['pager'],
      });
      expect(
        await resolveIncident(pool, { incidentId: id, actor: 'bob', webhookTargets: [] }),
      ).toEqual({ ok: false, error: 'resolved' });
    } finally {
      await pool.end();
    }
    await vi.waitFor(async () => {
      const timeline = await h.query<{ kind: string; actor: string; body: string }>(
        'SELECT kind, actor, body FROM ticket_events ORDER BY id',
      );
      expect(timeline.map((e) => [e.kind, e.actor])).toEqual([
        ['opened', 'system'],
        ['acknowledged', 'alice'],
        ['updated', 'alice'],
        ['comment', 'bob'],
        ['resolved', 'bob'],
      ]);
      expect(timeline[4]?.body).toBe('Resolved: resolved by bob: fibre spliced');
    }, WAIT);
    await vi.waitFor(() => {
      expect(h.realPushes().map((p) => p.body.kind)).toEqual(['opened', 'resolved']);
    }, WAIT);
    // The link is still down, but someone resolved it: no new incident, no new push.
    await h.barrier();
    expect(await incidents(h)).toHaveLength(1);
    expect(h.realPushes()).toHaveLength(2);
    expect(
      await h.query("SELECT state, assignee FROM tickets WHERE title NOT LIKE 'barrier %'"),
    ).toEqual([{ state: 'resolved', assignee: 'bob' }]);
    expect(
      await h.query('SELECT count(*)::int AS open FROM outages WHERE ended_at IS NULL'),
    ).toEqual([{ open: 0 }]);
  });

  it('a fibre cut inside a maintenance window: recorded and flagged, no ticket, no push', async () => {
    h = await createIncidentHarness({
      holdS: 0.2,
      maintenance: [
        {
          name: 'splice-works',
          devices: [],
          interfaces: ['core-1:xe-0/0/2', 'core-2:xe-0/0/3'],
          services: [],
          start: new Date(Date.now() - 60_000).toISOString(),
          end: new Date(Date.now() + 3_600_000).toISOString(),
        },
      ],
    });
    await h.startCorrelator();
    await h.waitForJob(
      await h.addBatch([linkDownEvent('core-1', 'xe-0/0/2'), linkDownEvent('core-2', 'xe-0/0/3')]),
    );
    await waitForIncidents(h, 1);
    await vi.waitFor(async () => {
      expect(await h.query('SELECT in_maintenance, announced FROM incidents')).toEqual([
        { in_maintenance: true, announced: false },
      ]);
    }, WAIT);
    expect(await h.query('SELECT service_id, in_maintenance FROM outages')).toEqual([
      { service_id: 'initech-office', in_maintenance: true },
    ]);
    expect(await h.query('SELECT DISTINCT maintenance FROM alarms')).toEqual([
      { maintenance: 'splice-works' },
    ]);
    await h.waitForJob(
      await h.addBatch([linkUpEvent('core-1', 'xe-0/0/2'), linkUpEvent('core-2', 'xe-0/0/3')]),
    );
    await vi.waitFor(async () => {
      expect(await h.query('SELECT state FROM incidents')).toEqual([{ state: 'resolved' }]);
    }, WAIT);
    await h.barrier();
    expect(h.attempts.filter((a) => !a.body.incident.title.startsWith('barrier '))).toEqual([]);
    expect(await h.query("SELECT id FROM tickets WHERE title NOT LIKE 'barrier %'")).toEqual([]);
  });

  it('a flapping link: one incident marked flapping, one push, resolved after a quiet window', async () => {
    h = await createIncidentHarness({ holdS: 0.5, flapCount: 3, flapWindowS: 10 });
    await h.startCorrelator();
    // Five quick down/up flaps, each over before the hold ends, then down for good.
    for (let n = 0; n < 5; n++) {
      const now = Date.now();
      await h.waitForJob(
        await h.addBatch([
          { ...linkDownEvent('core-1', 'xe-0/0/2'), timeMs: now },
          { ...linkUpEvent('core-1', 'xe-0/0/2'), timeMs: now + 1 },
        ]),
      );
    }
    await h.waitForJob(await h.addBatch([linkDownEvent('core-1', 'xe-0/0/2')]));
    const [incident] = await waitForIncidents(h, 1);
    // Flaps shorter than the hold were counted: the sixth raise opens it as flapping, at once.
    expect(incident?.title).toBe('core-1:xe-0/0/2 down');
    expect(incident?.flap_count).toBe(6);
    expect(
      await h.query("SELECT flap_count FROM alarms WHERE state <> 'cleared' AND type = 'linkDown'"),
    ).toEqual([{ flap_count: 6 }]);
    // The five flaps before it, cleared before any step saw them open, are in it from the first.
    expect(
      await h.query(
        `SELECT count(*)::int AS alarms, count(*) FILTER (WHERE state = 'cleared')::int AS cleared,
           count(*) FILTER (WHERE incident_id = $1)::int AS in_it
         FROM alarms WHERE type = 'linkDown'`,
        [incident?.id],
      ),
    ).toEqual([{ alarms: 6, cleared: 5, in_it: 6 }]);
    // It comes back: still flapping, the incident stays open; more flaps change nothing.
    for (let n = 0; n < 2; n++) {
      await h.waitForJob(await h.addBatch([linkUpEvent('core-1', 'xe-0/0/2')]));
      await h.waitForJob(await h.addBatch([linkDownEvent('core-1', 'xe-0/0/2')]));
    }
    await h.waitForJob(await h.addBatch([linkUpEvent('core-1', 'xe-0/0/2')]));
    await h.barrier();
    expect((await incidents(h)).map((i) => i.state)).toEqual(['open']);
    expect(h.realPushes().map((p) => p.body.kind)).toEqual(['opened']);
    expect(
      await h.query(
        "SELECT kind FROM ticket_events WHERE ticket_id IN (SELECT id FROM tickets WHERE title NOT LIKE 'barrier %')",
      ),
    ).toEqual([{ kind: 'opened' }]);
    // Quiet for the flap window: resolved, and the resolve is pushed.
    await vi.waitFor(
      () => {
        expect(h.realPushes().map((p) => p.body.kind)).toEqual(['opened', 'resolved']);
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(await incidents(h)).toHaveLength(1);
  });

  it('reminds the webhooks of an incident nobody acknowledged, once per backoff step', async () => {
    h = await createIncidentHarness({ holdS: 0.2, ackTimeoutS: 10 });
    await h.startCorrelator();
    await h.waitForJob(await h.addBatch([linkDownEvent('core-1', 'xe-0/0/2')]));
    const [incident] = await waitForIncidents(h, 1);
    await vi.waitFor(
      () => {
        expect(h.realPushes().map((p) => [p.body.kind, p.idempotencyKey])).toEqual([
          ['opened', `notify-pager-${incident?.id ?? ''}-opened`],
          ['reminder', `notify-pager-${incident?.id ?? ''}-reminder-1`],
        ]);
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(await h.query('SELECT reminders_sent FROM incidents')).toEqual([{ reminders_sent: 1 }]);
  });

  it('auto-cleans an alarm nothing repeated, through the events queue, and resolves its incident', async () => {
    h = await createIncidentHarness({ holdS: 0.2, staleAlarmS: 5 });
    await h.startCorrelator();
    // An event five minutes old by the device's clock: only the correlator's clock holds it.
    await h.waitForJob(
      await h.addBatch([{ ...linkDownEvent('core-1', 'xe-0/0/2'), timeMs: Date.now() - 300_000 }]),
    );
    await waitForIncidents(h, 1);
    await vi.waitFor(
      async () => {
        expect(await h.query("SELECT state FROM alarms WHERE type <> 'barrier'")).toEqual([
          { state: 'cleared' },
        ]);
      },
      { timeout: 30_000, interval: 100 },
    );
    const history = await h.query<{ change: string; cause: string }>(
      'SELECT change, cause FROM alarm_history ORDER BY id',
    );
    expect(history.map((e) => e.change)).toEqual(['raised', 'cleared']);
    expect(history[1]?.cause).toMatch(/^event autoclean-.* \(autoClean\)$/);
    await vi.waitFor(() => {
      expect(h.realPushes().map((p) => p.body.kind)).toEqual(['opened', 'resolved']);
    }, WAIT);
  });

  it("auto-cleans a device's restart by its type's own period, and leaves other types open", async () => {
    h = await createIncidentHarness({ holdS: 0.2, staleAlarmByTypeS: { coldStart: 5 } });
    await h.startCorrelator();
    const down = linkDownEvent('core-1', 'xe-0/0/2');
    const restart = {
      id: 'restart-1',
      source: 'trap' as const,
      device: 'access-1',
      deviceKnown: true,
      type: 'coldStart',
      severity: 'warning' as const,
      timeMs: Date.now(),
      reductionKey: 'coldStart:access-1',
      description: 'access-1 restarted (cold start)',
      details: {},
    };
    await h.waitForJob(await h.addBatch([down, restart]));
    await vi.waitFor(
      async () => {
        expect(
          await h.query(
            "SELECT type, state FROM alarms WHERE type <> 'barrier' AND type <> 'autoClean' ORDER BY type",
          ),
        ).toEqual([
          { type: 'coldStart', state: 'cleared' },
          { type: 'linkDown', state: 'active' },
        ]);
      },
      { timeout: 30_000, interval: 100 },
    );
  });

  it('never follows a redirect from a webhook: the push is retried to the configured URL only', async () => {
    h = await createIncidentHarness({ holdS: 1, redirectFirst: 2 });
    await h.startCorrelator();
    await h.waitForJob(await h.addBatch([linkDownEvent('core-1', 'xe-0/0/2')]));
    await waitForIncidents(h, 1);
    await vi.waitFor(() => {
      expect(h.realPushes()).toHaveLength(1);
    }, WAIT);
    expect(h.attempts.map((a) => a.status)).toEqual([307, 307, 200]);
    expect(h.followed).toEqual([]);
  });
});
