import { describe, expect, it } from 'vitest';
import type { MaintenanceWindow } from '@faultline/shared';
import { maintenanceAt, minuteOfWeek, windowIsOn } from './maintenance.js';

const base: MaintenanceWindow = { name: 'w', devices: ['agg-2'], interfaces: [], services: [] };
const at = (iso: string) => Date.parse(iso);

describe('maintenance windows', () => {
  it.each([
    ['before a one-off', '2026-03-01T01:59:59Z', false],
    ['at its start', '2026-03-01T02:00:00Z', true],
    ['inside', '2026-03-01T03:00:00Z', true],
    ['at its end (exclusive)', '2026-03-01T04:00:00Z', false],
  ])('%s', (_label, now, expected) => {
    const window = { ...base, start: '2026-03-01T02:00:00Z', end: '2026-03-01T04:00:00Z' };
    expect(windowIsOn(window, at(now))).toBe(expected);
  });

  it.each([
    // Sundays 02:00–04:00 in Berlin: CET (UTC+1) in winter, CEST (UTC+2) in summer.
    ['winter Sunday 02:30 Berlin', '2026-01-04T01:30:00Z', true],
    ['winter Sunday 01:30 Berlin', '2026-01-04T00:30:00Z', false],
    ['summer Sunday 03:59 Berlin', '2026-07-05T01:59:00Z', true],
    ['summer Sunday 04:00 Berlin', '2026-07-05T02:00:00Z', false],
    ['a Monday', '2026-01-05T01:30:00Z', false],
  ])('weekly in a time zone: %s', (_label, now, expected) => {
    const window = {
      ...base,
      recurring: {
        days: ['sun' as const],
        at: '02:00',
        durationMin: 120,
        timeZone: 'Europe/Berlin',
      },
    };
    expect(windowIsOn(window, at(now))).toBe(expected);
  });

  it('a weekly slot runs past midnight and past the end of the week', () => {
    const window = {
      ...base,
      recurring: { days: ['sun' as const], at: '23:00', durationMin: 180, timeZone: 'UTC' },
    };
    expect(windowIsOn(window, at('2026-01-05T01:00:00Z'))).toBe(true); // Monday 01:00
    expect(windowIsOn(window, at('2026-01-05T02:00:00Z'))).toBe(false);
  });

  it('a window with neither dates nor recurrence, or a bad zone, is never on', () => {
    expect(windowIsOn(base, 0)).toBe(false);
    expect(minuteOfWeek(0, 'Not/AZone')).toBeUndefined();
  });

  it('covers alarms by device or interface, and services by id or port', () => {
    const now = maintenanceAt(
      [
        { ...base, name: 'dev', start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z' },
        {
          name: 'port',
          devices: [],
          interfaces: ['core-1:xe-0/0/2'],
          services: ['acme-transit'],
          start: '2026-01-01T00:00:00Z',
          end: '2027-01-01T00:00:00Z',
        },
        { ...base, name: 'later', start: '2030-01-01T00:00:00Z', end: '2031-01-01T00:00:00Z' },
      ],
      at('2026-06-01T00:00:00Z'),
    );
    expect(now.alarm('agg-2', null)).toEqual(['dev']);
    expect(now.alarm('core-1', 'xe-0/0/2')).toEqual(['port']);
    expect(now.alarm('core-1', 'xe-0/0/1')).toEqual([]);
    expect(now.service('acme-transit', 'access-1', 'ge-0/0/1')).toEqual(['port']);
    expect(now.service('initech-office', 'access-3', 'ge-0/0/1')).toEqual([]);
  });
});
