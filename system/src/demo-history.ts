import { periodContaining } from '@faultline/billing-bridge';
import type { Component, Runtime } from '@faultline/shared';
import { backfillIncidents, backfillUsage, hasUsageHistory } from '@faultline/simulator';

const DAY_MS = 86_400_000;

/**
 * Gives a fresh demo a past: when InfluxDB holds no usage older than a day, a month of 5-minute
 * interface samples from the simulator's traffic model is written; when PostgreSQL holds no
 * incident older than a day, a few past incidents (a fibre cut, a power loss, maintenance, a
 * flapping port) with their alarms, tickets and outages, laid out in each customer's last closed
 * billing period, so the first billing run has SLA credits. Both are idempotent and skipped once
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
      const incidents = await backfillIncidents({
        config,
        databaseUrl: settings.databaseUrl,
        endMs: now,
        periodStartOf: (customerId) => {
          const customer = config.customers.find((c) => c.id === customerId);
          return customer === undefined
            ? now
            : periodContaining(now, customer.billingAnchorDay, customer.timeZone).startMs;
        },
        unlessHistoryBeforeMs: now - DAY_MS,
      });
      logger.info({ component: 'demo-history', ...incidents }, 'past incidents');
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
