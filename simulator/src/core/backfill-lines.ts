import type { Config } from '@faultline/shared';
import { soldPeakMbps } from './sold-traffic.js';
import { createTrafficProfile, cumulativeOctets, type TrafficProfile } from './traffic.js';

/** The collector's measurement and its 5-minute poll step the backfill imitates. */
export const BACKFILL_MEASUREMENT = 'interface';
export const BACKFILL_STEP_MS = 300_000;
const DAY_MS = 86_400_000;
/**
 * Backfilled counters count from 2024-01-01 UTC, as if every device had booted then: a 1 Gbit/s
 * port stays below 2^53 octets for years, so readers that parse InfluxQL's JSON into doubles
 * (every JavaScript client) still see exact values.
 */
export const BACKFILL_COUNTER_EPOCH_MS = Date.UTC(2024, 0, 1);

/** An interface that carries a customer service, with the tags the collector writes for it. */
export interface BackfillSeries {
  readonly device: string;
  readonly interface: string;
  readonly ifIndex: number;
  readonly service: string;
  readonly customer: string;
  readonly profile: TrafficProfile;
}

/** Every interface that carries a customer service (one series per service). */
export function backfillSeries(
  config: Pick<Config, 'devices' | 'customers' | 'pricePlans'>,
): BackfillSeries[] {
  const series: BackfillSeries[] = [];
  for (const customer of config.customers) {
    for (const service of customer.services) {
      const device = config.devices.find((d) => d.name === service.device);
      const iface = device?.interfaces.find((i) => i.name === service.interface);
      if (device === undefined || iface === undefined) continue;
      series.push({
        device: device.name,
        interface: iface.name,
        ifIndex: iface.ifIndex,
        service: service.id,
        customer: customer.id,
        profile: createTrafficProfile({
          device: device.name,
          ifName: iface.name,
          speedMbps: iface.speedMbps,
          peakMbps: soldPeakMbps(config, device.name, iface.name),
        }),
      });
    }
  }
  return series;
}

/**
 * The sample times of a backfill: every 5 minutes on the UTC grid, from `days` before `endMs`
 * (rounded up to the grid) up to `endMs` (excluded). The same end always gives the same times,
 * so a rerun overwrites the points it wrote instead of adding new ones.
 */
export function backfillTimes(endMs: number, days: number): { firstMs: number; count: number } {
  const startMs = endMs - days * DAY_MS;
  const firstMs = Math.ceil(startMs / BACKFILL_STEP_MS) * BACKFILL_STEP_MS;
  const count = Math.max(0, Math.ceil((endMs - firstMs) / BACKFILL_STEP_MS));
  return { firstMs, count };
}

/** Line-protocol tag values escape commas, equals signs and spaces. */
function escapeTag(value: string): string {
  return value.replace(/[,= \\]/g, (c) => `\\${c}`);
}

/**
 * The exact octet counters of a backfilled series at an instant: the traffic model's octets
 * since `BACKFILL_COUNTER_EPOCH_MS` (zero before it).
 */
export function backfillCounters(
  profile: TrafficProfile,
  timeMs: number,
): { inOctets: bigint; outOctets: bigint } {
  const origin = cumulativeOctets(profile, BACKFILL_COUNTER_EPOCH_MS);
  const now = cumulativeOctets(profile, Math.max(timeMs, BACKFILL_COUNTER_EPOCH_MS));
  return { inOctets: now.inOctets - origin.inOctets, outOctets: now.outOctets - origin.outOctets };
}

/**
 * The line-protocol points of one series over the backfill window, in time order. The octet
 * counters are `backfillCounters`, so they are exact, increase across any window, and agree
 * between reruns; the rates are what the collector would compute from two polls 5 minutes
 * apart. Timestamps in ms.
 */
export function* backfillLines(
  series: BackfillSeries,
  firstMs: number,
  count: number,
): Generator<string> {
  const tags =
    `${BACKFILL_MEASUREMENT},customer=${escapeTag(series.customer)},device=${escapeTag(series.device)}` +
    `,ifIndex=${String(series.ifIndex)},interface=${escapeTag(series.interface)}` +
    `,service=${escapeTag(series.service)}`;
  let previous = backfillCounters(series.profile, firstMs - BACKFILL_STEP_MS);
  for (let n = 0; n < count; n++) {
    const timeMs = firstMs + n * BACKFILL_STEP_MS;
    const octets = backfillCounters(series.profile, timeMs);
    const seconds = BACKFILL_STEP_MS / 1000;
    const inBps = (Number(octets.inOctets - previous.inOctets) * 8) / seconds;
    const outBps = (Number(octets.outOctets - previous.outOctets) * 8) / seconds;
    previous = octets;
    yield (
      `${tags} in_octets=${octets.inOctets.toString()}i,out_octets=${octets.outOctets.toString()}i` +
      `,in_bps=${String(inBps)},out_bps=${String(outBps)},oper_status=1i ${String(timeMs)}`
    );
  }
}
