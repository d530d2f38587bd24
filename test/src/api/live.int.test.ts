import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import {
  channels,
  type Alarm,
  type AlarmChange,
  type ClientToServerEvents,
  type Incident,
  type IncidentChange,
  type ServerToClientEvents,
} from '@faultline/shared';
import type { ApiComponent } from '@faultline/api';
import {
  ADMIN_TOKEN,
  createApiFixture,
  sampleAlarm,
  sampleIncident,
  startApi,
  upsertAlarm,
  VIEWER_TOKEN,
  type ApiFixture,
} from './harness.js';
import { EVENTUALLY } from '../support/services.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let fixture: ApiFixture;
let api: ApiComponent;
let baseUrl: string;
const sockets: ClientSocket[] = [];

function connect(auth: Record<string, unknown>): ClientSocket {
  const socket: ClientSocket = io(baseUrl, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  return socket;
}

/** Collects what a socket receives, from the moment it is created. */
function record(socket: ClientSocket) {
  const seen = {
    snapshots: [] as Alarm[][],
    changes: [] as AlarmChange[],
    errors: [] as string[],
    connected: false,
  };
  socket.on('alarms:snapshot', (alarms) => seen.snapshots.push(alarms));
  socket.on('alarms:changed', (changes) => seen.changes.push(...changes));
  socket.on('connect', () => {
    seen.connected = true;
  });
  socket.on('connect_error', (error) => seen.errors.push(error.message));
  return seen;
}

beforeEach(async () => {
  fixture = await createApiFixture();
  ({ api, baseUrl } = await startApi(fixture, { dashboardDir: null }));
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await api.stop();
  await fixture.close();
});

describe('live alarms over socket.io', () => {
  it.each([
    ['without a token', {}],
    ['with a wrong token', { token: 'wrong-token-0000000000' }],
    ['with a non-string token', { token: 42 }],
  ])('refuses a connection %s', async (_name, auth) => {
    const seen = record(connect(auth));
    await vi.waitFor(() => {
      expect(seen.errors).toEqual(['unauthorized']);
    }, EVENTUALLY);
    expect(seen.connected).toBe(false);
    expect(seen.snapshots).toEqual([]);
  });

  it('sends a snapshot of open alarms, then published changes', async () => {
    const open = sampleAlarm({ severity: 'critical' });
    const cleared = sampleAlarm({
      state: 'cleared',
      severity: 'cleared',
      clearedAt: new Date().toISOString(),
    });
    await upsertAlarm(fixture.pool, open);
    await upsertAlarm(fixture.pool, cleared);

    const seen = record(connect({ token: VIEWER_TOKEN }));
    await vi.waitFor(() => {
      expect(seen.snapshots).toHaveLength(1);
    }, EVENTUALLY);
    expect(seen.snapshots[0]).toEqual([open]);

    const raised = sampleAlarm({ device: 'access-1' });
    await fixture.change('raised', raised);
    await vi.waitFor(() => {
      expect(seen.changes).toEqual([{ kind: 'raised', alarm: raised }]);
    }, EVENTUALLY);

    const clearedNow = {
      ...raised,
      state: 'cleared' as const,
      clearedAt: new Date().toISOString(),
    };
    await fixture.change('cleared', clearedNow);
    await vi.waitFor(() => {
      expect(seen.changes.at(-1)).toEqual({ kind: 'cleared', alarm: clearedNow });
    }, EVENTUALLY);
  });

  it('coalesces a burst into one update per alarm and ignores malformed messages', async () => {
    const seen = record(connect({ token: ADMIN_TOKEN }));
    await vi.waitFor(() => {
      expect(seen.snapshots).toEqual([[]]);
    }, EVENTUALLY);
    await fixture.redis.publish(`${fixture.settings.prefix}:alarms`, 'not json');
    await fixture.redis.publish(
      `${fixture.settings.prefix}:alarms`,
      JSON.stringify({ kind: 'raised' }),
    );
    const alarm = sampleAlarm();
    // One pipeline: the 50 messages reach the api together, as in a storm.
    const storm = fixture.redis.pipeline();
    for (let count = 1; count <= 50; count += 1) {
      storm.publish(
        `${fixture.settings.prefix}:alarms`,
        JSON.stringify({ kind: 'repeated', alarm: { ...alarm, count } }),
      );
    }
    await storm.exec();
    await vi.waitFor(() => {
      expect(seen.changes.at(-1)?.alarm.count).toBe(50);
    }, EVENTUALLY);
    // 50 changes to one alarm arrive in far fewer updates, each a valid change.
    expect(seen.changes.length).toBeLessThan(50);
    expect(seen.changes.every((change) => change.alarm.id === alarm.id)).toBe(true);
  });
});

describe('refused tokens over socket.io', () => {
  it('refuses an address that presented 20 wrong tokens, even with a valid one', async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const seen = record(connect({ token: `wrong-token-${String(attempt)}-000000` }));
      await vi.waitFor(() => {
        expect(seen.errors).toEqual(['unauthorized']);
      }, EVENTUALLY);
    }
    const seen = record(connect({ token: VIEWER_TOKEN }));
    await vi.waitFor(() => {
      expect(seen.errors).toEqual(['rate-limited']);
    }, EVENTUALLY);
    expect(seen.snapshots).toEqual([]);
  });
});

describe('live incidents over socket.io', () => {
  it('sends an incident snapshot, then published incident changes, latest per incident', async () => {
    const socket = connect({ token: VIEWER_TOKEN });
    const snapshots: Incident[][] = [];
    const changes: IncidentChange[] = [];
    socket.on('incidents:snapshot', (incidents) => snapshots.push(incidents));
    socket.on('incidents:changed', (batch) => changes.push(...batch));
    await vi.waitFor(() => {
      expect(snapshots).toEqual([[]]);
    }, EVENTUALLY);
    const incident = sampleIncident({
      id: 'inc-live-1',
      title: 'core-1 down',
      severity: 'critical',
      ticketId: 'tkt-live-1',
    });
    const channel = channels(fixture.settings.prefix).incidents;
    const burst = fixture.redis.pipeline();
    burst.publish(channel, JSON.stringify({ kind: 'opened', incident }));
    burst.publish(channel, 'not json');
    burst.publish(
      channel,
      JSON.stringify({
        kind: 'acknowledged',
        incident: { ...incident, state: 'acknowledged', acknowledgedBy: 'alice', version: 2 },
      }),
    );
    await burst.exec();
    await vi.waitFor(() => {
      expect(changes.at(-1)).toMatchObject({ kind: 'acknowledged', incident: { version: 2 } });
    }, EVENTUALLY);
    expect(changes.length).toBeLessThanOrEqual(2);
  });
});
