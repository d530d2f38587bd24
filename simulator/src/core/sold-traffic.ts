import type { Config, PricePlan } from '@faultline/shared';
import { MEAN_SHARE_OF_PEAK } from './traffic.js';

/** A month's seconds, on average (365.25 / 12 days). */
const MONTH_S = (365.25 / 12) * 86_400;
/** A 95th-percentile customer bursts a little past its commit: some overage, as in life. */
const PERCENTILE_HEADROOM = 1.1;
/** A volume customer uses about its allowance, a little over: a small overage. */
const VOLUME_USE = 1.1;

/**
 * The busiest hour's rate, per direction, of traffic a plan is sold for, in Mbit/s; undefined
 * when the plan says nothing about it (a flat plan: the port's speed bounds it).
 * - percentile95: the commit × 1.1 on the billed direction(s) (`sum` splits it over both);
 * - volume: the rate that carries about 1.1 × the included GB a month, in and out together.
 */
export function planPeakMbps(plan: PricePlan): number | undefined {
  switch (plan.type) {
    case 'percentile95':
      return (plan.commitMbps * PERCENTILE_HEADROOM) / (plan.direction === 'sum' ? 2 : 1);
    case 'volume': {
      const perDirectionBits = (plan.includedGB * 1e9 * 8 * VOLUME_USE) / 2;
      return perDirectionBits / MONTH_S / MEAN_SHARE_OF_PEAK / 1e6;
    }
    case 'flat':
      return undefined;
  }
}

/**
 * The peak the simulated traffic of a port keeps to, from the plan its service is sold on now
 * (the last of its plan changes): the demo's usage then fits both the port and the bill a clerk
 * would believe. Undefined for a port that carries no service, or one on a flat plan.
 */
export function soldPeakMbps(
  config: Pick<Config, 'customers' | 'pricePlans'>,
  device: string,
  ifName: string,
): number | undefined {
  for (const customer of config.customers) {
    for (const service of customer.services) {
      if (service.device !== device || service.interface !== ifName) continue;
      const last = service.planChanges?.at(-1);
      const planId = last === undefined ? service.plan : last.plan;
      const plan = config.pricePlans.find((candidate) => candidate.id === planId);
      return plan === undefined ? undefined : planPeakMbps(plan);
    }
  }
  return undefined;
}
