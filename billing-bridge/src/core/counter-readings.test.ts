import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countersFromReadings, readingsFor, type InterfaceReading } from './counter-readings.js';
import { bucketUsage } from './usage.js';

const MIN = 60_000;

function reading(
  minute: number,
  inOctets: bigint | null,
  outOctets: bigint | null,
  flags: Partial<InterfaceReading> = {},
): InterfaceReading {
  return { timeMs: minute * MIN, inOctets, outOctets, hasRate: true, quarantined: false, ...flags };
}

describe('countersFromReadings', () => {
  it.each([
    {
      name: 'a 32-bit wrap is unwrapped and billed',
      readings: [reading(0, 4_294_967_000n, 10n), reading(5, 704n, 20n)],
      want: {
        in: [4_294_967_000n, 4_294_968_000n],
        out: [10n, 20n],
        wraps: 1,
        reset: [false, false],
      },
    },
    {
      name: 'a 64-bit wrap uses 2^64',
      readings: [reading(0, (1n << 40n) + 5n, 0n), reading(5, 3n, 0n)],
      want: {
        in: [(1n << 40n) + 5n, (1n << 64n) + 3n],
        out: [0n, 0n],
        wraps: 1,
        reset: [false, false],
      },
    },
    {
      name: 'a decrease without a rate is a reset, not a wrap',
      readings: [reading(0, 1000n, 1000n), reading(5, 5n, 5n, { hasRate: false })],
      want: { in: [1000n, 5n], out: [1000n, 5n], wraps: 0, reset: [false, true] },
    },
    {
      name: 'a negative stored counter is a Counter64 above 2^63 − 1',
      readings: [reading(0, -1n, 0n)],
      want: { in: [(1n << 64n) - 1n], out: [0n], wraps: 0, reset: [false] },
    },
  ])('$name', ({ readings, want }) => {
    const result = countersFromReadings(readings);
    expect(result.samples.map((s) => s.inOctets)).toEqual(want.in);
    expect(result.samples.map((s) => s.outOctets)).toEqual(want.out);
    expect(result.samples.map((s) => s.reset)).toEqual(want.reset);
    expect(result.wraps).toBe(want.wraps);
  });

  it('sorts, keeps the last reading of an instant, and drops incomplete readings', () => {
    const result = countersFromReadings([
      reading(5, 30n, 30n),
      reading(0, 10n, 10n),
      reading(5, 20n, 20n),
      reading(10, null, 40n),
    ]);
    expect(result.samples.map((s) => [s.timeMs, s.inOctets])).toEqual([
      [0, 10n],
      [5 * MIN, 20n],
    ]);
    expect(result.incomplete).toBe(1);
  });

  it('flags quarantined readings but never the first one', () => {
    const result = countersFromReadings([
      reading(0, 0n, 0n, { quarantined: true }),
      reading(5, 10n, 10n, { quarantined: true, hasRate: false }),
    ]);
    expect(result.samples.map((s) => [s.quarantined, s.reset])).toEqual([
      [false, false],
      [true, false],
    ]);
  });

  it('bills exactly the traffic of a counter that wraps any number of times (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 31n) - 1n }), { minLength: 1, maxLength: 50 }),
        (start, deltas) => {
          let counter = start;
          const readings = [reading(0, start, 0n)];
          deltas.forEach((delta, i) => {
            counter = (counter + delta) % (1n << 32n);
            readings.push(reading((i + 1) * 5, counter, 0n));
          });
          const { samples } = countersFromReadings(readings);
          const usage = bucketUsage({ startMs: 0, endMs: (deltas.length + 1) * 5 * MIN }, samples);
          expect(usage.inOctetsTotal).toBe(deltas.reduce((a, b) => a + b, 0n));
        },
      ),
    );
  });
});

function readingAt(timeMs: number): InterfaceReading {
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
    expect(readingsFor(period, times.map(readingAt)).map((r) => r.timeMs)).toEqual(want);
    expect(readingsFor(period, [...times].reverse().map(readingAt)).map((r) => r.timeMs)).toEqual(
      want,
    );
  });

  it('skips readings without both counters: the nearest complete one is the baseline', () => {
    const incomplete = { ...readingAt(90), outOctets: null };
    const times = readingsFor({ startMs: 100, endMs: 200 }, [
      readingAt(80),
      incomplete,
      readingAt(150),
      readingAt(210),
    ]).map((r) => r.timeMs);
    expect(times).toEqual([80, 150, 210]);
  });
});
