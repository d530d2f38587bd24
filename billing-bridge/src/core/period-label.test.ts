import { describe, expect, it } from 'vitest';
import { periodFromLabel } from './period-label.js';
import { periodLabel } from './periods.js';

describe('periodFromLabel', () => {
  it.each([
    { label: '2026-04', anchor: 1, zone: 'UTC', start: '2026-04-01T00:00:00.000Z' },
    { label: '2026-03', anchor: 1, zone: 'Europe/Berlin', start: '2026-02-28T23:00:00.000Z' },
    { label: '2026-03-15', anchor: 15, zone: 'Europe/London', start: '2026-03-15T00:00:00.000Z' },
    { label: '2026-03', anchor: 15, zone: 'UTC', start: null },
    { label: '2026-03-14', anchor: 15, zone: 'UTC', start: null },
    { label: '2026-13', anchor: 1, zone: 'UTC', start: null },
    { label: 'April', anchor: 1, zone: 'UTC', start: null },
  ])('$label (anchor $anchor, $zone)', ({ label, anchor, zone, start }) => {
    const period = periodFromLabel(label, anchor, zone);
    expect(period === null ? null : new Date(period.startMs).toISOString()).toBe(start);
    if (period !== null) expect(periodLabel(period)).toBe(label);
  });
});
