import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUCKET_MS,
  billingPeriod,
  bucketCount,
  bucketIndexAt,
  bucketInterval,
  nextPeriod,
  periodContaining,
  periodLabel,
  previousPeriod,
} from './periods.js';
import { isValidTimeZone, localDateAt, offsetMs, startOfLocalDay } from './time-zone.js';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('billingPeriod: local anchor-day midnights as UTC instants', () => {
  it.each([
    // zone, year, month, anchor, start (UTC), end (UTC), hours, 5-minute buckets
    ['UTC', 2026, 3, 1, '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', 744, 8928],
    ['UTC', 2026, 4, 1, '2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z', 720, 8640],
    ['UTC', 2026, 2, 1, '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', 672, 8064],
    ['UTC', 2028, 2, 1, '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z', 696, 8352],
    ['UTC', 2026, 12, 1, '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 744, 8928],
    // Berlin: CET +1 until 2026-03-29 02:00, CEST +2 until 2026-10-25 03:00.
    [
      'Europe/Berlin',
      2026,
      3,
      1,
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
      743,
      8916,
    ],
    [
      'Europe/Berlin',
      2026,
      4,
      1,
      '2026-03-31T22:00:00.000Z',
      '2026-04-30T22:00:00.000Z',
      720,
      8640,
    ],
    [
      'Europe/Berlin',
      2026,
      10,
      1,
      '2026-09-30T22:00:00.000Z',
      '2026-10-31T23:00:00.000Z',
      745,
      8940,
    ],
    [
      'Europe/Berlin',
      2026,
      1,
      1,
      '2025-12-31T23:00:00.000Z',
      '2026-01-31T23:00:00.000Z',
      744,
      8928,
    ],
    [
      'Europe/Berlin',
      2026,
      2,
      28,
      '2026-02-27T23:00:00.000Z',
      '2026-03-27T23:00:00.000Z',
      672,
      8064,
    ],
    [
      'Europe/Berlin',
      2026,
      3,
      28,
      '2026-03-27T23:00:00.000Z',
      '2026-04-27T22:00:00.000Z',
      743,
      8916,
    ],
    // New York: EST −5 until 2026-03-08 02:00, EDT −4 until 2026-11-01 02:00.
    [
      'America/New_York',
      2026,
      3,
      1,
      '2026-03-01T05:00:00.000Z',
      '2026-04-01T04:00:00.000Z',
      743,
      8916,
    ],
    [
      'America/New_York',
      2026,
      11,
      1,
      '2026-11-01T04:00:00.000Z',
      '2026-12-01T05:00:00.000Z',
      721,
      8652,
    ],
    [
      'America/New_York',
      2026,
      6,
      1,
      '2026-06-01T04:00:00.000Z',
      '2026-07-01T04:00:00.000Z',
      720,
      8640,
    ],
    // London: GMT +0 until 2026-03-29 01:00, BST +1 until 2026-10-25 02:00.
    [
      'Europe/London',
      2026,
      3,
      15,
      '2026-03-15T00:00:00.000Z',
      '2026-04-14T23:00:00.000Z',
      743,
      8916,
    ],
    [
      'Europe/London',
      2026,
      10,
      15,
      '2026-10-14T23:00:00.000Z',
      '2026-11-15T00:00:00.000Z',
      745,
      8940,
    ],
    [
      'Europe/London',
      2026,
      12,
      15,
      '2026-12-15T00:00:00.000Z',
      '2027-01-15T00:00:00.000Z',
      744,
      8928,
    ],
  ])(
    '%s %d-%d anchor %d: [%s, %s), %d h, %d buckets',
    (zone, year, month, anchor, start, end, hours, buckets) => {
      const period = billingPeriod(year, month, anchor, zone);
      expect(iso(period.startMs)).toBe(start);
      expect(iso(period.endMs)).toBe(end);
      expect((period.endMs - period.startMs) / HOUR).toBe(hours);
      expect(bucketCount(period)).toBe(buckets);
    },
  );

  it('normalizes month overflow both ways', () => {
    expect(billingPeriod(2026, 13, 1, 'UTC')).toEqual(billingPeriod(2027, 1, 1, 'UTC'));
    expect(billingPeriod(2026, 0, 1, 'UTC')).toEqual(billingPeriod(2025, 12, 1, 'UTC'));
  });

  it.each([0, 29, 31, 1.5])('refuses anchor day %d', (anchor) => {
    expect(() => billingPeriod(2026, 1, anchor, 'UTC')).toThrow(RangeError);
  });

  it.each([
    ['2026-03', 1],
    ['2026-03-15', 15],
  ])('labels the period %s', (label, anchor) => {
    expect(periodLabel(billingPeriod(2026, 3, anchor, 'UTC'))).toBe(label);
  });
});

describe('periodContaining at month boundaries', () => {
  it.each([
    // instant, zone, anchor, expected start
    ['2026-03-31T22:00:00.000Z', 'Europe/Berlin', 1, '2026-03-31T22:00:00.000Z'], // 00:00 April 1 local
    ['2026-03-31T21:59:59.999Z', 'Europe/Berlin', 1, '2026-02-28T23:00:00.000Z'],
    ['2026-04-01T03:59:59.999Z', 'America/New_York', 1, '2026-03-01T05:00:00.000Z'],
    ['2026-04-01T04:00:00.000Z', 'America/New_York', 1, '2026-04-01T04:00:00.000Z'],
    ['2026-04-14T22:59:59.999Z', 'Europe/London', 15, '2026-03-15T00:00:00.000Z'],
    ['2026-04-14T23:00:00.000Z', 'Europe/London', 15, '2026-04-14T23:00:00.000Z'],
    ['2026-01-01T00:00:00.000Z', 'UTC', 1, '2026-01-01T00:00:00.000Z'],
    ['2025-12-31T23:59:59.999Z', 'UTC', 1, '2025-12-01T00:00:00.000Z'],
    ['2026-01-10T12:00:00.000Z', 'UTC', 15, '2025-12-15T00:00:00.000Z'],
  ])('%s in %s (anchor %d) is in the period starting %s', (instant, zone, anchor, start) => {
    expect(iso(periodContaining(Date.parse(instant), anchor, zone).startMs)).toBe(start);
  });
});

describe('time zones', () => {
  it.each([
    ['Europe/Berlin', '2026-01-15T12:00:00.000Z', HOUR],
    ['Europe/Berlin', '2026-07-15T12:00:00.000Z', 2 * HOUR],
    ['America/New_York', '2026-01-15T12:00:00.000Z', -5 * HOUR],
    ['Asia/Kolkata', '2026-01-15T12:00:00.000Z', 5.5 * HOUR],
    ['UTC', '2026-01-15T12:00:00.000Z', 0],
  ])('%s is at %d ms from UTC at %s', (zone, instant, offset) => {
    expect(offsetMs(zone, Date.parse(instant))).toBe(offset);
  });

  it('starts a day whose midnight is skipped at the end of the gap (São Paulo, 2018-11-04)', () => {
    // Clocks went from 00:00 −03 straight to 01:00 −02: the day starts at 03:00Z.
    expect(iso(startOfLocalDay('America/Sao_Paulo', { year: 2018, month: 11, day: 4 }))).toBe(
      '2018-11-04T03:00:00.000Z',
    );
  });

  it('starts a day whose midnight happens twice at its first occurrence (Havana, 2026-11-01)', () => {
    // Clocks go from 01:00 −04 back to 00:00 −05: midnight is at 04:00Z and again at 05:00Z.
    expect(iso(startOfLocalDay('America/Havana', { year: 2026, month: 11, day: 1 }))).toBe(
      '2026-11-01T04:00:00.000Z',
    );
  });

  it('knows valid zone names and refuses unknown ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => billingPeriod(2026, 1, 1, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('buckets', () => {
  const period = billingPeriod(2026, 3, 1, 'Europe/Berlin');

  it.each([
    [period.startMs, 0],
    [period.startMs + BUCKET_MS - 1, 0],
    [period.startMs + BUCKET_MS, 1],
    [period.endMs - 1, 8915],
    [period.endMs, null],
    [period.startMs - 1, null],
  ])('instant %d is in bucket %s', (instant, index) => {
    expect(bucketIndexAt(period, instant)).toBe(index);
  });

  it('are 5 minutes each across the DST change, the last ending at the period end', () => {
    expect(bucketInterval(period, 8915)).toEqual({
      startMs: period.endMs - BUCKET_MS,
      endMs: period.endMs,
    });
  });

  it('clips the last bucket of a period that is not a multiple of 5 minutes', () => {
    const odd = { startMs: 0, endMs: 7 * 60_000 };
    expect(bucketCount(odd)).toBe(2);
    expect(bucketInterval(odd, 1)).toEqual({ startMs: BUCKET_MS, endMs: 7 * 60_000 });
  });
});

describe('period properties', () => {
  const zones = [
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
  ];
  it('every instant is in exactly one period; periods tile time; lengths are a month ± the DST shift', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.integer({ min: 1, max: 28 }),
        fc.constantFrom(...zones),
        (instant, anchor, zone) => {
          const period = periodContaining(instant, anchor, zone);
          expect(period.startMs).toBeLessThanOrEqual(instant);
          // Half-open [start, end): the instant lies before the end.
          expect(instant < period.endMs).toBe(true);
          expect(nextPeriod(period).startMs).toBe(period.endMs);
          expect(previousPeriod(period).endMs).toBe(period.startMs);
          const hours = (period.endMs - period.startMs) / HOUR;
          expect(hours).toBeGreaterThanOrEqual(28 * 24 - 1);
          expect(hours).toBeLessThanOrEqual(31 * 24 + 1);
          expect((period.endMs - period.startMs) % BUCKET_MS).toBe(0);
          expect(localDateAt(zone, period.startMs).day).toBe(anchor);
        },
      ),
      { numRuns: 200 },
    );
  });
});
