import type { Component, Runtime } from '@faultline/shared';
import { backfillUsage, hasUsageHistory } from '@faultline/simulator';

const DAY_MS = 86_400_000;

/**
 * Gives a fresh demo a past: when InfluxDB holds no usage older than a day, a month of 5-minute
 * interface samples from the simulator's traffic model is written, so the billing views show a
 * real month on first start. Idempotent (the samples sit on a fixed grid), and skipped once
 * history exists.
 */
export function createDemoHistory(runtime: Runtime): Component {
  const { settings, config, logger } = runtime;
  const token = settings.influxToken;
  const database = config.influx.database;
  return {
    name: 'demo-history',
    async start() {
      const influx = { influxUrl: settings.influxUrl, database, ...(token ? { token } : {}) };
      const now = Date.now();
      if (
        config.influx.api === 'v1' &&
        (await hasUsageHistory({ ...influx, olderThanMs: now - DAY_MS }))
      ) {
        logger.info({ component: 'demo-history' }, 'usage history present; no backfill');
        return;
      }
      const result = await backfillUsage({
        ...influx,
        config,
        endMs: now,
        createDatabase: true,
      });
      logger.info({ component: 'demo-history', ...result }, 'backfilled a month of usage');
    },
    async stop() {
      // Nothing runs after start.
    },
  };
}
