import { fileURLToPath } from 'node:url';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { vi } from 'vitest';
import { createCorrelator } from '@faultline/correlator';
import {
  EVENTS_QUEUE,
  EVENT_BATCH_JOB,
  channels,
  createLogger,
  hotStateKeys,
  loadConfigFile,
  type Alarm,
  type AlarmChange,
  type Component,
  type FaultEvent,
  type Runtime,
  type Settings,
} from '@faultline/shared';
import { createTestDatabase, testSettings, type TestDatabase } from '../support/services.js';

const EXAMPLE_CONFIG = fileURLToPath(new URL('../../../config/example.yaml', import.meta.url));

/** A row of `alarms` as the tests read it. */
export interface AlarmRowView {
  id: string;
  reduction_key: string;
  state: string;
  severity: string;
  count: number;
  last_event_id: string;
  details: unknown;
}

/**
 * One isolated correlator world: its own database, Redis prefix, queue, subscriber and any
 * number of correlator instances sharing them.
 */
export interface CorrelatorHarness {
  readonly settings: Settings;
  readonly db: pg.Client;
  readonly queue: Queue;
  readonly redis: Redis;
  /** Every change published on the alarm channel so far, in order of arrival. */
  readonly changes: AlarmChange[];
  startCorrelator(concurrency?: number): Promise<Component>;
  addBatch(events: unknown[], options?: { attempts?: number }): Promise<Job>;
  addRaw(data: unknown, options?: { attempts?: number }): Promise<Job>;
  /** Waits until the job is completed or failed, giving up after `timeoutMs` (20 s). */
  waitForJob(job: Job, timeoutMs?: number): Promise<'completed' | 'failed'>;
  alarms(): Promise<AlarmRowView[]>;
  openAlarmsHash(): Promise<Record<string, Alarm>>;
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A linkDown-style problem event on one interface. */
export function linkDown(id: string, overrides: Partial<FaultEvent> = {}): FaultEvent {
  return {
    id,
    source: 'trap',
    device: 'core-1',
    deviceKnown: true,
    component: 'ge-0/0/3',
    type: 'linkDown',
    severity: 'major',
    timeMs: T0,
    reductionKey: 'linkDown:core-1:ifIndex=3',
    description: 'Interface ge-0/0/3 is down',
    details: { ifIndex: 3 },
    ...overrides,
  };
}

/** The linkUp that clears `linkDown`. */
export function linkUp(id: string, overrides: Partial<FaultEvent> = {}): FaultEvent {
  return linkDown(id, {
    type: 'linkUp',
    severity: 'cleared',
    timeMs: T0 + 60_000,
    reductionKey: 'linkUp:core-1:ifIndex=3',
    clearKey: 'linkDown:core-1:ifIndex=3',
    description: 'Interface ge-0/0/3 is up',
    ...overrides,
  });
}

/** Builds the harness: a fresh database and prefix, a queue producer and an alarm subscriber. */
export async function createCorrelatorHarness(): Promise<CorrelatorHarness> {
  const database: TestDatabase = await createTestDatabase();
  const settings = testSettings({ databaseUrl: database.url });
  const loaded = await loadConfigFile(EXAMPLE_CONFIG);
  if (!loaded.ok) throw new Error(`example config invalid: ${JSON.stringify(loaded.problems)}`);
  const runtime: Runtime = {
    settings,
    config: loaded.value,
    logger: createLogger({ level: 'silent' }),
  };
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const redis = new Redis(settings.redisUrl);
  redis.on('error', () => undefined);
  const subscriber = new Redis(settings.redisUrl);
  subscriber.on('error', () => undefined);
  const changes: AlarmChange[] = [];
  subscriber.on('message', (_channel: string, message: string) => {
    changes.push(JSON.parse(message) as AlarmChange);
  });
  await subscriber.subscribe(channels(settings.prefix).alarms);
  const queue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: settings.prefix });
  queue.on('error', () => undefined);
  const correlators: Component[] = [];

  const add = (data: unknown, options: { attempts?: number } = {}) =>
    queue.add(EVENT_BATCH_JOB, data, {
      attempts: options.attempts ?? 3,
      backoff: { type: 'fixed', delay: 50 },
    });

  return {
    settings,
    db,
    queue,
    redis,
    changes,
    async startCorrelator(concurrency) {
      const correlator = createCorrelator({
        runtime,
        ...(concurrency === undefined ? {} : { concurrency }),
      });
      await correlator.start();
      correlators.push(correlator);
      return correlator;
    },
    addBatch: (events, options) => add({ events }, options),
    addRaw: add,
    async waitForJob(job, timeoutMs = 20_000) {
      return vi.waitFor(
        async () => {
          const state = await job.getState();
          if (state !== 'completed' && state !== 'failed') throw new Error(`job is ${state}`);
          return state;
        },
        { timeout: timeoutMs, interval: 20 },
      );
    },
    async alarms() {
      const result = await db.query<AlarmRowView>(
        'SELECT id, reduction_key, state, severity, count, last_event_id, details FROM alarms ORDER BY first_seen, id',
      );
      return result.rows;
    },
    async openAlarmsHash() {
      const raw = await redis.hgetall(hotStateKeys(settings.prefix).openAlarms);
      return Object.fromEntries(
        Object.entries(raw).map(([key, value]) => [key, JSON.parse(value) as Alarm]),
      );
    },
    async close() {
      for (const correlator of correlators.reverse()) await correlator.stop();
      await queue.close();
      await subscriber.quit();
      // Remove every key of this test's prefix so the shared Redis does not fill up.
      const stream = redis.scanStream({ match: `${settings.prefix}:*`, count: 500 });
      for await (const keys of stream as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.del(...keys);
      }
      await redis.quit();
      await db.end();
      await database.drop();
    },
  };
}
