import { describe, expect, it } from 'vitest';
import {
  BACKFILL_STEP_MS,
  backfillCounters,
  backfillLines,
  backfillSeries,
  backfillTimes,
  type BackfillSeries,
} from './backfill-lines.js';
import { createTrafficProfile } from './traffic.js';

const END = Date.UTC(2026, 10, 25, 10);
const series: BackfillSeries = {
  device: 'access-1',
  interface: 'ge-0/0/1',
  ifIndex: 1,
  service: 'acme transit',
  customer: 'acme,inc',
  profile: createTrafficProfile({ device: 'access-1', ifName: 'ge-0/0/1', speedMbps: 1000 }),
};

describe('backfillTimes', () => {
  it.each<[string, number, number, { firstMs: number; count: number }]>([
    ['a day ending on the grid', END, 1, { firstMs: END - 86_400_000, count: 288 }],
    ['31 days', END, 31, { firstMs: END - 31 * 86_400_000, count: 31 * 288 }],
    [
      'an end off the grid',
      END + 1,
      1,
      { firstMs: END - 86_400_000 + BACKFILL_STEP_MS, count: 288 },
    ],
    ['an end just before the grid', END - 1, 1, { firstMs: END - 86_400_000, count: 288 }],
  ])('%s', (_, endMs, days, expected) => {
    expect(backfillTimes(endMs, days)).toEqual(expected);
  });
});

describe('backfillLines', () => {
  const lines = [...backfillLines(series, END - 3 * BACKFILL_STEP_MS, 3)];

  it('writes the collector measurement with escaped tags and exact integer counters', () => {
    const counters = backfillCounters(series.profile, END - BACKFILL_STEP_MS);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      new RegExp(
        String.raw`^interface,customer=acme\\,inc,device=access-1,ifIndex=1,interface=ge-0/0/1,service=acme\\ transit ` +
          `in_octets=${counters.inOctets.toString()}i,out_octets=${counters.outOctets.toString()}i,` +
          String.raw`in_bps=[0-9.e+]+,out_bps=[0-9.e+]+,oper_status=1i ${String(END - BACKFILL_STEP_MS)}$`,
      ),
    );
  });

  it('gives each point the average rate of the five minutes before it', () => {
    const before = backfillCounters(series.profile, END - 2 * BACKFILL_STEP_MS);
    const at = backfillCounters(series.profile, END - BACKFILL_STEP_MS);
    const inBps = (Number(at.inOctets - before.inOctets) * 8) / 300;
    expect(lines[2]).toContain(`in_bps=${String(inBps)},`);
  });

  it('is the same for the same times (idempotent)', () => {
    expect([...backfillLines(series, END - 3 * BACKFILL_STEP_MS, 3)]).toEqual(lines);
  });
});

describe('backfillSeries', () => {
  it('takes one series per customer service, with its tags', () => {
    const config = {
      devices: [
        { name: 'access-1', interfaces: [{ ifIndex: 1, name: 'ge-0/0/1', speedMbps: 1000 }] },
      ],
      pricePlans: [],
      customers: [
        {
          id: 'acme',
          services: [
            { id: 'acme-transit', device: 'access-1', interface: 'ge-0/0/1', plan: 'none' },
            { id: 'ghost', device: 'access-9', interface: 'ge-0/0/1', plan: 'none' },
          ],
        },
      ],
    } as unknown as Parameters<typeof backfillSeries>[0];
    expect(backfillSeries(config).map((one) => ({ ...one, profile: undefined }))).toEqual([
      {
        device: 'access-1',
        interface: 'ge-0/0/1',
        ifIndex: 1,
        service: 'acme-transit',
        customer: 'acme',
        profile: undefined,
      },
    ]);
  });
});
