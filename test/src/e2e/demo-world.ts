import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { expect, vi } from 'vitest';
import { NOTIFICATIONS_QUEUE, TICKETS_QUEUE } from '@faultline/correlator';
import {
  createLogger,
  startAll,
  type Config,
  type Incident,
  type Runtime,
} from '@faultline/shared';
import { createSystem } from '@faultline/system';
import { deleteRedisPrefix } from '../bench/bench-support.js';
import { snmptrap } from '../collector/snmp-tools.js';
import { isolatedExampleConfig } from '../simulator/example-network.js';
import { createTestDatabase, influxQuery, testSettings } from '../support/services.js';
import { freeTcpPort, freeUdpPort } from '../support/ports.js';

/**
 * The demo as `npm start` runs it (`createSystem` with the simulated network of
 * config/example.yaml, demo history included), from an empty database and prefix of its own, on
 * free ports, with a loopback webhook as the pager. Time is scaled by `speedup`: scenarios run
 * that much faster, and so do the system's clocks the scenarios depend on (polls, the hold, the
 * flap window, telemetry), within what the config allows. Random demo faults are off: every fault
 * is the scenario's.
 */

const ADMIN_TOKEN = 'demo-e2e-admin-token-0123456789';
/** Markers (see `barrier`) are traps from this address, which no configured device has. */
const MARKER_DEVICE = '127.0.0.1';
const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const IF_INDEX = '1.3.6.1.2.1.2.2.1.1';
/** What `system/src/main.ts` gives the simulator: telemetry every 10 s. */
const TELEMETRY_INTERVAL_MS = 10_000;

/** One POST the pager received, and when. */
export interface Push {
  readonly kind: string;
  readonly incident: Incident;
  readonly atMs: number;
}

/** An alarm as the correlator stored it, with its annotations. */
export interface AlarmRecord {
  readonly id: string;
  readonly type: string;
  readonly device: string;
  readonly component: string | null;
  readonly severity: string;
  readonly reductionKey: string;
  readonly source: string;
  readonly state: string;
  readonly count: number;
  readonly raisedAtMs: number;
  readonly clearedAtMs: number | null;
  readonly causedBy: string | null;
  readonly incidentId: string | null;
}

/** A ticket row. */
export interface TicketRecord {
  readonly id: string;
  readonly incidentId: string;
  readonly state: string;
  readonly title: string;
}

/**
 * What the system shows at one moment, markers and the demo's past left out: the alarms raised
 * since start, the incidents opened since, their tickets and pushes; `text` lists it all for
 * assertion messages.
 */
export interface Snapshot {
  readonly alarms: readonly AlarmRecord[];
  readonly incidents: readonly Incident[];
  readonly tickets: readonly TicketRecord[];
  readonly pushes: readonly Push[];
  readonly text: string;
}

/** A running demo. */
export interface Demo {
  readonly config: Config;
  /** Starts a scenario through the api, as an admin does; resolves with its length at this speed. */
  runScenario(name: string): Promise<number>;
  /**
   * Returns once every alarm raised before it has been held and correlated and what that decided
   * was ticketed and pushed: a marker trap (a linkDown from an address outside the config) must
   * open its incident, which the correlation step does only after the marker's own hold, so that
   * step saw every earlier alarm past its hold; then the tickets and notifications queues drain.
   */
  barrier(): Promise<void>;
  snapshot(): Promise<Snapshot>;
  /** When the collector last had an answer from a device's agent (its last interface sample), ms. */
  lastAnsweredMs(device: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** How long the demo may take to show something, beyond what the scenario itself lasts, ms. */
export const WAIT = { timeout: 30_000, interval: 200 } as const;

function scaled(config: Config, speedup: number): Config {
  const { correlation } = config;
  return {
    ...config,
    // The config's minimum poll interval is 5 s.
    devices: config.devices.map((d) => ({
      ...d,
      pollIntervalS: Math.max(5, Math.round(d.pollIntervalS / speedup)),
    })),
    correlation: {
      ...correlation,
      holdS: correlation.holdS / speedup,
      // The config's minimum, 10 s: still several times the longest gap between two raises of
      // the demo's flaps, and what a flapping incident waits, without a raise, to resolve.
      flapWindowS: 10,
    },
    // A test's MQTT session must not outlive it on the broker.
    telemetry: { ...config.telemetry, sessionExpiryS: 0 },
  };
}

const ALARM_COLUMNS = `id, type, device, component, severity, reduction_key, source, state, count,
  raised_at, cleared_at, caused_by, incident_id`;

interface AlarmRow {
  id: string;
  type: string;
  device: string;
  component: string | null;
  severity: string;
  reduction_key: string;
  source: string;
  state: string;
  count: number;
  raised_at: Date;
  cleared_at: Date | null;
  caused_by: string | null;
  incident_id: string | null;
}

const alarmFrom = (row: AlarmRow): AlarmRecord => ({
  id: row.id,
  type: row.type,
  device: row.device,
  component: row.component,
  severity: row.severity,
  reductionKey: row.reduction_key,
  source: row.source,
  state: row.state,
  count: row.count,
  raisedAtMs: row.raised_at.getTime(),
  clearedAtMs: row.cleared_at?.getTime() ?? null,
  causedBy: row.caused_by,
  incidentId: row.incident_id,
});

/** Seconds from `startMs` to `ms`, as `+1.5s`. */
const since = (startMs: number, ms: number): string => `+${((ms - startMs) / 1000).toFixed(1)}s`;

/** The snapshot as lines a person reads in a failed assertion; times in s since the start. */
function summarize(
  startMs: number,
  alarms: readonly AlarmRecord[],
  incidents: readonly Incident[],
  tickets: readonly TicketRecord[],
  pushes: readonly Push[],
): string {
  const short = (id: string | null): string => id?.slice(0, 8) ?? '-';
  const after = (ms: number | null): string => (ms === null ? '-' : since(startMs, ms));
  const afterIso = (iso: string | null): string => after(iso === null ? null : Date.parse(iso));
  const alarmOf = new Map(alarms.map((a) => [a.id, a]));
  const where = (id: string): string => {
    const alarm = alarmOf.get(id);
    return alarm === undefined ? short(id) : `${alarm.device}:${alarm.component ?? ''}`;
  };
  return [
    'alarms (type device component severity key source state count causedBy incident raised cleared):',
    ...alarms.map(
      (a) =>
        `  ${a.type} ${a.device} ${a.component ?? '-'} ${a.severity} ${a.reductionKey} ${a.source} ` +
        `${a.state} x${String(a.count)} ${short(a.causedBy)} ${a.incidentId ?? '-'} ` +
        `${after(a.raisedAtMs)} ${after(a.clearedAtMs)}`,
    ),
    'incidents:',
    ...incidents.map(
      (i) =>
        `  ${i.id} ${i.state} "${i.title}" ${i.severity} primary ${where(i.primaryAlarmId)} ` +
        `roots [${i.rootAlarmIds.map(where).join(', ')}] alarms ${String(i.alarmIds.length)} ` +
        `cut off [${i.cutOffDevices.join(', ')}] services ` +
        `[${i.impactedServices.map((s) => `${s.customerId}/${s.serviceId}`).join(', ')}] ` +
        `ticket ${i.ticketId} v${String(i.version)} ${afterIso(i.openedAt)} ${afterIso(i.resolvedAt)}`,
    ),
    'tickets:',
    ...tickets.map((t) => `  ${t.id} ${t.state} "${t.title}"`),
    'pushes:',
    ...pushes.map((p) => `  ${p.kind} ${p.incident.id} "${p.incident.title}" ${after(p.atMs)}`),
  ].join('\n');
}

/** Starts the demo; `stop` stops it and removes everything it made. */
export async function startDemo(options: {
  readonly speedup: number;
  readonly mqttUrl: string;
  readonly influxDatabase: string;
}): Promise<Demo> {
  const { speedup } = options;
  // Everything made is undone in reverse order, by stop() or when the start fails half-way.
  const teardown: (() => Promise<unknown>)[] = [];
  const stop = async (): Promise<void> => {
    for (let undo = teardown.pop(); undo !== undefined; undo = teardown.pop()) await undo();
  };
  try {
    const pushes: Push[] = [];
    const pager = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<Push, 'atMs'>;
        pushes.push({ ...body, atMs: Date.now() });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => pager.listen(0, '127.0.0.1', resolve));
    teardown.push(() => new Promise((resolve) => pager.close(resolve)));
    const pagerPort = (pager.address() as AddressInfo).port;

    const database = await createTestDatabase();
    teardown.push(() => database.drop());
    const example = await isolatedExampleConfig();
    const config: Config = {
      ...scaled(example, speedup),
      influx: { ...example.influx, database: options.influxDatabase },
      notify: {
        webhooks: [{ name: 'pager', url: `http://127.0.0.1:${String(pagerPort)}/hook` }],
        attempts: 10,
        backoffS: 0.1,
        timeoutS: 5,
      },
    };
    const trapPort = await freeUdpPort();
    const httpPort = await freeTcpPort();
    const settings = testSettings({
      databaseUrl: database.url,
      mqttUrl: options.mqttUrl,
      trapHost: '127.0.0.1',
      trapPort,
      httpHost: '127.0.0.1',
      httpPort,
      adminToken: ADMIN_TOKEN,
    });
    const logger = createLogger({ level: process.env.DEMO_E2E_LOG_LEVEL ?? 'silent' });
    const runtime: Runtime = { settings, config, logger };
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    teardown.push(() => db.end());
    const redis = new Redis(settings.redisUrl);
    redis.on('error', () => undefined);
    teardown.push(async () => {
      await deleteRedisPrefix(redis, settings.prefix);
      await redis.quit();
    });
    const jobQueues = [TICKETS_QUEUE, NOTIFICATIONS_QUEUE].map((name) => {
      const queue = new Queue(name, { connection: redis, prefix: settings.prefix });
      queue.on('error', () => undefined);
      teardown.push(() => queue.close());
      return queue;
    });
    const startedAtMs = Date.now();
    const stopSystem = await startAll(
      createSystem(runtime, {
        simulate: true,
        telemetryIntervalMs: Math.round(TELEMETRY_INTERVAL_MS / speedup),
      }),
      logger,
    );
    teardown.push(stopSystem);

    const baseUrl = `http://127.0.0.1:${String(httpPort)}`;
    const api = async (path: string, init: RequestInit = {}): Promise<unknown> => {
      const response = await fetch(`${baseUrl}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      });
      const body: unknown = await response.json();
      if (!response.ok)
        throw new Error(`${path}: ${String(response.status)} ${JSON.stringify(body)}`);
      return body;
    };

    const allAlarms = async (): Promise<AlarmRecord[]> =>
      (
        await db.query<AlarmRow>(
          `SELECT ${ALARM_COLUMNS} FROM alarms WHERE raised_at >= $1 ORDER BY raised_at, id`,
          [new Date(startedAtMs)],
        )
      ).rows.map(alarmFrom);
    const allIncidents = async (): Promise<Incident[]> =>
      ((await api('/api/incidents?state=all&limit=1000')) as { incidents: Incident[] }).incidents
        // The demo's past (a month of history written at start) is not what this start did.
        .filter((i) => Date.parse(i.openedAt) >= startedAtMs);
    let markers = 0;
    const scenarios: string[] = [];

    return {
      config,
      async runScenario(name) {
        scenarios.push(
          `scenario ${name} at ${String(speedup)}x started ${since(startedAtMs, Date.now())}`,
        );
        const run = (await api(`/api/admin/scenarios/${name}/run`, {
          method: 'POST',
          body: JSON.stringify({ speedup }),
        })) as { lengthMs: number };
        return run.lengthMs;
      },
      async barrier() {
        markers += 1;
        const ifIndex = String(markers);
        await snmptrap([
          '-v',
          '2c',
          '-c',
          'public',
          `--clientaddr=${MARKER_DEVICE}`,
          `127.0.0.1:${String(trapPort)}`,
          '',
          LINK_DOWN,
          `${IF_INDEX}.${ifIndex}`,
          'i',
          ifIndex,
        ]);
        const key = `linkDown:${MARKER_DEVICE}:ifIndex=${ifIndex}`;
        await vi.waitFor(async () => {
          const { rows } = await db.query<{ ticket: string | null }>(
            `SELECT t.id AS ticket FROM alarms a JOIN incidents i ON i.primary_alarm_id = a.id
               LEFT JOIN tickets t ON t.incident_id = i.id WHERE a.reduction_key = $1`,
            [key],
          );
          expect(rows[0]?.ticket, `marker ${key} ticketed`).toEqual(expect.any(String));
        }, WAIT);
        await vi.waitFor(async () => {
          for (const queue of jobQueues) {
            const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
            expect(counts, `${queue.name} jobs pending`).toEqual({
              waiting: 0,
              active: 0,
              delayed: 0,
              prioritized: 0,
            });
          }
        }, WAIT);
      },
      async lastAnsweredMs(device) {
        const answer = (await influxQuery(
          `SELECT last(in_octets) FROM interface WHERE device = '${device}'`,
          options.influxDatabase,
        )) as { results: { series?: { values: [string, number][] }[] }[] };
        const time = answer.results[0]?.series?.[0]?.values[0]?.[0];
        return time === undefined ? undefined : Date.parse(time);
      },
      async snapshot() {
        const alarms = await allAlarms();
        const isMarker = new Set(alarms.filter((a) => a.device === MARKER_DEVICE).map((a) => a.id));
        const incidents = (await allIncidents()).filter((i) => !isMarker.has(i.primaryAlarmId));
        const ids = new Set(incidents.map((i) => i.id));
        const tickets = (
          await db.query<TicketRecord>(
            `SELECT id, incident_id AS "incidentId", state, title FROM tickets ORDER BY created_at`,
          )
        ).rows.filter((t) => ids.has(t.incidentId));
        const ours = alarms.filter((a) => !isMarker.has(a.id));
        const real = pushes.filter((p) => ids.has(p.incident.id));
        return {
          alarms: ours,
          incidents,
          tickets,
          pushes: real,
          text: [...scenarios, summarize(startedAtMs, ours, incidents, tickets, real)].join('\n'),
        };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
