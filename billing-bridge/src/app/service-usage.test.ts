import { describe, expect, it } from 'vitest';
import type { InterfaceReading } from '../core/index.js';
import { readAhead, readingsFor } from './service-usage.js';

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
    {
      name: 'keeps one reading either side when instants repeat',
      times: [90, 90, 100, 200, 200],
      want: [90, 100, 200],
    },
  ])('$name', ({ times, want }) => {
    const period = { startMs: 100, endMs: 200 };
    // In time order, as InfluxDB answers, and not.
    expect(readingsFor(period, times.map(at)).map((r) => r.timeMs)).toEqual(want);
    expect(readingsFor(period, [...times].reverse().map(at)).map((r) => r.timeMs)).toEqual(want);
  });
});

describe('readAhead', () => {
  it('gives results in order, with at most `inFlight` reads started and not yet taken', async () => {
    const started: number[] = [];
    const reads = [0, 1, 2, 3, 4].map((index) => () => {
      started.push(index);
      return Promise.resolve(index * 10);
    });
    const next = readAhead(reads, 2);
    expect(started).toEqual([]);
    expect(await next()).toBe(0);
    expect(started).toEqual([0, 1]);
    expect(await next()).toBe(10);
    expect(started).toEqual([0, 1, 2]);
    expect(await Promise.all([next(), next(), next()])).toEqual([20, 30, 40]);
    expect(() => next()).toThrow(/every read was taken/);
  });

  it('reports a failed read when it is taken, not before', async () => {
    const next = readAhead(
      [() => Promise.resolve('a'), () => Promise.reject(new Error('InfluxDB is unreachable'))],
      2,
    );
    expect(await next()).toBe('a');
    await new Promise((resolve) => setImmediate(resolve));
    await expect(next()).rejects.toThrow(/unreachable/);
  });
});
