/**
 * Live billing for the dashboard: each customer's open period so far (usage, 95th and its
 * projection, SLA budget), computed from the same readers as the runs and published as
 * `BillingLive` messages.
 */
import type { BillingLive, Config, Logger } from '@faultline/shared';
import {
  bucketCount,
  computeAvailability,
  liveService,
  periodContaining,
  periodLabel,
  planAssignments,
  planAt,
} from '../core/index.js';
import type { BillingStore, InterfaceReadings } from '../ports.js';
import { readRawUsage } from './service-usage.js';

/** What the live view needs. */
export interface LiveBillingDeps {
  readonly config: Config;
  readonly readings: InterfaceReadings;
  readonly store: Pick<BillingStore, 'readOutages'>;
  readonly publish: (view: BillingLive) => Promise<void>;
  readonly now: () => number;
  readonly logger: Logger;
}

/** Computes and publishes the live views. */
export interface LiveBilling {
  /** One view per customer, published; a customer that fails is logged and skipped. */
  publishAll(): Promise<BillingLive[]>;
}

/** Creates the live view. */
export function createLiveBilling(deps: LiveBillingDeps): LiveBilling {
  const { config } = deps;
  return {
    async publishAll() {
      const views: BillingLive[] = [];
      for (const customer of config.customers) {
        try {
          const nowMs = deps.now();
          const period = periodContaining(nowMs, customer.billingAnchorDay, customer.timeZone);
          const elapsed = { startMs: period.startMs, endMs: nowMs };
          const outages = await deps.store.readOutages(customer.id, period.startMs, nowMs);
          const services = [];
          for (const service of customer.services) {
            const plans = planAssignments(service, config.pricePlans, customer.timeZone);
            const plan = planAt(plans, nowMs);
            // A service cancelled by a plan change has no live usage to show.
            if (plan === null) continue;
            const { usage } = await readRawUsage(
              deps.readings,
              { device: service.device, iface: service.interface },
              elapsed,
            );
            services.push(
              liveService({
                serviceId: service.id,
                currency: customer.currency,
                period,
                plan,
                plans,
                sla: config.slas.find((candidate) => candidate.id === service.sla) ?? null,
                usage,
                periodBuckets: bucketCount(period),
                availability: computeAvailability(
                  period,
                  outages.filter((outage) => outage.serviceId === service.id),
                  nowMs,
                ),
              }),
            );
          }
          const view: BillingLive = {
            customerId: customer.id,
            customerName: customer.name,
            timeZone: customer.timeZone,
            period: periodLabel(period),
            periodStart: new Date(period.startMs).toISOString(),
            periodEnd: new Date(period.endMs).toISOString(),
            at: new Date(nowMs).toISOString(),
            services,
          };
          await deps.publish(view);
          views.push(view);
        } catch (error) {
          deps.logger.warn({ err: error, customerId: customer.id }, 'live billing view failed');
        }
      }
      return views;
    },
  };
}
