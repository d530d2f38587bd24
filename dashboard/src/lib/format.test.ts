import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatAvailability,
  formatDateTime,
  formatDecimal,
  formatDuration,
  formatMoney,
  formatPercent,
  formatPeriod,
} from './format.js';
import { formatOctets } from './billing-view.js';

describe('formatAge', () => {
  it.each([
    [-5_000, '0s'],
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [59 * 60_000, '59m'],
    [3_600_000 + 4 * 60_000, '1h 04m'],
    [23 * 3_600_000 + 59 * 60_000, '23h 59m'],
    [2 * 86_400_000 + 5 * 3_600_000, '2d 05h'],
  ])('%d ms → %s', (ageMs, expected) => {
    expect(formatAge(ageMs)).toBe(expected);
  });
});

describe('formatDecimal', () => {
  it.each([
    ['165822.763564504', undefined, '165,822.763564504'],
    ['165822.763564504', 2, '165,822.76'],
    ['132158.21', undefined, '132,158.21'],
    ['-312.50', undefined, '\u2212312.50'],
    ['-0.004', 2, '0.00'],
    ['999.995', 2, '1,000.00'],
    ['0.5', 0, '1'],
    ['1000000', undefined, '1,000,000'],
    ['007', undefined, '7'],
    [1234567.891, 1, '1,234,567.9'],
    ['not a number', undefined, 'not a number'],
  ])('%s to %s decimals → %s', (value, decimals, expected) => {
    expect(formatDecimal(value, decimals)).toBe(expected);
  });
});

describe('money, volumes, percentages and durations', () => {
  it.each([
    [formatMoney('132158.21', 'USD'), '132,158.21 USD'],
    [formatMoney('-312.50', 'EUR'), '\u2212312.50 EUR'],
    [formatOctets('165822763564504'), '165,822.76 GB'],
    [formatOctets('81000000000'), '81.00 GB'],
    [formatOctets('999'), '0.00 GB'],
    [formatPercent('12.345'), '12.35 %'],
    [formatPercent('-4.1'), '\u22124.10 %'],
    [formatAvailability('99.9418942475305', 2), '99.94 %'],
    // Cut, never rounded up past a threshold: 99.8999 is below 99.9.
    [formatAvailability('99.8999', 1), '99.8 %'],
    [formatAvailability('100', 2), '100.00 %'],
    [formatAvailability('98.8881', 0), '98 %'],
    [formatDuration(39.00416666666667), '39 min'],
    [formatDuration(125.5), '2 h 5 min 30 s'],
    [formatDuration(0.75), '45 s'],
    [formatDuration(0), '0 s'],
    [formatDuration(60 * 1000), '1,000 h'],
    [formatDuration(9.6), '9 min 36 s'],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('times in a named time zone', () => {
  it.each([
    // The example: 2026-11 of a Berlin customer, stored in UTC.
    ['2026-11-06T21:14:00.000Z', 'Europe/Berlin', '6 Nov 2026, 22:14 CET'],
    ['2026-07-01T12:00:00.000Z', 'Europe/Berlin', '1 Jul 2026, 14:00 CEST'],
    ['2026-07-01T12:00:00.000Z', 'Europe/London', '1 Jul 2026, 13:00 BST'],
    ['2026-07-01T12:00:00.000Z', 'America/New_York', '1 Jul 2026, 08:00 GMT-4'],
    ['2026-12-01T12:00:00.000Z', 'America/New_York', '1 Dec 2026, 07:00 GMT-5'],
    ['2026-12-01T12:00:00.000Z', 'UTC', '1 Dec 2026, 12:00 UTC'],
  ])('%s in %s → %s', (at, zone, expected) => {
    expect(formatDateTime(at, zone)).toBe(expected);
  });

  it('shows seconds for timelines, and an unreadable time as given', () => {
    expect(formatDateTime('2026-12-06T21:14:05Z', 'Europe/Berlin', true)).toBe(
      '6 Dec 2026, 22:14:05 CET',
    );
    expect(formatDateTime('someday', 'UTC')).toBe('someday');
  });

  it.each([
    // November of a Berlin customer: [Oct 31 23:00 UTC, Nov 30 23:00 UTC).
    [
      '2026-10-31T23:00:00.000Z',
      '2026-11-30T23:00:00.000Z',
      'Europe/Berlin',
      '1 Nov 2026 – 30 Nov 2026 (Europe/Berlin)',
    ],
    // A DST month: New York's March 2026 starts at UTC−5 and ends at UTC−4 (23 h on the 8th).
    [
      '2026-03-01T05:00:00.000Z',
      '2026-04-01T04:00:00.000Z',
      'America/New_York',
      '1 Mar 2026 – 31 Mar 2026 (America/New_York)',
    ],
    // London's October 2026 ends in winter time (clocks back on the 25th).
    [
      '2026-09-30T23:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
      'Europe/London',
      '1 Oct 2026 – 31 Oct 2026 (Europe/London)',
    ],
    // An anchor-day period (the 15th) of a London customer.
    [
      '2026-10-14T23:00:00.000Z',
      '2026-11-15T00:00:00.000Z',
      'Europe/London',
      '15 Oct 2026 – 14 Nov 2026 (Europe/London)',
    ],
  ])('period %s – %s in %s → %s', (start, end, zone, expected) => {
    expect(formatPeriod(start, end, zone)).toBe(expected);
  });

  it('shows the same instants on each side of a DST change with the offset in force', () => {
    // Berlin springs forward on 29 Mar 2026 at 02:00 CET → 03:00 CEST.
    expect(formatDateTime('2026-03-29T00:59:00Z', 'Europe/Berlin')).toBe('29 Mar 2026, 01:59 CET');
    expect(formatDateTime('2026-03-29T01:00:00Z', 'Europe/Berlin')).toBe('29 Mar 2026, 03:00 CEST');
  });
});
