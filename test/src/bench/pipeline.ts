// Event pipeline: events/s from the partitions' BullMQ queues (`events-p<n>`) into deduplicated
// alarms, through the real correlator process (correlator/dist/main.js) on the real Redis and
// PostgreSQL, with one and with two correlator processes. The queues are preloaded while paused by
// the collector's own event queue adapter (it batches each partition's events and routes them),
// then resumed and timed until they are empty.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { EVENT_BATCH_DEFAULTS, createEventQueue } from '@faultline/collector';
import {
  EVENTS_QUEUE,
  batchJobId,
  createLogger,
  eventsPartitionQueue,
  hotStateKeys,
  redisOptions,
  type FaultEvent,
} from '@faultline/shared';
import { ALERTS_PER_REQUEST, REQUESTS_IN_FLIGHT, alertmanagerRate } from './alertmanager.js';
import { exampleConfigWithPartitions } from '../support/partitioned-config.js';
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
import { freeTcpPort } from '../support/ports.js';

const EVENTS = smallScale ? 5_000 : 200_000;
/** Distinct reduction keys: with the skew below, a few keys take most of the repeats. */
const KEYS = smallScale ? 200 : 5_000;
const INTERFACES_PER_DEVICE = 48;
/** Issue #17: sustained, exact, durable; and ahead of Alertmanager in the same run. */
const TARGET_EVENTS_PER_S = 70_000;
/** Alerts posted to Alertmanager: issue #17's measurement (the first ones of the same mix). */
const ALERTS = smallScale ? 5_000 : 100_000;
/** Event partitions the correlators share (`correlation.partitions`; the example's is 1). */
const PARTITIONS = 8;
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
  const queues = Array.from(
    { length: PARTITIONS },
    (_, partition) =>
      new Queue(eventsPartitionQueue(partition), { connection: redis, prefix: settings.prefix }),
  );
  // The shared queue, only to see each process's router worker start (as before the collector
  // routed), nothing is added to it.
  const shared = new Queue(EVENTS_QUEUE, { connection: redis, prefix: settings.prefix });
  for (const queue of [...queues, shared]) queue.on('error', () => undefined);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const correlators: NodeProcess[] = [];
  try {
    await Promise.all(queues.map((queue) => queue.pause()));
    const { events, expected } = eventMix();
    const producer = createEventQueue({
      connection: redisOptions(settings),
      prefix: settings.prefix,
      partitions: PARTITIONS,
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
    // The ids of the jobs added, each applied once: read back before any is consumed.
    const jobIds = new Set<string>();
    for (const queue of queues) {
      for (const job of await queue.getJobs(['waiting'])) {
        jobIds.add(batchJobId((job.data as { events: FaultEvent[] }).events));
      }
    }
    if (jobIds.size !== jobs) {
      throw new Error(`${String(jobIds.size)} distinct jobs queued for ${String(jobs)} added`);
    }

    for (let index = 0; index < processes; index++) {
      correlators.push(
        startNodeProcess('correlator/dist/main.js', [], {
          FAULTLINE_PREFIX: settings.prefix,
          DATABASE_URL: database.url,
          FAULTLINE_CONFIG: configFile,
          // Each its own /metrics port: two on the default one would not start.
          FAULTLINE_METRICS_PORT: String(await freeTcpPort()),
        }),
      );
    }
    // Each process started (its router's worker is up) and every partition has its owner's worker.
    await waitUntil('the correlators to start', async () => {
      for (const correlator of correlators) {
        if (correlator.child.exitCode !== null) throw new Error('a correlator exited at start');
      }
      if ((await shared.getWorkersCount()) < processes) return false;
      const workers = await Promise.all(queues.map((queue) => queue.getWorkersCount()));
      return workers.every((count) => count >= 1);
    });

    const cpuBefore = await correlatorCpuSeconds(correlators);
    const started = performance.now();
    await Promise.all(queues.map((queue) => queue.resume()));
    await waitUntil(
      'the queues to drain',
      async () => {
        let left = 0;
        for (const queue of queues) {
          const counts = await queue.getJobCounts(
            'waiting',
            'active',
            'delayed',
            'prioritized',
            'failed',
          );
          if ((counts.failed ?? 0) > 0)
            throw new Error(`${String(counts.failed)} event batches failed`);
          left +=
            (counts.waiting ?? 0) +
            (counts.active ?? 0) +
            (counts.delayed ?? 0) +
            (counts.prioritized ?? 0);
        }
        return left === 0;
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
    // Every job the producer added applied once, and nothing else.
    const recorded = await db.query<{ id: string }>('SELECT batch_id AS id FROM applied_batches');
    const applied = new Set(recorded.rows.map((row) => row.id));
    if (recorded.rows.length !== jobs || [...jobIds].some((id) => !applied.has(id))) {
      throw new Error(
        `${String(recorded.rows.length)} applied batches for ${String(jobs)} jobs added`,
      );
    }
    const mirrored = await redis.hlen(hotStateKeys(settings.prefix).openAlarms);
    if (mirrored !== expected.size) {
      throw new Error(`${String(mirrored)} alarms in the hot state for ${String(expected.size)}`);
    }
    // Each run's figures as it ends: a run whose peer is missing still shows them.
    process.stdout.write(
      `${String(processes)} correlator process(es): ${String(Math.round((EVENTS / elapsedMs) * 1000))} events/s, correlator CPU ${((cpuMs / EVENTS) * 1000).toFixed(1)} ms per 1,000 events\n`,
    );
    return { eventsPerS: (EVENTS / elapsedMs) * 1000, elapsedMs, cpuMs, jobs };
  } finally {
    await Promise.all(correlators.map((correlator) => correlator.stop()));
    await Promise.all([...queues, shared].map((queue) => queue.close()));
    await deleteRedisPrefix(redis, settings.prefix);
    await redis.quit();
    await db.end();
    await database.drop();
  }
}

const configFile = await exampleConfigWithPartitions(PARTITIONS);
const machineLoad = machineLoadNote();
const one = await run(1);
const two = await run(2);
const peer = await alertmanagerRate(eventMix().events.slice(0, ALERTS));
const figure = (label: string, result: RunResult): Figure => ({
  label,
  value: Math.round(result.eventsPerS),
  unit: 'events/s',
  target: `≥ ${TARGET_EVENTS_PER_S.toLocaleString('en-US')} events/s`,
  met: result.eventsPerS >= TARGET_EVENTS_PER_S,
});
await writeResult({
  name: 'pipeline',
  title: 'Event pipeline',
  figures: [
    figure('1 correlator process', one),
    figure('2 correlator processes', two),
    {
      label: 'speed-up with 2 processes',
      value: two.eventsPerS / one.eventsPerS,
      unit: '×',
      target: '≥ 1 ×',
      met: two.eventsPerS >= one.eventsPerS,
    },
    {
      label: 'Prometheus Alertmanager 0.25 ingesting the same alerts (in memory, no counts)',
      value: Math.round(peer.alertsPerS),
      unit: 'alerts/s',
    },
    {
      label: 'Faultline (1 process) / Alertmanager',
      value: one.eventsPerS / peer.alertsPerS,
      unit: '×',
      target: '> 1 ×',
      met: one.eventsPerS > peer.alertsPerS,
    },
    {
      label: 'correlator CPU per 1,000 events (1 process)',
      value: (one.cpuMs / EVENTS) * 1000,
      unit: 'ms',
    },
  ],
  notes: [
    machineLoad,
    `${EVENTS.toLocaleString('en-US')} linkDown events over ${KEYS.toLocaleString('en-US')} reduction keys (every key once, the rest skewed towards a flapping minority) preloaded into the ${String(PARTITIONS)} paused partition queues (\`events-p<n>\`) by the collector's event queue adapter, which routes each event to its reduction key's partition (${String(one.jobs)} jobs of up to ${EVENT_BATCH_DEFAULTS.maxBatchEvents.toLocaleString('en-US')} events of one partition), then drained by the real correlator processes (\`correlator/dist/main.js\`, the example config with \`correlation.partitions: ${String(PARTITIONS)}\`: each partition's owner takes 16 jobs at once and commits those that arrive during a commit together) against Redis and PostgreSQL.`,
    `Timed from resuming the queues until no job is waiting or active: ${(one.elapsedMs / 1000).toFixed(1)} s with one process, ${(two.elapsedMs / 1000).toFixed(1)} s with two. Checked after each run: one active alarm per key with exactly its number of events, every job added recorded once (\`applied_batches\`), every alarm mirrored in the Redis hot state.`,
    `Alertmanager (Debian's \`prometheus-alertmanager\` 0.25, its own loopback port and storage directory, clustering off, one route to a receiver that does nothing) was posted the first ${peer.alerts.toLocaleString('en-US')} events of the same mix as alerts over its v2 API, ${String(ALERTS_PER_REQUEST)} per request, ${String(REQUESTS_IN_FLIGHT)} requests in flight, in the same run: ${(peer.elapsedMs / 1000).toFixed(1)} s from the first request to the last answer. It keeps alerts in memory only (no occurrence counts, nothing durable); Faultline's figure includes exact counts, durable history and the Redis mirror.`,
  ],
});
