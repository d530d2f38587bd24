import { describe, expect, it } from 'vitest';
import type { InterfaceReading } from '../core/index.js';
import { readingsFor } from './service-usage.js';

function at(timeMs: number): InterfaceReading {
  return { timeMs, inOctets: 0n, outOctets: 0n, hasRate: true, quarantined: false };
}

describe('readingsFor', () => {
  it.each([
    {
      name: 'keeps the nearest reading either side',
      times: [50, 80, 100, 150, 200, 230],
      want: [80, 100, 150, 200],
    },
    { name: 'works without readings outside', times: [120, 150], want: [120, 150] },
    {
      name: 'keeps only outside readings when nothing is inside',
      times: [10, 300],
      want: [10, 300],
    },
  ])('$name', ({ times, want }) => {
    const period = { startMs: 100, endMs: 200 };
    expect(readingsFor(period, [...times].reverse().map(at)).map((r) => r.timeMs)).toEqual(want);
  });
});
