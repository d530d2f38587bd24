/**
 * The billing bridge: a worker on the `billing` queue that bills closed periods (on request from
 * the api, and on each customer's schedule), writes runs and lines to PostgreSQL, pushes new runs
 * to the BSS webhook, and publishes each customer's open period live on the `billing` channel.
 */
import { Redis } from 'ioredis';
import {
  channels,
  waitForServer,
  type BillingJobOutcome,
  type BillingRunRequest,
  type Component,
  type ComponentMetric,
  type Runtime,
} from '@faultline/shared';
import { createBillingStore } from './adapters/billing-store-pg.js';
import {
  createBillingQueue,
  createBillingWorker,
  enqueuePush,
  syncSchedulers,
} from './adapters/billing-worker.js';
import { pushRun } from './adapters/bss-webhook.js';
import { createInfluxReadings } from './adapters/influx-readings.js';
import { createPostgresPool, migrateWithPool } from './adapters/postgres.js';
import { createBillingRuns, type RunOutcome } from './app/billing-runs.js';
import { createLiveBilling } from './app/live-billing.js';

/** What the bridge is built from. */
export interface BillingBridgeDeps {
  readonly runtime: Runtime;
  /** The clock (tests inject one). */
  readonly now?: () => number;
}

/** The billing bridge component, with its self-metrics. */
export interface BillingBridge extends Component {
  metrics(): ComponentMetric[];
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
  };
  const teardown: { name: string; run: () => Promise<unknown> }[] = [];

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
    const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest, connectionName: name });
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
        const readings = createInfluxReadings({
          influxUrl: settings.influxUrl,
          database:
            config.influx.api === 'v2'
              ? (config.influx.bucket ?? config.influx.database)
              : config.influx.database,
          token: settings.influxToken,
        });
        const store = createBillingStore({ pool, now });
        const runs = createBillingRuns({
          config,
          readings,
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
              await publisher.publish(channels(settings.prefix).billing, JSON.stringify(view));
              counts.liveViews++;
            },
          });
          let busy: Promise<void> | undefined;
          const tick = (): void => {
            // A tick while the previous views are still being computed is skipped, so slow
            // reads never pile up; failures are logged and never escape the timer.
            if (busy !== undefined) return;
            busy = live
              .publishAll()
              .then(
                () => undefined,
                (error: unknown) => {
                  logger.warn({ err: error }, 'live billing failed');
                },
              )
              .finally(() => {
                busy = undefined;
              });
          };
          tick();
          const timer = setInterval(tick, config.billing.liveIntervalS * 1000);
          teardown.push({
            name: 'live billing',
            run: async () => {
              clearInterval(timer);
              await busy;
            },
          });
        }
      } catch (error) {
        await stopAll().catch(() => undefined);
        throw new Error('billing bridge failed to start', { cause: error });
      }
    },
    stop: stopAll,
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
          name: 'faultline_billing_live_views_total',
          help: 'Live billing views published on the billing channel.',
          type: 'counter',
          value: counts.liveViews,
        },
      ];
    },
  };
}
