import { periodContaining } from '@faultline/billing-bridge';
import type { Component, Runtime } from '@faultline/shared';
import { backfillIncidents, backfillUsage, hasUsageHistory } from '@faultline/simulator';

const DAY_MS = 86_400_000;

/**
 * Gives a fresh demo a past (then calls `afterHistory`: the system asks the billing bridge for the
 * last closed periods' runs on a first start, so the billing desk is never empty): when InfluxDB holds no usage older than a day, a month of 5-minute
 * interface samples from the simulator's traffic model is written, back to the start of each
 * customer's last closed billing period; when PostgreSQL holds no
 * incident older than a day, a few past incidents (a fibre cut, a power loss, maintenance, a
 * flapping port) with their alarms, tickets and outages, laid out in each customer's last closed
 * billing period, so the first billing run has SLA credits. Both are idempotent and skipped once
 * history exists. `clock` (epoch ms) says when now is, which decides the last closed period.
 */
export function createDemoHistory(
  runtime: Runtime,
  afterHistory: () => Promise<unknown>,
  clock: () => number = Date.now,
): Component {
  const { settings, config, logger } = runtime;
  const token = settings.influxToken;
  const database = config.influx.database;
  return {
    name: 'demo-history',
    async start() {
      const influx = { influxUrl: settings.influxUrl, database, ...(token ? { token } : {}) };
      const now = clock();
      const periodStartOf = (customerId: string, atMs = now): number => {
        const customer = config.customers.find((c) => c.id === customerId);
        return customer === undefined
          ? atMs
          : periodContaining(atMs, customer.billingAnchorDay, customer.timeZone).startMs;
      };
      const incidents = await backfillIncidents({
        config,
        databaseUrl: settings.databaseUrl,
        endMs: now,
        periodStartOf: (customerId) => periodStartOf(customerId),
        unlessHistoryBeforeMs: now - DAY_MS,
      });
      logger.info({ component: 'demo-history', ...incidents }, 'past incidents');
      if (
        config.influx.api === 'v1' &&
        (await hasUsageHistory({ ...influx, olderThanMs: now - DAY_MS }))
      ) {
        logger.info({ component: 'demo-history' }, 'usage history present; no backfill');
        await afterHistory();
        return;
      }
      // Every customer's last closed period is covered in full, so its first run bills usage
      // instead of holding lines for want of data: a month at least, two at most.
      const lastClosedStartMs = Math.min(
        now - 31 * DAY_MS,
        ...config.customers.map(({ id }) => periodStartOf(id, periodStartOf(id) - 1)),
      );
      const result = await backfillUsage({
        ...influx,
        config,
        endMs: now,
        days: Math.ceil((now - lastClosedStartMs) / DAY_MS),
        createDatabase: true,
      });
      logger.info({ component: 'demo-history', ...result }, 'backfilled usage history');
      await afterHistory();
    },
    async stop() {
      // Nothing runs after start.
    },
  };
}
