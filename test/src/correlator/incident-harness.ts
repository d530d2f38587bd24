import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { vi } from 'vitest';
import { NOTIFICATIONS_QUEUE, TICKETS_QUEUE, createCorrelator } from '@faultline/correlator';
import {
  EVENTS_QUEUE,
  EVENT_BATCH_JOB,
  channels,
  createLogger,
  incidentStateKeys,
  loadConfigFile,
  type Component,
  type Config,
  type FaultEvent,
  type Incident,
  type IncidentChange,
  type Runtime,
  type Settings,
} from '@faultline/shared';
import { createTestDatabase, testSettings, type TestDatabase } from '../support/services.js';

const EXAMPLE_CONFIG = fileURLToPath(new URL('../../../config/example.yaml', import.meta.url));

/** One POST the test webhook received. */
export interface Push {
  readonly idempotencyKey: string | undefined;
  readonly body: { kind: string; idempotencyKey: string; incident: { id: string; title: string } };
  readonly status: number;
}

/** The incident world of one test: database, prefix, queue, webhook, subscriber, correlators. */
export interface IncidentHarness {
  readonly settings: Settings;
  readonly config: Config;
  readonly db: pg.Client;
  readonly queue: Queue;
  /** Every POST answered 2xx, in order. */
  readonly pushes: Push[];
  /** Every POST, including the ones answered with an error. */
  readonly attempts: Push[];
  /** Requests that followed a redirect to `/elsewhere` (a URL not configured). */
  readonly followed: string[];
  /** Every message on the incidents channel. */
  readonly incidentChanges: IncidentChange[];
  startCorrelator(concurrency?: number): Promise<Component>;
  addBatch(events: FaultEvent[], jobId?: string): Promise<Job>;
  waitForJob(job: Job): Promise<void>;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Waits until everything decided before it has run its course: a marker alarm on a device of its
   * own goes through the events queue, the hold, a correlation step (which also sees every alarm
   * before it), the outbox and a push; then the tickets and notifications queues drain. Markers are
   * titled `barrier N`; `pushes`, `incidents` and `tickets` below leave them out.
   */
  barrier(): Promise<void>;
  /** Pushes other than the barriers'. */
  realPushes(): Push[];
  /** The hot hash of unresolved incidents, by id. */
  openIncidentsHash(): Promise<Record<string, Incident>>;
  close(): Promise<void>;
}

/** Options of the harness. */
export interface IncidentHarnessOptions {
  readonly holdS?: number;
  /** The webhook answers 503 to this many POSTs first (to exercise retries). */
  readonly failFirst?: number;
  /** The webhook then answers this many POSTs with a 307 redirect to `/elsewhere`. */
  readonly redirectFirst?: number;
  readonly maintenance?: Config['maintenance'];
  readonly flapCount?: number;
  readonly flapWindowS?: number;
  readonly ackTimeoutS?: number;
  readonly staleAlarmS?: number;
  readonly staleAlarmByTypeS?: Record<string, number>;
  /** Replaces parts of the example's paging section. */
  readonly paging?: Partial<Config['paging']>;
}

/** Builds the world; the webhook listens on 127.0.0.1 and is the only configured target. */
export async function createIncidentHarness(
  options: IncidentHarnessOptions = {},
): Promise<IncidentHarness> {
  const pushes: Push[] = [];
  const attempts: Push[] = [];
  const followed: string[] = [];
  let failuresLeft = options.failFirst ?? 0;
  let redirectsLeft = options.redirectFirst ?? 0;
  const server: Server = createServer((request, response) => {
    if (request.url === '/elsewhere') {
      followed.push(request.method ?? '');
      response.writeHead(204).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = failuresLeft > 0 ? 503 : redirectsLeft > 0 ? 307 : 200;
      if (failuresLeft > 0) failuresLeft--;
      else if (redirectsLeft > 0) redirectsLeft--;
      const header = request.headers['idempotency-key'];
      const push: Push = {
        idempotencyKey: typeof header === 'string' ? header : undefined,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Push['body'],
        status,
      };
      attempts.push(push);
      if (status === 200) pushes.push(push);
      response.writeHead(status, status === 307 ? { location: '/elsewhere' } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const database: TestDatabase = await createTestDatabase();
  const settings = testSettings({ databaseUrl: database.url });
  const loaded = await loadConfigFile(EXAMPLE_CONFIG);
  if (!loaded.ok) throw new Error(`example config invalid: ${JSON.stringify(loaded.problems)}`);
  const config: Config = {
    ...loaded.value,
    correlation: {
      ...loaded.value.correlation,
      holdS: options.holdS ?? 1,
      flapCount: options.flapCount ?? 3,
      flapWindowS: options.flapWindowS ?? 300,
      ...(options.staleAlarmS === undefined ? {} : { staleAlarmS: options.staleAlarmS }),
      ...(options.staleAlarmByTypeS === undefined
        ? {}
        : { staleAlarmByTypeS: options.staleAlarmByTypeS }),
    },
    maintenance: options.maintenance ?? [],
    paging: { ...loaded.value.paging, ...options.paging },
    notify: {
      webhooks: [{ name: 'pager', url: `http://127.0.0.1:${String(port)}/hook` }],
      attempts: 10,
      backoffS: 0.1,
      timeoutS: 5,
      ...(options.ackTimeoutS === undefined ? {} : { ackTimeoutS: options.ackTimeoutS }),
    },
  };
  const runtime: Runtime = { settings, config, logger: createLogger({ level: 'silent' }) };
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const redis = new Redis(settings.redisUrl);
  redis.on('error', () => undefined);
  const subscriber = new Redis(settings.redisUrl);
  subscriber.on('error', () => undefined);
  const incidentChanges: IncidentChange[] = [];
  subscriber.on('message', (_channel: string, message: string) => {
    incidentChanges.push(JSON.parse(message) as IncidentChange);
  });
  await subscriber.subscribe(channels(settings.prefix).incidents);
  const queue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: settings.prefix });
  queue.on('error', () => undefined);
  const correlators: Component[] = [];
  const jobQueues = [TICKETS_QUEUE, NOTIFICATIONS_QUEUE].map((name) => {
    const jobQueue = new Queue(name, { connection: redis, prefix: settings.prefix });
    jobQueue.on('error', () => undefined);
    return jobQueue;
  });
  let barriers = 0;
  const isBarrier = (push: Push) => push.body.incident.title.startsWith('barrier ');

  return {
    settings,
    config,
    db,
    queue,
    pushes,
    attempts,
    followed,
    incidentChanges,
    async startCorrelator(concurrency) {
      const correlator = createCorrelator({
        runtime,
        correlationIntervalMs: 100,
        ...(concurrency === undefined ? {} : { concurrency }),
      });
      await correlator.start();
      correlators.push(correlator);
      return correlator;
    },
    addBatch: (events, jobId) =>
      queue.add(
        EVENT_BATCH_JOB,
        { events },
        {
          attempts: 3,
          backoff: { type: 'fixed', delay: 50 },
          ...(jobId === undefined ? {} : { jobId }),
        },
      ),
    async waitForJob(job) {
      await vi.waitFor(
        async () => {
          const state = await job.getState();
          if (state !== 'completed') throw new Error(`job is ${state}`);
        },
        { timeout: 30_000, interval: 20 },
      );
    },
    async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      const result = await db.query<T>(sql, params);
      return result.rows;
    },
    async barrier() {
      barriers += 1;
      const title = `barrier ${String(barriers)}`;
      await queue.add(EVENT_BATCH_JOB, {
        events: [
          {
            id: eventId('barrier'),
            source: 'system',
            device: `barrier-${String(barriers)}`,
            deviceKnown: false,
            type: 'barrier',
            // Bad enough to page (a warning is recorded only): the barrier must push.
            severity: 'minor',
            timeMs: Date.now(),
            reductionKey: `barrier:${String(barriers)}`,
            description: title,
            details: {},
          },
        ],
      });
      await vi.waitFor(
        () => {
          if (!pushes.some((push) => push.body.incident.title === title))
            throw new Error(`${title} not pushed yet`);
        },
        { timeout: 30_000, interval: 20 },
      );
      await vi.waitFor(
        async () => {
          for (const jobQueue of jobQueues) {
            const counts = await jobQueue.getJobCounts(
              'waiting',
              'active',
              'delayed',
              'prioritized',
            );
            const pending = Object.values(counts).reduce((sum, n) => sum + n, 0);
            if (pending > 0)
              throw new Error(`${jobQueue.name} has ${String(pending)} jobs pending`);
          }
        },
        { timeout: 30_000, interval: 20 },
      );
    },
    realPushes: () => pushes.filter((push) => !isBarrier(push)),
    async openIncidentsHash() {
      const raw = await redis.hgetall(incidentStateKeys(settings.prefix).openIncidents);
      return Object.fromEntries(
        Object.entries(raw).map(([id, json]) => [id, JSON.parse(json) as Incident]),
      );
    },
    async close() {
      for (const jobQueue of jobQueues) await jobQueue.close();
      for (const correlator of correlators.reverse()) {
        await correlator.stop().catch(() => undefined);
      }
      await queue.close();
      await subscriber.quit();
      const stream = redis.scanStream({ match: `${settings.prefix}:*`, count: 500 });
      for await (const keys of stream as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.del(...keys);
      }
      await redis.quit();
      await db.end();
      await database.drop();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

let sequence = 0;

/** A fresh event id. */
export function eventId(label: string): string {
  sequence += 1;
  return `${label}-${String(sequence)}-${String(Date.now())}`;
}

const IF_INDEX: Record<string, number> = {
  'core-1:xe-0/0/2': 3,
  'core-2:xe-0/0/3': 4,
  'agg-2:xe-0/0/48': 48,
  'agg-2:xe-0/0/49': 49,
  'agg-2:ge-0/0/1': 1,
  'access-3:ge-0/0/24': 24,
};

/** A linkDown as the collector makes it from a trap, on `device:interface` of the example network. */
export function linkDownEvent(device: string, iface: string, id = eventId('down')): FaultEvent {
  const ifIndex = IF_INDEX[`${device}:${iface}`] ?? 1;
  return {
    id,
    source: 'trap',
    device,
    deviceKnown: true,
    component: iface,
    type: 'linkDown',
    severity: 'major',
    timeMs: Date.now(),
    reductionKey: `linkDown:${device}:ifIndex=${String(ifIndex)}`,
    description: `Link down on ${device} ifIndex ${String(ifIndex)}`,
    details: { ifIndex },
  };
}

/** The linkUp that clears `linkDownEvent(device, iface)`. */
export function linkUpEvent(device: string, iface: string, id = eventId('up')): FaultEvent {
  const down = linkDownEvent(device, iface, id);
  return {
    ...down,
    type: 'linkUp',
    severity: 'cleared',
    reductionKey: down.reductionKey.replace('linkDown', 'linkUp'),
    clearKey: down.reductionKey,
    description: `Link up on ${device}`,
  };
}

/** A device the poller cannot reach. */
export function unreachableEvent(device: string, id = eventId('unreach')): FaultEvent {
  return {
    id,
    source: 'poll',
    device,
    deviceKnown: true,
    type: 'unreachable',
    severity: 'critical',
    timeMs: Date.now(),
    reductionKey: `unreachable:${device}`,
    description: `${device} does not answer polls`,
    details: {},
  };
}

/** The poll answer that clears `unreachableEvent(device)`. */
export function reachableEvent(device: string, id = eventId('reach')): FaultEvent {
  return {
    ...unreachableEvent(device, id),
    type: 'reachable',
    severity: 'cleared',
    reductionKey: `reachable:${device}`,
    clearKey: `unreachable:${device}`,
    description: `${device} answers polls again`,
  };
}
