/**
 * The billing-run use-case: for each customer asked for, bill one closed period from its usage
 * (the usage ledger's buckets, or InfluxDB's raw readings) and PostgreSQL outages, and commit it
 * as a run (or find the bill unchanged).
 */
import type {
  BillingRunProgress,
  BillingRunRequest,
  Config,
  Customer,
  Logger,
} from '@faultline/shared';
import {
  billCustomer,
  periodContaining,
  periodFromLabel,
  periodLabel,
  planAssignments,
  planRun,
  previousPeriod,
  reconcile,
  type BillingPeriod,
  type PeriodUsage,
  type ServiceBillInput,
} from '../core/index.js';
import type { BillingStore, InterfaceReadings, StoredRun, UsageLedgerStore } from '../ports.js';
import { createUsageSource, readAhead, type UsageOrigin } from './service-usage.js';

/**
 * Services' usages read at once, in billing order across customers: PostgreSQL or InfluxDB
 * answers the next circuits while the bridge rates and commits this one, on another core.
 */
const READS_IN_FLIGHT = 2;

/** What the use-case needs. */
export interface BillingRunsDeps {
  readonly config: Config;
  readonly readings: InterfaceReadings;
  /** The usage ledger; without it every period is rated from the raw readings. */
  readonly ledger?: UsageLedgerStore;
  readonly store: BillingStore;
  readonly now: () => number;
  /** Usage lines of services below this coverage (percent of buckets observed) are held. */
  readonly minCoveragePercent: number;
  readonly logger: Logger;
}

/** What happened for one customer. */
export type RunOutcome =
  | { readonly kind: 'run'; readonly customerId: string; readonly stored: StoredRun }
  | {
      readonly kind: 'skipped';
      readonly customerId: string;
      readonly reason: 'unknown-customer' | 'not-a-period-of-the-customer' | 'period-not-closed';
    };

/** A customer to bill for a period, or the reason it is skipped. */
type Decision =
  | { readonly customer: Customer; readonly period: BillingPeriod; readonly skipped?: undefined }
  | {
      readonly customer: Customer;
      readonly period?: undefined;
      readonly skipped: 'not-a-period-of-the-customer' | 'period-not-closed';
    };

/** Billing runs on demand. */
export interface BillingRuns {
  /** Runs the request; `onProgress` hears how many customers are decided, first 0, then each. */
  run(
    request: BillingRunRequest,
    onProgress?: (progress: BillingRunProgress) => Promise<void>,
  ): Promise<RunOutcome[]>;
}

/** Creates the use-case. */
export function createBillingRuns(deps: BillingRunsDeps): BillingRuns {
  const { config, store } = deps;
  const usageSource = createUsageSource({ readings: deps.readings, ledger: deps.ledger });

  function periodOf(customer: Customer, label: string | undefined): BillingPeriod | null {
    if (label === undefined) {
      return previousPeriod(
        periodContaining(deps.now(), customer.billingAnchorDay, customer.timeZone),
      );
    }
    return periodFromLabel(label, customer.billingAnchorDay, customer.timeZone);
  }

  /** Bills a customer; `nextUsage` gives its services' usages in the order of its services. */
  async function runCustomer(
    customer: Customer,
    period: BillingPeriod,
    requestedBy: string,
    nextUsage: () => Promise<{ usage: PeriodUsage; origin: UsageOrigin }>,
  ): Promise<StoredRun> {
    const label = periodLabel(period);
    const outages = await store.readOutages(customer.id, period.startMs, period.endMs);
    const services: ServiceBillInput[] = [];
    const origins: Record<UsageOrigin, number> = { buckets: 0, raw: 0 };
    for (const service of customer.services) {
      const sla = config.slas.find((candidate) => candidate.id === service.sla) ?? null;
      const { usage, origin } = await nextUsage();
      origins[origin]++;
      services.push({
        serviceId: service.id,
        plans: planAssignments(service, config.pricePlans, customer.timeZone),
        sla,
        usage,
        outages: outages.filter((outage) => outage.serviceId === service.id),
      });
    }
    if (deps.ledger !== undefined && origins.raw > 0) {
      deps.logger.info(
        { customerId: customer.id, period: label, fromBuckets: origins.buckets, raw: origins.raw },
        'usage read from raw readings',
      );
    }
    const bill = billCustomer({
      currency: customer.currency,
      period,
      services,
      minCoveragePercent: deps.minCoveragePercent,
      nowMs: deps.now(),
    });
    const previousUsage = await store.readUsage(customer.id, periodLabel(previousPeriod(period)));
    // Read outside the run's lock: the report is informational, the lines are decided under it.
    const previousRunUsage = await store.readUsage(customer.id, label);
    return store.commitRun(
      {
        customerId: customer.id,
        period: label,
        periodStartMs: period.startMs,
        periodEndMs: period.endMs,
        currency: customer.currency,
      },
      requestedBy,
      (previous) => {
        const plan = planRun(bill.lines, previous, `re-run of ${label}`, customer.currency);
        const lines = plan.kind === 'unchanged' ? [] : plan.lines;
        return {
          plan,
          reconciliation: reconcile({
            currency: customer.currency,
            lines,
            targetLines: bill.lines,
            services: bill.services,
            outages,
            previousUsage,
            previousRunUsage,
          }),
        };
      },
    );
  }

  return {
    async run(request, onProgress) {
      const customers =
        request.customerId === undefined
          ? config.customers
          : config.customers.filter((customer) => customer.id === request.customerId);
      if (request.customerId !== undefined && customers.length === 0) {
        return [{ kind: 'skipped', customerId: request.customerId, reason: 'unknown-customer' }];
      }
      const outcomes: RunOutcome[] = [];
      const progress = () =>
        onProgress?.({ customersDone: outcomes.length, customers: customers.length });
      await progress();
      const decisions = customers.map((customer): Decision => {
        const period = periodOf(customer, request.period);
        if (period === null) {
          return { customer, skipped: 'not-a-period-of-the-customer' };
        }
        // An open period's usage and outages are still moving: it is shown live, never billed.
        if (period.endMs > deps.now()) return { customer, skipped: 'period-not-closed' };
        return { customer, period };
      });
      const nextUsage = readAhead(
        decisions.flatMap(({ customer, period }) =>
          period === undefined
            ? []
            : customer.services.map(
                (service) => () =>
                  usageSource.read(
                    { device: service.device, iface: service.interface },
                    period,
                    request.fromRawReadings === true,
                  ),
              ),
        ),
        READS_IN_FLIGHT,
      );
      for (const { customer, period, skipped } of decisions) {
        if (period === undefined) {
          outcomes.push({ kind: 'skipped', customerId: customer.id, reason: skipped });
          await progress();
          continue;
        }
        const stored = await runCustomer(
          customer,
          period,
          request.requestedBy ?? 'request',
          nextUsage,
        );
        deps.logger.info(
          {
            runId: stored.run.id,
            created: stored.created,
            lines: stored.lines.length,
            contentHash: stored.run.contentHash,
          },
          stored.created ? 'billing run written' : 'billing run unchanged',
        );
        outcomes.push({ kind: 'run', customerId: customer.id, stored });
        await progress();
      }
      return outcomes;
    },
  };
}
