import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '@faultline/shared';
import {
  backfillCounters,
  backfillUsage,
  createTrafficProfile,
  soldPeakMbps,
  hasUsageHistory,
} from '@faultline/simulator';
import { createInfluxDatabase, influxQuery, testSettings } from '../support/services.js';
import { isolatedExampleConfig } from './example-network.js';

interface InfluxAnswer {
  results: {
    series?: {
      name: string;
      tags?: Record<string, string>;
      columns: string[];
      values: unknown[][];
    }[];
  }[];
}

const DAY_MS = 86_400_000;
/** Wednesday 10:00 UTC, on the 5-minute grid. */
const END_MS = Date.UTC(2026, 10, 25, 10);

describe('usage backfill', () => {
  const settings = testSettings();
  let config: Config;
  let database: { name: string; drop(): Promise<void> };

  beforeEach(async () => {
    config = await isolatedExampleConfig();
    database = await createInfluxDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  const countByService = async (): Promise<Map<string, number>> => {
    const answer = (await influxQuery(
      'SELECT count(in_octets) FROM interface GROUP BY service',
      database.name,
    )) as InfluxAnswer;
    return new Map(
      (answer.results[0]?.series ?? []).map((s) => [
        s.tags?.service ?? '',
        Number(s.values[0]?.[1]),
      ]),
    );
  };

  it('writes 31 days of 5-minute points per customer interface, idempotently', async () => {
    const options = {
      config,
      influxUrl: settings.influxUrl,
      database: database.name,
      endMs: END_MS,
    };
    expect(await hasUsageHistory({ ...options, olderThanMs: END_MS - DAY_MS })).toBe(false);

    const first = await backfillUsage(options);

    const perSeries = 31 * 288;
    expect(first).toMatchObject({ series: 4, points: 4 * perSeries });
    const expected = new Map(
      ['acme-transit', 'umbrella-dc', 'globex-backup', 'initech-office'].map((s) => [s, perSeries]),
    );
    expect(await countByService()).toEqual(expected);
    expect(await hasUsageHistory({ ...options, olderThanMs: END_MS - DAY_MS })).toBe(true);

    // Same end, same points: they overwrite instead of adding.
    await backfillUsage(options);
    expect(await countByService()).toEqual(expected);
  });

  it('writes increasing exact counters, rates and the collector tags', async () => {
    await backfillUsage({
      config,
      influxUrl: settings.influxUrl,
      database: database.name,
      endMs: END_MS,
      days: 2,
    });
    const answer = (await influxQuery(
      `SELECT in_octets, out_octets, in_bps, oper_status, device, "interface", ifIndex, customer FROM interface WHERE service = 'acme-transit' ORDER BY time ASC`,
      database.name,
    )) as InfluxAnswer;
    const series = answer.results[0]?.series?.[0];
    expect(series?.values).toHaveLength(2 * 288);
    const column = (name: string): unknown[] =>
      (series?.values ?? []).map((row) => row[series?.columns.indexOf(name) ?? -1]);
    const inOctets = column('in_octets') as number[];
    for (let n = 1; n < inOctets.length; n++) {
      expect(inOctets[n]).toBeGreaterThan(inOctets[n - 1] ?? Number.POSITIVE_INFINITY);
    }
    expect(new Set(column('device'))).toEqual(new Set(['access-1']));
    expect(new Set(column('interface'))).toEqual(new Set(['ge-0/0/1']));
    expect(new Set(column('ifIndex'))).toEqual(new Set(['1']));
    expect(new Set(column('customer'))).toEqual(new Set(['acme']));
    expect(new Set(column('oper_status'))).toEqual(new Set([1]));
    for (const rate of column('in_bps') as number[]) {
      expect(rate).toBeGreaterThan(0);
      expect(rate).toBeLessThanOrEqual(1e9);
    }
    const times = column('time') as string[];
    const lastMs = END_MS - 300_000;
    expect(Date.parse(times[times.length - 1] ?? '')).toBe(lastMs);
    // Exact: the model's counter at that instant, digit for digit (below 2^53, so JSON keeps it).
    // Traffic fits the plan the port is sold on (acme-transit's 95th commit).
    const profile = createTrafficProfile({
      device: 'access-1',
      ifName: 'ge-0/0/1',
      speedMbps: 1000,
      peakMbps: soldPeakMbps(config, 'access-1', 'ge-0/0/1'),
    });
    const expected = backfillCounters(profile, lastMs);
    expect(expected.inOctets).toBeLessThan(2n ** 53n);
    expect(BigInt(inOctets[inOctets.length - 1] ?? -1)).toBe(expected.inOctets);
    expect(BigInt((column('out_octets') as number[]).at(-1) ?? -1)).toBe(expected.outOctets);
  });
});
