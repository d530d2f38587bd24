/**
 * The billing bridge: a worker on the `billing` queue that bills closed periods (on request from
 * the api, and on each customer's schedule), writes runs and lines to PostgreSQL, pushes new runs
 * to the BSS webhook, and publishes each customer's open period live on the `billing` channel.
 */
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  channels,
  liveBillingKey,
  waitForServer,
  type BillingJobOutcome,
  type BillingRunRequest,
  redisOptions,
  type Component,
  type ComponentMetric,
  type Runtime,
} from '@faultline/shared';
import { createBillingStore } from './adapters/billing-store-pg.js';
import {
  createBillingQueue,
  createBillingWorker,
  enqueueFirstStartRuns,
  enqueuePush,
  syncSchedulers,
} from './adapters/billing-worker.js';
import { pushRun } from './adapters/bss-webhook.js';
import { createInfluxFeed, createInfluxReadings } from './adapters/influx-readings.js';
import { createPostgresPool, migrateWithPool } from './adapters/postgres.js';
import { createUsageLedgerStore } from './adapters/usage-ledger-pg.js';
import { createBillingRuns, type RunOutcome } from './app/billing-runs.js';
import { createLiveBilling } from './app/live-billing.js';
import { createBudgetWarnings } from './app/budget-warnings.js';
import { createBudgetWarningChannels } from './adapters/budget-warning-sender.js';
import { createBudgetWarningLog } from './adapters/budget-warnings-pg.js';
import type { BillingStore, UsageLedgerStore } from './ports.js';
import { createUsageFollower } from './app/usage-follower.js';

/** The longest time window of readings the ledger follows at once. */
const LEDGER_WINDOW_MS = 3_600_000;

/** What the bridge is built from. */
export interface BillingBridgeDeps {
  readonly runtime: Runtime;
  /** The clock (tests inject one). */
  readonly now?: () => number;
}

/** The billing bridge component, with its self-metrics. */
export interface BillingBridge extends Component {
  metrics(): ComponentMetric[];
  /**
   * On a first start (no run stored yet), asks for every customer's last closed period so the
   * billing desk is never empty; answers the job id, or null when runs exist. Call it once the
   * usage of those periods is in place (the demo's history), after `start`.
   */
  requestFirstRuns(): Promise<string | null>;
}

/** Creates the billing bridge. */
export function createBillingBridge(deps: BillingBridgeDeps): BillingBridge {
  const { settings, config } = deps.runtime;
  const logger = deps.runtime.logger.child({ component: 'billing-bridge' });
  const now = deps.now ?? Date.now;
  const counts = {
    written: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    linesHeld: 0,
    pushed: 0,
    liveViews: 0,
    budgetWarnings: 0,
    ledgerReadings: 0,
    ledgerFailures: 0,
  };
  const teardown: { name: string; run: () => Promise<unknown> }[] = [];
  let started: { store: BillingStore; queue: Queue } | undefined;

  async function stopAll(): Promise<void> {
    let firstError: unknown;
    for (let step = teardown.pop(); step !== undefined; step = teardown.pop()) {
      try {
        await step.run();
      } catch (error) {
        logger.error({ err: error, step: step.name }, 'billing bridge teardown step failed');
        firstError ??= error;
      }
    }
    if (firstError !== undefined) {
      throw new Error('billing bridge stopped uncleanly', { cause: firstError });
    }
  }

  function redisConnection(name: string, maxRetriesPerRequest: number | null): Redis {
    const redis = new Redis({
      ...redisOptions(settings),
      maxRetriesPerRequest,
      connectionName: name,
    });
    redis.on('error', (error) => {
      logger.warn({ err: error, connection: name }, 'Redis connection error');
    });
    teardown.push({ name: `redis ${name}`, run: () => redis.quit() });
    return redis;
  }

  function count(outcomes: readonly RunOutcome[]): void {
    for (const outcome of outcomes) {
      if (outcome.kind === 'skipped') {
        counts.skipped++;
        continue;
      }
      if (!outcome.stored.created) {
        counts.unchanged++;
        continue;
      }
      counts.written++;
      counts.linesHeld += outcome.stored.lines.filter((line) => line.status === 'held').length;
    }
  }

  /**
   * Runs `work` every `intervalS` (and once now) until teardown; a tick while the previous one
   * runs is skipped, so slow work never piles up. Failures go to `onError`, never out of the timer.
   * Teardown aborts `work`'s signal and waits for it.
   */
  function every(
    name: string,
    intervalS: number,
    work: (stop: AbortSignal) => Promise<void>,
    onError: (error: unknown) => void,
  ): void {
    let busy: Promise<void> | undefined;
    // Aborted at teardown: long work (a backfill of the ledger) stops at its next step.
    const stopping = new AbortController();
    const tick = (): void => {
      if (busy !== undefined) return;
      busy = work(stopping.signal)
        .catch(onError)
        .finally(() => {
          busy = undefined;
        });
    };
    tick();
    const timer = setInterval(tick, intervalS * 1000);
    teardown.push({
      name,
      run: async () => {
        clearInterval(timer);
        stopping.abort();
        await busy;
      },
    });
  }

  /** Starts following readings into the ledger; undefined when the ledger is off. */
  function startLedger(
    ledgerStore: UsageLedgerStore,
    feed: ReturnType<typeof createInfluxFeed>,
  ): UsageLedgerStore | undefined {
    const { followIntervalS, settleS, backfillDays } = config.billing.usageLedger;
    if (followIntervalS === 0) return undefined;
    const follower = createUsageFollower({
      feed,
      store: ledgerStore,
      series: config.customers.flatMap((customer) =>
        customer.services.map((service) => ({ device: service.device, iface: service.interface })),
      ),
      settleMs: settleS * 1000,
      backfillMs: backfillDays * 86_400_000,
      windowMs: LEDGER_WINDOW_MS,
      now,
      logger,
    });
    every(
      'usage ledger',
      followIntervalS,
      async (stop) => {
        counts.ledgerReadings += (await follower.catchUp(stop)).readings;
      },
      (error) => {
        counts.ledgerFailures++;
        logger.warn({ err: error }, 'usage ledger could not follow readings');
      },
    );
    return ledgerStore;
  }

  return {
    name: 'billing-bridge',
    async start() {
      try {
        const pool = createPostgresPool({ databaseUrl: settings.databaseUrl, logger });
        teardown.push({ name: 'postgres pool', run: () => pool.end() });
        // Started before PostgreSQL is up, the bridge waits for it rather than crash.
        const applied = await waitForServer({
          server: 'PostgreSQL',
          attempt: () => migrateWithPool(pool),
          logger,
        });
        if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
        const influx = {
          influxUrl: settings.influxUrl,
          database:
            config.influx.api === 'v2'
              ? (config.influx.bucket ?? config.influx.database)
              : config.influx.database,
          token: settings.influxToken,
        };
        const readings = createInfluxReadings(influx);
        const store = createBillingStore({ pool, now });
        const ledger = startLedger(createUsageLedgerStore({ pool }), createInfluxFeed(influx));
        const runs = createBillingRuns({
          config,
          readings,
          ...(ledger === undefined ? {} : { ledger }),
          store,
          now,
          minCoveragePercent: config.billing.minCoveragePercent,
          logger,
        });
        const webhook = config.billing.webhook;
        const queue = createBillingQueue({
          connection: redisConnection('billing-queue', 20),
          prefix: settings.prefix,
          logger,
        });
        teardown.push({ name: 'billing queue', run: () => queue.close() });
        started = { store, queue };
        teardown.push({
          name: 'first runs',
          run: () => {
            started = undefined;
            return Promise.resolve();
          },
        });
        const schedulers = await syncSchedulers(queue, config.customers);
        logger.info({ schedulers }, 'billing schedules set');
        const worker = createBillingWorker({
          connection: redisConnection('billing-worker', null),
          prefix: settings.prefix,
          logger,
          handle: async (request: BillingRunRequest, progress) => {
            try {
              const outcomes = await runs.run(request, progress);
              count(outcomes);
              // Every run is (re)offered to the push, not only new ones: a job retried after its run
              // was committed finds it unchanged, and its push must not be lost. The job id and
              // billing_pushes make repeats no-ops.
              if (webhook !== undefined) {
                for (const outcome of outcomes) {
                  if (outcome.kind === 'run') {
                    await enqueuePush(queue, outcome.stored.run.id, webhook.attempts);
                  }
                }
              }
              return outcomes.map((outcome): BillingJobOutcome =>
                outcome.kind === 'run'
                  ? { kind: 'run', customerId: outcome.customerId, runId: outcome.stored.run.id }
                  : outcome,
              );
            } catch (error) {
              counts.failed++;
              throw error;
            }
          },
          push: async (runId: string) => {
            if (webhook === undefined) return 'no-webhook';
            const result = await pushRun({ url: webhook.url, store }, runId);
            if (result === 'sent') counts.pushed++;
            return result;
          },
        });
        // close() waits for the run in flight.
        teardown.push({ name: 'billing worker', run: () => worker.close() });
        await worker.waitUntilReady();

        if (config.billing.liveIntervalS > 0) {
          const publisher = redisConnection('billing-live', 20);
          const live = createLiveBilling({
            config,
            readings,
            store,
            now,
            logger,
            publish: async (view) => {
              const json = JSON.stringify(view);
              // Kept for readers that start between publications; gone if the bridge stops.
              await publisher.set(
                liveBillingKey(settings.prefix, view.customerId),
                json,
                'EX',
                Math.max(300, 3 * config.billing.liveIntervalS),
              );
              await publisher.publish(channels(settings.prefix).billing, json);
              counts.liveViews++;
            },
          });
          const warningChannels = createBudgetWarningChannels({
            smtp: config.paging.smtp,
            timeoutMs: config.paging.timeoutS * 1000,
            nowMs: now,
          });
          teardown.push({
            name: 'budget warning channels',
            run: () => {
              warningChannels.close();
              return Promise.resolve();
            },
          });
          const warn = createBudgetWarnings({
            config,
            log: createBudgetWarningLog(pool),
            send: warningChannels.send,
            logger,
          });
          every(
            'live billing',
            config.billing.liveIntervalS,
            async () => {
              counts.budgetWarnings += await warn(await live.publishAll());
            },
            (error) => {
              logger.warn({ err: error }, 'live billing failed');
            },
          );
        }
      } catch (error) {
        await stopAll().catch(() => undefined);
        throw new Error('billing bridge failed to start', { cause: error });
      }
    },
    stop: stopAll,
    async requestFirstRuns() {
      if (started === undefined) throw new Error('the billing bridge is not started');
      if (await started.store.hasRuns()) return null;
      const jobId = await enqueueFirstStartRuns(started.queue);
      logger.info({ jobId }, 'first start: last closed periods requested');
      return jobId;
    },
    metrics() {
      const runsMetric = (outcome: string, value: number): ComponentMetric => ({
        name: 'faultline_billing_runs_total',
        help: 'Billing runs by outcome: written (a new version), unchanged, skipped, failed.',
        type: 'counter',
        labels: { outcome },
        value,
      });
      return [
        runsMetric('written', counts.written),
        runsMetric('unchanged', counts.unchanged),
        runsMetric('skipped', counts.skipped),
        runsMetric('failed', counts.failed),
        {
          name: 'faultline_billing_lines_held_total',
          help: 'Lines written as held for review (usage coverage below the threshold).',
          type: 'counter',
          value: counts.linesHeld,
        },
        {
          name: 'faultline_billing_pushes_total',
          help: 'Billing runs delivered to the BSS webhook.',
          type: 'counter',
          value: counts.pushed,
        },
        {
          name: 'faultline_billing_ledger_readings_total',
          help: 'Readings followed from InfluxDB into the usage ledger (5-minute buckets).',
          type: 'counter',
          value: counts.ledgerReadings,
        },
        {
          name: 'faultline_billing_ledger_failures_total',
          help: 'Catch-ups of the usage ledger that failed (retried at the next interval).',
          type: 'counter',
          value: counts.ledgerFailures,
        },
        {
          name: 'faultline_billing_live_views_total',
          help: 'Live billing views published on the billing channel.',
          type: 'counter',
          value: counts.liveViews,
        },
        {
          name: 'faultline_billing_budget_warnings_total',
          help: 'Budget warnings sent to customer contacts (one per warning and channel).',
          type: 'counter',
          value: counts.budgetWarnings,
        },
      ];
    },
  };
}
