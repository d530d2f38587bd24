import { describe, expect, it } from 'vitest';
import { readAhead } from './service-usage.js';

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
