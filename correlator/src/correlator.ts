import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { hostname } from 'node:os';
import { Queue, QueueEvents, type JobsOptions, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import {
  EVENTS_QUEUE,
  PAGE_DELIVERIES_QUEUE,
  eventsPartitionQueue,
  PAGING_QUEUE,
  loadPagingKeys,
  waitForServer,
  redisOptions,
  type Component,
  type ComponentMetric,
  type Config,
  type Runtime,
} from '@faultline/shared';
import type { StalePolicy } from './core/auto-clean.js';
import { createAlarmStorePg } from './adapters/alarm-store-pg.js';
import { createCommandWorker } from './adapters/command-worker.js';
import { createEventWorker, eventWorkerCounters } from './adapters/event-worker.js';
import { createHotStateRedis } from './adapters/hot-state-redis.js';
import { createPostgresPool, migrateWithPool } from './adapters/postgres.js';
import { createProcessBatch } from './app/process-batch.js';
import { countDecisions, type DecisionCounts } from './core/decision-counts.js';
import { correlatorMetrics } from './correlator-metrics.js';
import { createCorrelationLoop } from './app/correlation-loop.js';
import { createCorrelationStorePg } from './adapters/correlation-pg.js';
import { createCorrelationStep } from './app/correlation-step.js';
import { pruneAppliedBatches } from './adapters/housekeeping-pg.js';
import { createEventRouter } from './adapters/event-router.js';
import { createPartitionLeases } from './adapters/partition-leases.js';
import { createStepPaceRedis } from './adapters/step-pace-redis.js';
import { createIncidentPublisher, publishIncidentChanges } from './adapters/incident-publisher.js';
import { createNotifyWorker } from './adapters/notify-worker.js';
import { createEmailNotifier } from './adapters/channels/email.js';
import { createHttpChannelNotifier } from './adapters/channels/http-channels.js';
import { createWebPushNotifier } from './adapters/channels/web-push.js';
import { createPagingStorePg } from './adapters/paging-store-pg.js';
import {
  createDeliveryWorker,
  createPagingQueues,
  createPagingWorker,
} from './adapters/paging-workers.js';
import { createPageDelivery } from './app/page-delivery.js';
import { createPaging } from './app/paging.js';
import { flushOutbox } from './adapters/outbox.js';
import { createTicketWorker } from './adapters/ticket-worker.js';
import { createTimelineSignal, type TimelineSignal } from './adapters/timeline-signal.js';
import { NOTIFICATIONS_QUEUE, TICKETS_QUEUE } from './core/jobs.js';
import { alarmPolicy } from './core/incident-policy.js';
import { symptomMatcher } from './core/topology.js';
import { createApprovedTopologySource } from './adapters/approved-topology-pg.js';

/** What the correlator needs. */
export interface CorrelatorDeps {
  readonly runtime: Runtime;
  /** Event batches taken at once by this process (default 16); those that arrive while others are applied are committed together. */
  readonly concurrency?: number;
  /** Time between correlation steps, ms (default 250). */
  readonly correlationIntervalMs?: number;
}

const DEFAULT_CONCURRENCY = 16;
const DEFAULT_CORRELATION_INTERVAL_MS = 250;
/** How soon an approved discovery topology reaches root cause (one small read per interval). */
const APPROVED_TOPOLOGY_REFRESH_MS = 5_000;
const HOUR_MS = 3_600_000;
const PRUNE_INTERVAL_MS = HOUR_MS;
/** How long an applied batch id is remembered: 8 days, past the 7 days job ids are kept. */
export const APPLIED_BATCH_RETENTION_MS = 8 * 24 * HOUR_MS;
/** Batches of the shared `events` queue routed at once (each waits for its parts). */
const ROUTER_CONCURRENCY = 64;
/** How long the router waits for the Redis replicas to take the parts it added. */
const REPLICA_WAIT_MS = 1000;

/** The auto-clean periods of the config, in ms. */
export function stalePolicyOf(correlation: Config['correlation']): StalePolicy {
  return {
    ...(correlation.staleAlarmS === undefined ? {} : { anyMs: correlation.staleAlarmS * 1000 }),
    byTypeMs: new Map(
      Object.entries(correlation.staleAlarmByTypeS).map(([type, s]) => [type, s * 1000]),
    ),
  };
}

function queue(queues: ReadonlyMap<string, Queue>, name: string): Queue {
  const found = queues.get(name);
  if (found === undefined) throw new Error(`queue ${name} was not created`);
  return found;
}

/** The correlator component, with its self-metrics. */
export interface Correlator extends Component {
  /** Event batches by outcome, events by alarm decision, partitions owned and taken over. */
  metrics(): ComponentMetric[];
}

/**
 * The correlator: consumes event batches from the `events` queue and turns them into alarms in
 * PostgreSQL, mirrored in Redis and published live. Any number may run side by side.
 */
export function createCorrelator(deps: CorrelatorDeps): Correlator {
  const { settings, config } = deps.runtime;
  // The partitions' batches (every event applied is in one), and the shared queue's batches routed.
  const batchCounters = eventWorkerCounters();
  const routedCounters = eventWorkerCounters();
  const decisionCounters = countDecisions([]);
  const logger = deps.runtime.logger.child({ component: 'correlator' });
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  // Teardown stack: each resource registers its release as soon as it exists; stop (or a failed
  // start) runs them newest first, so the worker drains before the connections it uses close.
  const teardown: { name: string; run: () => Promise<unknown> }[] = [];
  // The partition counters once started.
  let metricsOf = (): ComponentMetric[] => [];

  async function stopAll(): Promise<void> {
    let firstError: unknown;
    for (let step = teardown.pop(); step !== undefined; step = teardown.pop()) {
      try {
        await step.run();
      } catch (error) {
        logger.error({ err: error, step: step.name }, 'correlator teardown step failed');
        firstError ??= error;
      }
    }
    if (firstError !== undefined)
      throw new Error('correlator stopped uncleanly', { cause: firstError });
  }

  function redisConnection(name: string, options: { maxRetriesPerRequest: number | null }): Redis {
    const redis = new Redis({ ...redisOptions(settings), ...options, connectionName: name });
    redis.on('error', (error) => {
      logger.warn({ err: error, connection: name }, 'Redis connection error');
    });
    teardown.push({ name: `redis ${name}`, run: () => redis.quit() });
    return redis;
  }

  /** Paging: the escalation worker and the delivery worker with their channels. */
  async function startPaging(
    pool: ReturnType<typeof createPostgresPool>,
    queues: ReadonlyMap<string, Queue>,
    options: ReadonlyMap<string, JobsOptions>,
    timelineGrew: TimelineSignal,
  ): Promise<{ pagingWorker: Worker; deliveryWorker: Worker }> {
    const paging = config.paging;
    const pages = createPagingStorePg(pool);
    // Every page recorded is a timeline entry: open incident pages are told.
    const store: typeof pages = {
      ...pages,
      async record(entries) {
        await pages.record(entries);
        for (const incidentId of new Set(entries.map((entry) => entry.incidentId))) {
          await timelineGrew(incidentId);
        }
      },
    };
    const keys = await loadPagingKeys(pool);
    const timeoutMs = paging.timeoutS * 1000;
    const email = createEmailNotifier({ smtp: paging.smtp, channels: paging.channels, timeoutMs });
    teardown.push({
      name: 'smtp transport',
      run: () => {
        email.close();
        return Promise.resolve();
      },
    });
    const pagingWorker = createPagingWorker({
      connection: redisConnection('correlator-paging', { maxRetriesPerRequest: null }),
      prefix: settings.prefix,
      paging: createPaging({
        store,
        queues: createPagingQueues({
          paging: queue(queues, PAGING_QUEUE),
          deliveries: queue(queues, PAGE_DELIVERIES_QUEUE),
          pagingOptions: options.get(PAGING_QUEUE) ?? {},
          deliveryOptions: options.get(PAGE_DELIVERIES_QUEUE) ?? {},
        }),
        config,
        nowMs: Date.now,
        logger,
      }),
      logger,
    });
    teardown.push({ name: 'paging worker', run: () => pagingWorker.close() });
    const deliveryWorker = createDeliveryWorker({
      connection: redisConnection('correlator-page-deliveries', { maxRetriesPerRequest: null }),
      prefix: settings.prefix,
      concurrency: 8,
      deliver: createPageDelivery({
        store,
        notifiers: {
          webpush: createWebPushNotifier({
            subscriptions: store,
            keys,
            subject: paging.webPush.subject,
            allowLoopbackHttp: paging.webPush.allowLoopbackHttp,
            timeoutMs,
            nowMs: Date.now,
          }),
          email,
          channel: createHttpChannelNotifier({
            channels: paging.channels,
            timeoutMs,
            nowMs: Date.now,
            email,
          }),
        },
        logger,
      }),
      logger,
    });
    teardown.push({ name: 'page deliveries worker', run: () => deliveryWorker.close() });
    return { pagingWorker, deliveryWorker };
  }

  return {
    name: 'correlator',
    async start() {
      try {
        const pool = createPostgresPool({
          databaseUrl: settings.databaseUrl,
          // The partitions' commits (up to 8 at once), and the rest: the correlation step,
          // housekeeping, the commands (4 at once), tickets and notifications workers. A commit
          // waits for a connection rather than fail; none holds one while asking for another.
          maxConnections: Math.min(config.correlation.partitions, 8) + 8,
          logger,
        });
        teardown.push({ name: 'postgres pool', run: () => pool.end() });
        // Started before PostgreSQL is up, the correlator waits for it rather than crash.
        const applied = await waitForServer({
          server: 'PostgreSQL',
          attempt: () => migrateWithPool(pool),
          logger,
        });
        if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
        // The mirror gives up after ioredis's default retries (the job is then retried); the
        // worker connection must never give up, as BullMQ requires.
        const stateRedis = redisConnection('correlator-state', { maxRetriesPerRequest: 20 });
        const workerRedis = redisConnection('correlator-worker', { maxRetriesPerRequest: null });
        const queueRedis = redisConnection('correlator-queues', { maxRetriesPerRequest: 20 });
        const timelineGrew = createTimelineSignal({
          redis: redisConnection('correlator-timelines', { maxRetriesPerRequest: 3 }),
          prefix: settings.prefix,
          logger,
        });
        const notify = config.notify;
        const queues = new Map<string, Queue>();
        // The events queue too: auto-clean sends its clears through it, like any other source.
        const queueNames = [
          TICKETS_QUEUE,
          NOTIFICATIONS_QUEUE,
          EVENTS_QUEUE,
          PAGING_QUEUE,
          PAGE_DELIVERIES_QUEUE,
        ];
        for (const name of queueNames) {
          const queue = new Queue(name, { connection: queueRedis, prefix: settings.prefix });
          queue.on('error', (error) => {
            logger.warn({ err: error, queue: name }, 'queue error');
          });
          teardown.push({ name: `queue ${name}`, run: () => queue.close() });
          queues.set(name, queue);
        }
        // Completed jobs are kept a week so a re-added id is ignored; the workers dedup anyway.
        const kept = {
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 30 * 24 * 3600 },
        };
        const options = new Map<string, JobsOptions>([
          [TICKETS_QUEUE, { ...kept, attempts: 20, backoff: { type: 'exponential', delay: 1000 } }],
          [
            NOTIFICATIONS_QUEUE,
            {
              ...kept,
              attempts: notify?.attempts ?? 12,
              backoff: { type: 'exponential', delay: (notify?.backoffS ?? 1) * 1000 },
            },
          ],
          [EVENTS_QUEUE, { ...kept, attempts: 10, backoff: { type: 'exponential', delay: 1000 } }],
          [PAGING_QUEUE, { ...kept, attempts: 20, backoff: { type: 'exponential', delay: 1000 } }],
          [
            PAGE_DELIVERIES_QUEUE,
            {
              ...kept,
              attempts: config.paging.attempts,
              backoff: { type: 'exponential', delay: config.paging.backoffS * 1000 },
            },
          ],
        ]);
        const webhookTargets = (notify?.webhooks ?? []).map((w) => w.name);
        const step = createCorrelationStep({
          store: createCorrelationStorePg({
            pool,
            webhookTargets,
            flapWindowMs: config.correlation.flapWindowS * 1000,
            recoveryMs: config.correlation.recoveryS * 1000,
            ...(notify?.ackTimeoutS === undefined
              ? {}
              : { ackTimeoutMs: notify.ackTimeoutS * 1000 }),
            stalePolicy: stalePolicyOf(config.correlation),
          }),
          topology: createApprovedTopologySource({
            pool,
            config,
            refreshMs: APPROVED_TOPOLOGY_REFRESH_MS,
            clock: Date.now,
            logger: logger.child({ part: 'topology' }),
          }),
          holdMs: config.correlation.holdS * 1000,
          webhookTargets,
          maintenance: config.maintenance,
          flapCount: config.correlation.flapCount,
          flapWindowMs: config.correlation.flapWindowS * 1000,
          policy: alarmPolicy(config.correlation.policy),
          explains: symptomMatcher(config.correlation.symptoms),
          recoveryMs: config.correlation.recoveryS * 1000,
        });
        // Leases and the steps' pace: small commands that fail rather than wait on a Redis down.
        const coordinationRedis = redisConnection('correlator-leases', { maxRetriesPerRequest: 3 });
        const loop = createCorrelationLoop({
          step,
          pace: createStepPaceRedis({ redis: coordinationRedis, prefix: settings.prefix }),
          publish: createIncidentPublisher({ redis: stateRedis, prefix: settings.prefix }),
          flush: () => flushOutbox({ pool, queues, options }),
          intervalMs: deps.correlationIntervalMs ?? DEFAULT_CORRELATION_INTERVAL_MS,
          logger,
        });
        const ticketWorker = createTicketWorker({
          connection: redisConnection('correlator-tickets', { maxRetriesPerRequest: null }),
          prefix: settings.prefix,
          pool,
          logger,
          timelineGrew,
        });
        teardown.push({ name: 'tickets worker', run: () => ticketWorker.close() });
        const notifyWorker = createNotifyWorker({
          connection: redisConnection('correlator-notify', { maxRetriesPerRequest: null }),
          prefix: settings.prefix,
          pool,
          webhooks: notify?.webhooks ?? [],
          timeoutMs: (notify?.timeoutS ?? 10) * 1000,
          logger,
        });
        teardown.push({ name: 'notifications worker', run: () => notifyWorker.close() });
        const { pagingWorker, deliveryWorker } = await startPaging(
          pool,
          queues,
          options,
          timelineGrew,
        );
        // People's commands from the api (acknowledge, assign, comment, resolve).
        const commandWorker = createCommandWorker({
          connection: redisConnection('correlator-commands', { maxRetriesPerRequest: null }),
          prefix: settings.prefix,
          pool,
          partitions: config.correlation.partitions,
          webhookTargets: (notify?.webhooks ?? []).map((w) => w.name),
          hotState: createHotStateRedis({ redis: stateRedis, prefix: settings.prefix }),
          publishIncident: (change) =>
            publishIncidentChanges(stateRedis, settings.prefix, [change]),
          afterChange: () => {
            loop.kick();
          },
          logger,
        });
        teardown.push({ name: 'commands worker', run: () => commandWorker.close() });
        const partitionCount = config.correlation.partitions;
        const leaseTtlMs = config.correlation.leaseTtlS * 1000;
        // A batch held by a dead process goes back to its queue once its lock expired (with the
        // lease) and the next stalled check saw it twice: within about a lease and a half.
        const takeover = { lockDuration: leaseTtlMs, stalledInterval: leaseTtlMs / 5 };
        const partitionQueues = Array.from({ length: partitionCount }, (_, partition) => {
          const name = eventsPartitionQueue(partition);
          const partitionQueue = new Queue(name, {
            connection: queueRedis,
            prefix: settings.prefix,
          });
          // Each routed batch waiting for its part listens for the queue closing.
          partitionQueue.setMaxListeners(ROUTER_CONCURRENCY + 10);
          partitionQueue.on('error', (error) => {
            logger.warn({ err: error, queue: name }, 'queue error');
          });
          teardown.push({ name: `queue ${name}`, run: () => partitionQueue.close() });
          return partitionQueue;
        });
        const partitionEvents = Array.from({ length: partitionCount }, (_, partition) => {
          // A blocking connection of its own, to the primary the sentinels name when there are.
          const queueEvents = new QueueEvents(eventsPartitionQueue(partition), {
            connection: redisConnection(`correlator-queue-events-p${String(partition)}`, {
              maxRetriesPerRequest: null,
            }),
            prefix: settings.prefix,
          });
          queueEvents.on('error', (error) => {
            logger.warn({ err: error, partition }, 'queue events error');
          });
          teardown.push({
            name: `queue events ${String(partition)}`,
            run: () => queueEvents.close(),
          });
          return queueEvents;
        });
        await Promise.all(partitionEvents.map((queueEvents) => queueEvents.waitUntilReady()));
        const alarmStore = createAlarmStorePg({
          pool,
          newAlarmId: randomUUID,
          partitions: partitionCount,
        });
        const hotState = createHotStateRedis({ redis: stateRedis, prefix: settings.prefix });
        const partitionWorkers = new Map<number, Worker>();
        const leases = createPartitionLeases({
          redis: coordinationRedis,
          prefix: settings.prefix,
          partitions: partitionCount,
          ttlMs: leaseTtlMs,
          owner: `${hostname()}-${String(process.pid)}-${randomUUID().slice(0, 8)}`,
          logger,
          start: async (partition) => {
            const processBatch = createProcessBatch({
              partition,
              store: alarmStore,
              hotState,
              logger,
              afterBatch: () => {
                loop.kick();
              },
            });
            const partitionWorker = createEventWorker({
              queue: eventsPartitionQueue(partition),
              connection: workerRedis,
              prefix: settings.prefix,
              concurrency,
              takeover,
              logger,
              // Batches and their events are counted where they are applied, whoever sent them.
              process: async (batch) => {
                const counts = await processBatch(batch);
                for (const [kind, n] of Object.entries(counts) as [
                  keyof DecisionCounts,
                  number,
                ][]) {
                  decisionCounters[kind] += n;
                }
                return counts;
              },
              counters: batchCounters,
            });
            partitionWorkers.set(partition, partitionWorker);
            await partitionWorker.waitUntilReady();
          },
          stop: async (partition, drain) => {
            const partitionWorker = partitionWorkers.get(partition);
            partitionWorkers.delete(partition);
            // Draining waits for the batches in hand; a lost lease abandons them (the new owner
            // gets them back once their locks expire, and skips any this one still commits).
            await partitionWorker?.close(!drain);
            alarmStore.dropPartition(partition);
          },
        });
        // Renewal and balance on timers of their own: a drained handover must not delay renewals.
        const every = (name: string, work: () => Promise<void>): void => {
          let timer: NodeJS.Timeout | undefined;
          let running = true;
          const run = (): void => {
            timer = setTimeout(() => {
              void work().finally(() => {
                if (running) run();
              });
            }, leaseTtlMs / 5);
          };
          run();
          teardown.push({
            name,
            run: () => {
              running = false;
              clearTimeout(timer);
              return Promise.resolve();
            },
          });
        };
        teardown.push({ name: 'partition leases', run: () => leases.release() });
        // Partitions are taken a balance period after joining: the correlators started together
        // have beaten by then and split them. Start waits for it, so a correlator started alone
        // owns every partition when it resolves, as events sent from then on expect.
        await leases.join();
        await delay(leaseTtlMs / 5);
        await leases.balance();
        every('partition lease renewal', () => leases.renew());
        every('partition balance', () => leases.balance());
        // Batches of the shared queue (auto-clean, tests, a collector of an older version), split
        // to the partitions (any correlator routes any batch). The collector routes its own.
        const waitReplicas = settings.redisWaitReplicas;
        const readded = { count: 0 };
        const routeBatch = createEventRouter({
          queues: partitionQueues,
          queueEvents: partitionEvents,
          jobOptions: options.get(EVENTS_QUEUE) ?? {},
          partWaitMs: leaseTtlMs,
          readded,
          logger,
          ...(waitReplicas > 0
            ? {
                // The partition queues add on queueRedis: a WAIT on it covers what they added.
                waitForReplicas: async () => {
                  const reached = Number(
                    await queueRedis.call('WAIT', waitReplicas, REPLICA_WAIT_MS),
                  );
                  if (reached < waitReplicas) {
                    throw new Error(
                      `routed batch reached ${String(reached)} of ${String(waitReplicas)} Redis replicas`,
                    );
                  }
                },
              }
            : {}),
        });
        const worker = createEventWorker({
          queue: EVENTS_QUEUE,
          connection: workerRedis,
          prefix: settings.prefix,
          concurrency: ROUTER_CONCURRENCY,
          takeover,
          logger,
          process: routeBatch,
          counters: routedCounters,
        });
        // close() waits for the batches in flight to finish.
        teardown.push({ name: 'events worker', run: () => worker.close() });
        metricsOf = () => [
          ...(['ran', 'skipped', 'rested'] as const).map((outcome): ComponentMetric => ({
            name: 'faultline_correlator_correlation_steps_total',
            help: 'Correlation steps by outcome: ran, skipped (another correlator held the correlation lock), rested (deferred by the pace the correlators share).',
            type: 'counter',
            value: loop.steps[outcome],
            labels: { outcome },
          })),
          {
            name: 'faultline_correlator_partitions_taken_over_total',
            help: 'Event partitions this correlator took over from one that stopped renewing its lease (died or froze).',
            type: 'counter',
            value: leases.takenOver.count,
          },
          {
            name: 'faultline_correlator_partitions_owned',
            help: 'Event partitions this correlator owns (holds the lease of) now.',
            type: 'gauge',
            value: leases.owned().length,
          },
          {
            name: 'faultline_correlator_routed_parts_readded_total',
            help: 'Parts of routed event batches added to their partition queue again because the queue no longer held them (lost in a Redis failover).',
            type: 'counter',
            value: readded.count,
          },
        ];
        // Applied batch ids are remembered past the week a completed job id is kept (a re-added
        // job is ignored within it), then forgotten, hourly.
        const prune = (): void => {
          pruneAppliedBatches(pool, Date.now() - APPLIED_BATCH_RETENTION_MS)
            .then((forgotten) => {
              if (forgotten > 0) logger.info({ forgotten }, 'old applied batch ids forgotten');
            })
            .catch((error: unknown) => {
              logger.warn({ err: error }, 'forgetting old applied batch ids failed');
            });
        };
        prune();
        const pruning = setInterval(prune, PRUNE_INTERVAL_MS);
        teardown.push({
          name: 'applied batches pruning',
          run: () => {
            clearInterval(pruning);
            return Promise.resolve();
          },
        });
        // Stopped first: no step may start once the connections it uses begin to close.
        loop.start();
        teardown.push({ name: 'correlation loop', run: () => loop.stop() });
        await Promise.all([
          worker.waitUntilReady(),
          ticketWorker.waitUntilReady(),
          notifyWorker.waitUntilReady(),
          pagingWorker.waitUntilReady(),
          deliveryWorker.waitUntilReady(),
          commandWorker.waitUntilReady(),
        ]);
      } catch (error) {
        await stopAll().catch(() => undefined);
        throw new Error('correlator failed to start', { cause: error });
      }
    },
    stop: stopAll,
    metrics: () => [
      ...correlatorMetrics(batchCounters, decisionCounters, routedCounters),
      ...metricsOf(),
    ],
  };
}
