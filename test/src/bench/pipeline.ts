// Event pipeline: events/s from the BullMQ `events` queue into deduplicated alarms, through the
// real correlator process (correlator/dist/main.js) on the real Redis and PostgreSQL, with one and
// with two correlator processes. The queue is preloaded while paused, in the collector's own job
// format (its event queue adapter batches the events), then resumed and timed until it is empty.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { EVENT_BATCH_DEFAULTS, createEventQueue } from '@faultline/collector';
import { EVENTS_QUEUE, createLogger, hotStateKeys, type FaultEvent } from '@faultline/shared';
import { createTestDatabase, uniqueName, testSettings } from '../support/services.js';
import {
  deleteRedisPrefix,
  seeded,
  startNodeProcess,
  waitUntil,
  type NodeProcess,
} from './bench-support.js';
import { machineLoadNote } from './bench-system.js';
import { smallScale, writeResult, type Figure } from './result.js';

const EVENTS = smallScale ? 5_000 : 200_000;
/** Distinct reduction keys: with the skew below, a few keys take most of the repeats. */
const KEYS = smallScale ? 200 : 5_000;
const INTERFACES_PER_DEVICE = 48;
const TARGET_EVENTS_PER_S = 50_000;
const T0 = Date.UTC(2026, 0, 1);

/** A linkDown event on key `key` (device and interface derived from it), as a trap gives it. */
function linkDownEvent(index: number, key: number): FaultEvent {
  const device = `bench-${String(Math.floor(key / INTERFACES_PER_DEVICE))}`;
  const ifIndex = (key % INTERFACES_PER_DEVICE) + 1;
  return {
    id: `ev-${String(index)}`,
    source: 'trap',
    device,
    deviceKnown: false,
    component: `ge-0/0/${String(ifIndex)}`,
    type: 'linkDown',
    severity: 'major',
    timeMs: T0 + index,
    reductionKey: `linkDown:${device}:ifIndex=${String(ifIndex)}`,
    description: `Interface ge-0/0/${String(ifIndex)} is down`,
    details: { ifIndex, ifOperStatus: 2, ifAdminStatus: 1 },
  };
}

/** The events of the run and how many each reduction key should count. */
function eventMix(): { events: FaultEvent[]; expected: Map<string, number> } {
  const random = seeded(8);
  const events: FaultEvent[] = [];
  const expected = new Map<string, number>();
  // Every key once, then repeats skewed towards low keys (squared draw): a flapping minority.
  for (let index = 0; index < EVENTS; index++) {
    const key = index < KEYS ? index : Math.floor(KEYS * random() ** 2);
    const event = linkDownEvent(index, key);
    events.push(event);
    expected.set(event.reductionKey, (expected.get(event.reductionKey) ?? 0) + 1);
  }
  return { events, expected };
}

interface RunResult {
  readonly eventsPerS: number;
  readonly elapsedMs: number;
  /** CPU time the correlator processes used during the drain. */
  readonly cpuMs: number;
  readonly jobs: number;
}

async function correlatorCpuSeconds(correlators: readonly NodeProcess[]): Promise<number> {
  const seconds = await Promise.all(correlators.map((correlator) => correlator.cpuSeconds()));
  return seconds.reduce((sum, value) => sum + value, 0);
}

/** One run: a fresh database and prefix, the queue preloaded, `processes` correlators draining it. */
async function run(processes: number): Promise<RunResult> {
  const database = await createTestDatabase();
  const settings = testSettings({ databaseUrl: database.url, prefix: uniqueName('bench') });
  const redis = new Redis(settings.redisUrl);
  const queue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: settings.prefix });
  queue.on('error', () => undefined);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const correlators: NodeProcess[] = [];
  try {
    await queue.pause();
    const { events, expected } = eventMix();
    const producer = createEventQueue({
      redisUrl: settings.redisUrl,
      prefix: settings.prefix,
      logger: createLogger({ level: 'silent' }),
      maxPendingEvents: EVENTS,
      closeTimeoutMs: 120_000,
    });
    for (const event of events) producer.enqueue(event);
    await producer.close();
    if (producer.counters.enqueued !== EVENTS) {
      throw new Error(
        `preloaded ${String(producer.counters.enqueued)} of ${String(EVENTS)} events`,
      );
    }
    const jobs = producer.counters.batches;

    for (let index = 0; index < processes; index++) {
      correlators.push(
        startNodeProcess('correlator/dist/main.js', [], {
          FAULTLINE_PREFIX: settings.prefix,
          DATABASE_URL: database.url,
        }),
      );
    }
    // Each correlator process runs one events worker once started.
    await waitUntil('the correlators to start', async () => {
      for (const correlator of correlators) {
        if (correlator.child.exitCode !== null) throw new Error('a correlator exited at start');
      }
      return (await queue.getWorkersCount()) >= processes;
    });

    const cpuBefore = await correlatorCpuSeconds(correlators);
    const started = performance.now();
    await queue.resume();
    await waitUntil(
      'the queue to drain',
      async () => {
        const counts = await queue.getJobCounts(
          'waiting',
          'active',
          'delayed',
          'prioritized',
          'failed',
        );
        if ((counts.failed ?? 0) > 0)
          throw new Error(`${String(counts.failed)} event batches failed`);
        return (
          (counts.waiting ?? 0) +
            (counts.active ?? 0) +
            (counts.delayed ?? 0) +
            (counts.prioritized ?? 0) ===
          0
        );
      },
      // Generous: a busy machine drains at a few thousand events/s.
      { timeoutMs: 600_000 },
    );
    const elapsedMs = performance.now() - started;
    const cpuMs = ((await correlatorCpuSeconds(correlators)) - cpuBefore) * 1000;

    // Exactly one alarm per key, counting every event of its key; every event recorded once.
    const alarms = await db.query<{ reduction_key: string; count: number; state: string }>(
      'SELECT reduction_key, count, state FROM alarms',
    );
    const wrong = alarms.rows.filter(
      (row) => row.state !== 'active' || expected.get(row.reduction_key) !== row.count,
    );
    if (alarms.rows.length !== expected.size || wrong.length > 0) {
      throw new Error(
        `${String(alarms.rows.length)} alarms for ${String(expected.size)} keys, ${String(wrong.length)} wrong, e.g. ${JSON.stringify(wrong.slice(0, 3))}`,
      );
    }
    const recorded = await db.query<{ n: string }>('SELECT count(*) AS n FROM processed_events');
    if (Number(recorded.rows[0]?.n) !== EVENTS) {
      throw new Error(`${String(recorded.rows[0]?.n)} processed events for ${String(EVENTS)}`);
    }
    const mirrored = await redis.hlen(hotStateKeys(settings.prefix).openAlarms);
    if (mirrored !== expected.size) {
      throw new Error(`${String(mirrored)} alarms in the hot state for ${String(expected.size)}`);
    }
    return { eventsPerS: (EVENTS / elapsedMs) * 1000, elapsedMs, cpuMs, jobs };
  } finally {
    await Promise.all(correlators.map((correlator) => correlator.stop()));
    await queue.close();
    await deleteRedisPrefix(redis, settings.prefix);
    await redis.quit();
    await db.end();
    await database.drop();
  }
}

const machineLoad = machineLoadNote();
const one = await run(1);
const two = await run(2);
const figure = (label: string, result: RunResult): Figure => ({
  label,
  value: Math.round(result.eventsPerS),
  unit: 'events/s',
  target: '≥ 50,000 events/s',
  met: result.eventsPerS >= TARGET_EVENTS_PER_S,
});
await writeResult({
  name: 'pipeline',
  title: 'Event pipeline',
  figures: [
    figure('1 correlator process', one),
    figure('2 correlator processes', two),
    { label: 'speed-up with 2 processes', value: two.eventsPerS / one.eventsPerS, unit: '×' },
    {
      label: 'correlator CPU per 1,000 events (1 process)',
      value: (one.cpuMs / EVENTS) * 1000,
      unit: 'ms',
    },
  ],
  notes: [
    machineLoad,
    `${EVENTS.toLocaleString('en-US')} linkDown events over ${KEYS.toLocaleString('en-US')} reduction keys (every key once, the rest skewed towards a flapping minority) preloaded into the paused \`events\` queue by the collector's event queue adapter (${String(one.jobs)} jobs of up to ${EVENT_BATCH_DEFAULTS.maxBatchEvents.toLocaleString('en-US')} events), then drained by the real correlator processes (\`correlator/dist/main.js\`, events worker concurrency 16 each, jobs that arrive during a commit committed together) against Redis and PostgreSQL.`,
    `Timed from resuming the queue until no job is waiting or active: ${(one.elapsedMs / 1000).toFixed(1)} s with one process, ${(two.elapsedMs / 1000).toFixed(1)} s with two. Checked after each run: one active alarm per key with exactly its number of events, every event id recorded once, every alarm mirrored in the Redis hot state.`,
  ],
});
