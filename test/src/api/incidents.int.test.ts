import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hotStateKeys, type Alarm, type Incident, type IncidentDetail } from '@faultline/shared';
import { linkDownEvent } from '../correlator/incident-harness.js';
import { connectLive, createIncidentWorld, TOKENS, type IncidentWorld } from './incident-world.js';

const WAIT = { timeout: 20_000, interval: 50 };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let world: IncidentWorld;
let app: FastifyInstance;

beforeEach(async () => {
  world = await createIncidentWorld();
});

afterEach(async () => {
  await world.close();
});

/** Cuts agg-2 and access-3 off (both core uplinks of agg-2 down): one incident, Initech impacted. */
async function fibreCut(): Promise<Incident> {
  await world.harness.startCorrelator();
  await world.harness.addBatch([
    linkDownEvent('core-1', 'xe-0/0/2'),
    linkDownEvent('core-2', 'xe-0/0/3'),
    linkDownEvent('agg-2', 'ge-0/0/1'),
  ]);
  return vi.waitFor(async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/incidents',
      headers: bearer(TOKENS.viewer),
    });
    const [incident] = response.json<{ incidents: Incident[] }>().incidents;
    if (incident === undefined) throw new Error('no incident yet');
    return incident;
  }, WAIT);
}

async function post(url: string, token: string, body?: object, key?: string) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...bearer(token), ...(key === undefined ? {} : { 'idempotency-key': key }) },
    ...(body === undefined ? {} : { payload: body }),
  });
}

describe('incident routes', () => {
  it('lists incidents with filters and search, and shows one with its alarms, services and timeline', async () => {
    app = await world.app();
    const incident = await fibreCut();
    expect(incident.state).toBe('open');

    const list = async (query: string) =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/incidents?${query}`,
          headers: bearer(TOKENS.viewer),
        })
      )
        .json<{ incidents: Incident[] }>()
        .incidents.map((i) => i.id);
    expect(await list('state=unresolved')).toEqual([incident.id]);
    expect(await list('state=resolved')).toEqual([]);
    expect(await list('search=ACCESS-3')).toEqual([incident.id]);
    expect(await list('search=no-such-device')).toEqual([]);
    expect(await list('search=%25')).toEqual([]);

    const detail = await vi.waitFor(async () => {
      const response = await app.inject({
        method: 'GET',
        url: `/api/incidents/${incident.id}`,
        headers: bearer(TOKENS.viewer),
      });
      expect(response.statusCode).toBe(200);
      const body = response.json<IncidentDetail>();
      // The tickets worker writes the ticket and its first timeline entry shortly after.
      if (body.ticket === null || body.timeline.length === 0) throw new Error('no ticket yet');
      return body;
    }, WAIT);
    const roots = detail.alarms.filter((a) => a.role === 'root').map((a) => a.alarm.device);
    expect(roots.sort()).toEqual(['core-1', 'core-2']);
    const symptom = detail.alarms.find((a) => a.role === 'symptom');
    expect(symptom?.alarm.device).toBe('agg-2');
    expect(symptom?.alarm.causedBy).not.toBeNull();
    expect(symptom?.alarm.explanation).toEqual(expect.any(String));
    expect(detail.impactedServices).toEqual([
      {
        customerId: 'initech',
        customerName: expect.any(String) as unknown,
        serviceId: expect.any(String) as unknown,
        description: expect.any(String) as unknown,
      },
    ]);
    expect(detail.timeline[0]).toMatchObject({ kind: 'opened', actor: 'system' });
    expect(detail.outages).toEqual([
      expect.objectContaining({ customerId: 'initech', endedAt: null }),
    ]);

    const missing = await app.inject({
      method: 'GET',
      url: '/api/incidents/inc-none',
      headers: bearer(TOKENS.viewer),
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('commands through the correlator', () => {
  it('acknowledges via REST: the incident is acknowledged in PostgreSQL and the change is pushed', async () => {
    app = await world.app();
    const incident = await fibreCut();
    const { baseUrl } = await world.listen({ dashboardDir: null });
    const live = connectLive(baseUrl, TOKENS.viewer);
    try {
      await vi.waitFor(() => {
        expect(live.incidentSnapshots.at(-1)?.map((i) => i.id)).toEqual([incident.id]);
      }, WAIT);

      const refused = await post(`/api/incidents/${incident.id}/acknowledge`, TOKENS.viewer);
      expect(refused.statusCode).toBe(403);

      const response = await post(`/api/incidents/${incident.id}/acknowledge`, TOKENS.engineer);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        changed: true,
        incident: { id: incident.id, state: 'acknowledged', acknowledgedBy: 'alice' },
      });
      const rows = await world.harness.query<{ state: string; acknowledged_by: string }>(
        'SELECT state, acknowledged_by FROM incidents WHERE id = $1',
        [incident.id],
      );
      expect(rows).toEqual([{ state: 'acknowledged', acknowledged_by: 'alice' }]);
      await vi.waitFor(() => {
        expect(live.incidentChanges).toContainEqual(
          expect.objectContaining({
            kind: 'acknowledged',
            incident: expect.objectContaining({
              id: incident.id,
              acknowledgedBy: 'alice',
            }) as unknown,
          }),
        );
      }, WAIT);
    } finally {
      live.socket.disconnect();
    }
  });

  it('assigns, comments and resolves; replays by idempotency key; refuses with 404 and 409', async () => {
    app = await world.app();
    const incident = await fibreCut();
    const url = (action: string) => `/api/incidents/${incident.id}/${action}`;

    const assigned = await post(url('assign'), TOKENS.engineer, { assignee: 'carol' });
    expect(assigned.json()).toMatchObject({ changed: true, incident: { assignee: 'carol' } });

    const first = await post(url('comments'), TOKENS.engineer, { text: 'on site at 10' }, 'c-1');
    const replay = await post(url('comments'), TOKENS.engineer, { text: 'on site at 10' }, 'c-1');
    expect(first.statusCode).toBe(200);
    expect(replay.json()).toEqual(first.json());

    const ack = await post(url('acknowledge'), TOKENS.engineer, undefined, 'a-1');
    const ackAgain = await post(url('acknowledge'), TOKENS.engineer, undefined, 'a-2');
    expect(ack.json()).toMatchObject({ changed: true });
    expect(ackAgain.json()).toMatchObject({ changed: false, incident: { state: 'acknowledged' } });

    const resolved = await post(url('resolve'), TOKENS.engineer, { note: 'splice repaired' });
    expect(resolved.json()).toMatchObject({
      changed: true,
      incident: { state: 'resolved', resolution: 'resolved by alice: splice repaired' },
    });
    const again = await post(url('resolve'), TOKENS.engineer, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ message: `incident ${incident.id} is already resolved` });
    const unknown = await post('/api/incidents/inc-none/acknowledge', TOKENS.engineer);
    expect(unknown.statusCode).toBe(404);
    const invalid = await post(url('assign'), TOKENS.engineer, { assignee: '' });
    expect(invalid.statusCode).toBe(400);

    // The comment reaches the ticket timeline once, through the outbox and the tickets worker.
    await vi.waitFor(async () => {
      const rows = await world.harness.query<{ body: string }>(
        "SELECT body FROM ticket_events WHERE kind = 'comment'",
      );
      expect(rows).toEqual([{ body: 'on site at 10' }]);
    }, WAIT);
  });

  it('acknowledges an alarm: in PostgreSQL, in the hot state and pushed live', async () => {
    app = await world.app();
    const incident = await fibreCut();
    const { baseUrl } = await world.listen({ dashboardDir: null });
    const live = connectLive(baseUrl, TOKENS.admin);
    try {
      await vi.waitFor(() => {
        expect(live.alarmSnapshots).toHaveLength(1);
      }, WAIT);
      const alarmId = incident.primaryAlarmId;
      const response = await post(`/api/alarms/${alarmId}/acknowledge`, TOKENS.engineer);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        changed: true,
        alarm: { id: alarmId, state: 'acknowledged', acknowledgedBy: 'alice' },
      });
      await vi.waitFor(() => {
        expect(live.alarmChanges).toContainEqual(
          expect.objectContaining({
            kind: 'acknowledged',
            alarm: expect.objectContaining({ id: alarmId }) as unknown,
          }),
        );
      }, WAIT);
      const acknowledged = response.json<{ alarm: Alarm }>().alarm;
      const mirrored = await world.redis.hget(
        hotStateKeys(world.harness.settings.prefix).openAlarms,
        acknowledged.reductionKey,
      );
      expect(JSON.parse(mirrored ?? '{}')).toMatchObject({ state: 'acknowledged' });
      const history = await world.harness.query<{ change: string; actor: string }>(
        "SELECT change, actor FROM alarm_history WHERE alarm_id = $1 AND change = 'acknowledged'",
        [alarmId],
      );
      expect(history).toEqual([{ change: 'acknowledged', actor: 'alice' }]);
      const billing = await post(`/api/alarms/${alarmId}/acknowledge`, TOKENS.billing);
      expect(billing.statusCode).toBe(403);
    } finally {
      live.socket.disconnect();
    }
  });

  it('answers 503 when no correlator takes the command in time, and takes the job back', async () => {
    app = await world.app({ commandTimeoutMs: 300 });
    const response = await post('/api/incidents/inc-any/acknowledge', TOKENS.engineer);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      message: 'no correlator answered in time; nothing was changed, try again',
    });
    // Taken back: a correlator that starts later does not apply it.
    const waiting = await world.redis.keys(`${world.harness.settings.prefix}:commands:*`);
    expect(waiting.filter((key) => key.includes(':cmd-'))).toEqual([]);
  });
});

async function mirrored(key: string): Promise<Alarm | undefined> {
  const text = await world.redis.hget(hotStateKeys(world.harness.settings.prefix).openAlarms, key);
  return text === null ? undefined : (JSON.parse(text) as Alarm);
}

interface Row {
  id: string;
  count: number;
  state: string;
  acknowledged_by: string | null;
  caused_by: string | null;
}

async function alarmRow(key: string): Promise<Row | undefined> {
  const rows = await world.harness.query<Row>(
    `SELECT id, count, state, acknowledged_by, caused_by FROM alarms
     WHERE reduction_key = $1 AND state <> 'cleared'`,
    [key],
  );
  return rows[0];
}

// The partition's owner keeps its open alarms in memory between commits: what other writers do
// to those alarms (a person's acknowledgement through the api, the correlation step's root cause)
// must be what the next event of the key builds on, in PostgreSQL and the hot state.
describe('alarms kept in memory by their partition owner', () => {
  it('counts the next event on an alarm acknowledged through the api, still acknowledged', async () => {
    app = await world.app();
    await world.harness.startCorrelator();
    const first = linkDownEvent('core-1', 'xe-0/0/2');
    await world.harness.waitForJob(await world.harness.addBatch([first]));
    const before = await alarmRow(first.reductionKey);
    if (before === undefined) throw new Error('no alarm raised');

    const response = await post(`/api/alarms/${before.id}/acknowledge`, TOKENS.engineer);
    expect(response.json()).toMatchObject({ changed: true, alarm: { state: 'acknowledged' } });

    const repeat = { ...linkDownEvent('core-1', 'xe-0/0/2'), timeMs: first.timeMs + 1_000 };
    await world.harness.waitForJob(await world.harness.addBatch([repeat]));
    expect(await alarmRow(first.reductionKey)).toMatchObject({
      id: before.id,
      count: 2,
      state: 'acknowledged',
      acknowledged_by: 'alice',
    });
    // Mirrored before the job completed.
    expect(await mirrored(first.reductionKey)).toMatchObject({
      id: before.id,
      count: 2,
      state: 'acknowledged',
      acknowledgedBy: 'alice',
    });
  });

  it('keeps the root cause the correlation step wrote when a symptom repeats', async () => {
    app = await world.app();
    const incident = await fibreCut();
    const symptom = linkDownEvent('agg-2', 'ge-0/0/1');
    const annotated = await vi.waitFor(async () => {
      const row = await alarmRow(symptom.reductionKey);
      if (row?.caused_by == null) throw new Error('the symptom has no root cause yet');
      return row;
    }, WAIT);
    expect(incident.alarmIds).toContain(annotated.id);

    const repeat = { ...symptom, timeMs: Date.now() + 1_000 };
    await world.harness.waitForJob(await world.harness.addBatch([repeat]));
    expect(await alarmRow(symptom.reductionKey)).toMatchObject({
      id: annotated.id,
      count: annotated.count + 1,
      caused_by: annotated.caused_by,
    });
    // Mirrored before the job completed (a correlation step mirrors only what it changes).
    expect(await mirrored(symptom.reductionKey)).toMatchObject({
      count: annotated.count + 1,
      causedBy: annotated.caused_by,
    });
  });
});
