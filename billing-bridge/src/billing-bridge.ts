/**
 * The billing bridge: a worker on the `billing` queue that bills closed periods (on request from
 * the api, and on each customer's schedule), writing runs and lines to PostgreSQL.
 */
import { Redis } from 'ioredis';
import type { BillingRunRequest, Component, ComponentMetric, Runtime } from '@faultline/shared';
import { createBillingStore } from './adapters/billing-store-pg.js';
import {
  createBillingQueue,
  createBillingWorker,
  syncSchedulers,
} from './adapters/billing-worker.js';
import { createInfluxReadings } from './adapters/influx-readings.js';
import { createPostgresPool, migrateWithPool } from './adapters/postgres.js';
import { createBillingRuns, type RunOutcome } from './app/billing-runs.js';

/** The default coverage below which usage lines are held for review, percent of buckets. */
export const DEFAULT_MIN_COVERAGE_PERCENT = 99;

/** What the bridge is built from. */
export interface BillingBridgeDeps {
  readonly runtime: Runtime;
  /** Usage lines of services below this coverage are held (default 99 %). */
  readonly minCoveragePercent?: number;
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
  const counts = { written: 0, unchanged: 0, skipped: 0, failed: 0, linesHeld: 0 };
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
        const applied = await migrateWithPool(pool);
        if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
        const runs = createBillingRuns({
          config,
          readings: createInfluxReadings({
            influxUrl: settings.influxUrl,
            database:
              config.influx.api === 'v2'
                ? (config.influx.bucket ?? config.influx.database)
                : config.influx.database,
            token: settings.influxToken,
          }),
          store: createBillingStore({ pool, now }),
          now,
          minCoveragePercent: deps.minCoveragePercent ?? DEFAULT_MIN_COVERAGE_PERCENT,
          logger,
        });
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
          handle: async (request: BillingRunRequest) => {
            try {
              const outcomes = await runs.run(request);
              count(outcomes);
              return outcomes.map((outcome) =>
                outcome.kind === 'run'
                  ? { customerId: outcome.customerId, runId: outcome.stored.run.id }
                  : outcome,
              );
            } catch (error) {
              counts.failed++;
              throw error;
            }
          },
        });
        // close() waits for the run in flight.
        teardown.push({ name: 'billing worker', run: () => worker.close() });
        await worker.waitUntilReady();
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
      ];
    },
  };
}
