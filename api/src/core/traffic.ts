import type { Config, Customer, Service, TrafficRange } from '@faultline/shared';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** The span of each range and the step its graph is averaged over (60 to 360 steps). */
const RANGE_STEPS: Readonly<Record<TrafficRange, { spanMs: number; stepMs: number }>> = {
  hour: { spanMs: 60 * MINUTE_MS, stepMs: MINUTE_MS },
  day: { spanMs: DAY_MS, stepMs: 5 * MINUTE_MS },
  week: { spanMs: 7 * DAY_MS, stepMs: 30 * MINUTE_MS },
  month: { spanMs: 30 * DAY_MS, stepMs: 2 * 60 * MINUTE_MS },
};

/** The width of a billing bucket: the 95th percentile is taken over 5-minute rates. */
export const PERCENTILE_BUCKET_MS = 5 * MINUTE_MS;

/** The half-open window `[fromMs, toMs)` of a range ending at the step after `nowMs`. */
export function trafficWindow(
  range: TrafficRange,
  nowMs: number,
): { fromMs: number; toMs: number; stepMs: number } {
  const { spanMs, stepMs } = RANGE_STEPS[range];
  const toMs = Math.floor(nowMs / stepMs) * stepMs + stepMs;
  return { fromMs: toMs - spanMs, toMs, stepMs };
}

/**
 * The 95th percentile of rates as billing takes it (docs/billing.md): sorted ascending, the
 * highest `floor(n / 20)` dropped, the highest remaining one; null without rates.
 */
export function percentile95(rates: readonly number[]): number | null {
  if (rates.length === 0) return null;
  const sorted = [...rates].sort((a, b) => a - b);
  return sorted[sorted.length - Math.floor(sorted.length / 20) - 1] ?? null;
}

/** One 5-minute bucket's mean rates; a direction without a rate is null. */
export interface RateBucket {
  readonly inBps: number | null;
  readonly outBps: number | null;
}

/**
 * The billed 95th of buckets in a plan's direction: `in`, `out`, `max` (the larger of the two
 * 95ths) or `sum` (the 95th of in + out, over buckets with both). `sampleCount` is the number of
 * buckets the billed value was taken from.
 */
export function billedPercentile(
  buckets: readonly RateBucket[],
  direction: 'in' | 'out' | 'max' | 'sum',
): { percentileBps: number | null; sampleCount: number } {
  const rates = (pick: (b: RateBucket) => number | null): number[] =>
    buckets.map(pick).filter((rate): rate is number => rate !== null);
  const of = (values: number[]) => ({
    percentileBps: percentile95(values),
    sampleCount: values.length,
  });
  const inRates = rates((b) => b.inBps);
  const outRates = rates((b) => b.outBps);
  switch (direction) {
    case 'in':
      return of(inRates);
    case 'out':
      return of(outRates);
    case 'sum':
      return of(rates((b) => (b.inBps === null || b.outBps === null ? null : b.inBps + b.outBps)));
    case 'max': {
      const [a, b] = [of(inRates), of(outRates)];
      if (a.percentileBps === null) return b;
      if (b.percentileBps === null) return a;
      return a.percentileBps >= b.percentileBps ? a : b;
    }
  }
}

/**
 * The plan a service is on at a calendar date (`YYYY-MM-DD`): its last plan change from that
 * date or before, else its first plan; null once cancelled.
 */
export function planOn(
  service: Pick<Service, 'plan' | 'planChanges'>,
  date: string,
): string | null {
  let plan: string | null = service.plan;
  for (const change of service.planChanges ?? []) {
    if (change.from <= date) plan = change.plan;
  }
  return plan;
}

/** The calendar date of an instant in a time zone, `YYYY-MM-DD`. */
export function localDate(timeMs: number, timeZone: string): string {
  // The Swedish locale writes dates as ISO does.
  return new Intl.DateTimeFormat('sv-SE', { timeZone }).format(timeMs);
}

/** A service billed by the 95th percentile on an interface, with its plan's terms. */
export interface PercentileService {
  readonly customer: Customer;
  readonly service: Service;
  readonly direction: 'in' | 'out' | 'max' | 'sum';
  readonly commitMbps: number;
}

/**
 * The services carried by one device interface whose plan in force at `atMs` (a date in the
 * customer's zone) is a 95th-percentile plan.
 */
export function percentileServicesOn(
  config: Pick<Config, 'customers' | 'pricePlans'>,
  device: string,
  iface: string,
  atMs: number,
): PercentileService[] {
  const found: PercentileService[] = [];
  for (const customer of config.customers) {
    const date = localDate(atMs, customer.timeZone);
    for (const service of customer.services) {
      if (service.device !== device || service.interface !== iface) continue;
      const planId = planOn(service, date);
      const plan = config.pricePlans.find((p) => p.id === planId);
      if (plan?.type !== 'percentile95') continue;
      found.push({ customer, service, direction: plan.direction, commitMbps: plan.commitMbps });
    }
  }
  return found;
}

/** A graph's columns: one entry per step of `[fromMs, toMs)`, null where no rate was read. */
export function stepColumns(
  window: { readonly fromMs: number; readonly toMs: number; readonly stepMs: number },
  rows: readonly {
    readonly timeMs: number;
    readonly inBps: number | null;
    readonly outBps: number | null;
  }[],
): { timeMs: number[]; inBps: (number | null)[]; outBps: (number | null)[] } {
  const byTime = new Map(rows.map((row) => [row.timeMs, row]));
  const columns = {
    timeMs: [] as number[],
    inBps: [] as (number | null)[],
    outBps: [] as (number | null)[],
  };
  for (let t = window.fromMs; t < window.toMs; t += window.stepMs) {
    const row = byTime.get(t);
    columns.timeMs.push(t);
    columns.inBps.push(row?.inBps ?? null);
    columns.outBps.push(row?.outBps ?? null);
  }
  return columns;
}
