import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MIN_FRAME_BITS,
  RATE_TOLERANCE,
  counterDelta,
  counterModulus,
  rateDecision,
  type CounterSample,
  type CounterWidth,
} from './counter-math.js';

const MAX32 = (1n << 32n) - 1n;
const MAX64 = (1n << 64n) - 1n;

describe('counterDelta', () => {
  it.each<[bigint, bigint, CounterWidth, bigint, boolean]>([
    [0n, 0n, 32, 0n, false],
    [100n, 250n, 32, 150n, false],
    [MAX32, 0n, 32, 1n, true],
    [MAX32 - 9n, 10n, 32, 20n, true],
    [4_294_967_000n, 704n, 32, 1000n, true],
    [MAX64, 0n, 64, 1n, true],
    [MAX64 - 99n, 100n, 64, 200n, true],
    [9_007_199_254_740_993n, 9_007_199_254_741_993n, 64, 1000n, false],
    [5n, 5n, 64, 0n, false],
  ])('%s → %s (%i-bit) is +%s, wrapped %s', (previous, current, width, delta, wrapped) => {
    expect(counterDelta(previous, current, width)).toEqual({ delta, wrapped });
  });

  const sampleOf = (width: CounterWidth) =>
    fc.record({
      previous: fc.bigInt({ min: 0n, max: counterModulus(width) - 1n }),
      increase: fc.bigInt({ min: 0n, max: counterModulus(width) - 1n }),
    });

  it.each<CounterWidth>([32, 64])('is the inverse of counting modulo 2^%i', (width) => {
    fc.assert(
      fc.property(sampleOf(width), ({ previous, increase }) => {
        const current = (previous + increase) % counterModulus(width);
        const { delta, wrapped } = counterDelta(previous, current, width);
        expect(delta).toBe(increase);
        expect(wrapped).toBe(previous + increase >= counterModulus(width));
      }),
    );
  });

  it.each<CounterWidth>([32, 64])('is never negative nor a full turn (%i-bit)', (width) => {
    const value = fc.bigInt({ min: 0n, max: counterModulus(width) - 1n });
    fc.assert(
      fc.property(value, value, (previous, current) => {
        const { delta } = counterDelta(previous, current, width);
        expect(delta >= 0n).toBe(true);
        expect(delta < counterModulus(width)).toBe(true);
      }),
    );
  });
});

const sample = (
  value: bigint,
  uptimeTicks: number | undefined,
  overrides: Partial<CounterSample> = {},
): CounterSample => ({
  timeMs: 1_000_000 + (uptimeTicks ?? 0) * 10,
  value,
  width: 64,
  ...(uptimeTicks === undefined ? {} : { uptimeTicks }),
  ...overrides,
});

const GBPS = 1e9;

describe('rateDecision', () => {
  it.each<[string, CounterSample | undefined, CounterSample, number | undefined, object]>([
    ['first sample', undefined, sample(100n, 6000), GBPS, { kind: 'first' }],
    [
      'steady traffic',
      sample(0n, 6000),
      sample(7_500_000n, 12_000),
      GBPS,
      { kind: 'rate', delta: 7_500_000n, intervalS: 60, rateBps: 1_000_000, wrapped: false },
    ],
    ['idle', sample(5n, 6000), sample(5n, 12_000), GBPS, { kind: 'rate', delta: 0n, rateBps: 0 }],
    [
      '32-bit wrap',
      sample(MAX32 - 999n, 0, { width: 32 }),
      sample(1000n, 1000, { width: 32 }),
      GBPS,
      { kind: 'rate', delta: 2000n, intervalS: 10, rateBps: 1600, wrapped: true },
    ],
    [
      'agent restart',
      sample(1_000_000n, 90_000),
      sample(10n, 500),
      GBPS,
      { kind: 'reset', reason: 'uptime-went-back' },
    ],
    [
      '32-bit fallback after 64-bit',
      sample(1n, 100),
      sample(2n, 200, { width: 32 }),
      GBPS,
      { kind: 'reset', reason: 'width-changed' },
    ],
    ['same uptime', sample(1n, 100), sample(9n, 100), GBPS, { kind: 'no-interval' }],
    [
      'counter reset without restart',
      sample(1_000_000n, 100),
      sample(10n, 6100),
      10 * GBPS,
      { kind: 'quarantined', wrapped: true, limitBps: 10 * GBPS * RATE_TOLERANCE },
    ],
    [
      'above line rate',
      sample(0n, 0),
      sample(9_000_000_000n, 6000),
      GBPS,
      { kind: 'quarantined', rateBps: 1.2e9 },
    ],
    [
      'just within tolerance',
      sample(0n, 0),
      sample(8_250_000_000n, 6000),
      GBPS,
      { kind: 'rate', rateBps: 1.1e9 },
    ],
    ['speed unknown', sample(0n, 0), sample(8_000_000_000n, 6000), undefined, { kind: 'rate' }],
    ['speed zero', sample(0n, 0), sample(8_000_000_000n, 6000), 0, { kind: 'rate' }],
    [
      'no sysUpTime: wall clock',
      sample(0n, undefined, { timeMs: 0 }),
      sample(1_250_000n, undefined, { timeMs: 10_000 }),
      GBPS,
      { kind: 'rate', intervalS: 10, rateBps: 1_000_000 },
    ],
    [
      'wall clock went back',
      sample(0n, undefined, { timeMs: 10_000 }),
      sample(1n, undefined, { timeMs: 0 }),
      GBPS,
      { kind: 'no-interval' },
    ],
  ])('%s', (_name, previous, current, speed, expected) => {
    expect(rateDecision(previous, current, speed)).toMatchObject(expected);
  });

  // Packet counters (ifInErrors, ifOutDiscards…): Counter32, rates in packets per second, bounded
  // by the most minimum-size frames the line carries.
  it.each<[string, CounterSample, CounterSample, number | undefined, object]>([
    [
      'a few errors',
      sample(100n, 6000, { width: 32 }),
      sample(400n, 12_000, { width: 32 }),
      GBPS,
      { kind: 'rate', delta: 300n, intervalS: 60, ratePerS: 5, rateBps: 5 * MIN_FRAME_BITS },
    ],
    [
      'no errors',
      sample(7n, 6000, { width: 32 }),
      sample(7n, 12_000, { width: 32 }),
      GBPS,
      { kind: 'rate', delta: 0n, ratePerS: 0 },
    ],
    [
      'wrap',
      sample(MAX32 - 9n, 0, { width: 32 }),
      sample(10n, 1000, { width: 32 }),
      GBPS,
      { kind: 'rate', delta: 20n, ratePerS: 2, wrapped: true },
    ],
    [
      'a reset without restart: more packets than the line carries',
      sample(1_000_000n, 100, { width: 32 }),
      sample(10n, 6100, { width: 32 }),
      GBPS,
      { kind: 'quarantined', wrapped: true, limitBps: GBPS * RATE_TOLERANCE },
    ],
    [
      'line rate of minimum-size frames',
      sample(0n, 0, { width: 32 }),
      sample(BigInt(Math.floor(GBPS / MIN_FRAME_BITS)) * 10n, 1000, { width: 32 }),
      GBPS,
      { kind: 'rate' },
    ],
  ])('packet counter: %s', (_name, previous, current, speed, expected) => {
    expect(rateDecision(previous, current, speed, MIN_FRAME_BITS)).toMatchObject(expected);
  });

  const arbitrarySample = fc.record({
    timeMs: fc.integer({ min: 0, max: 2_000_000_000 }),
    uptimeTicks: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    value: fc.bigInt({ min: 0n, max: MAX64 }),
    width: fc.constant<CounterWidth>(64),
  });
  const speed = fc.option(fc.integer({ min: 1, max: 400e9 }), { nil: undefined });

  it('reports a reset exactly when sysUpTime went back', () => {
    fc.assert(
      fc.property(arbitrarySample, arbitrarySample, speed, (previous, current, bps) => {
        const decision = rateDecision(previous, current, bps);
        expect(decision.kind === 'reset').toBe(current.uptimeTicks < previous.uptimeTicks);
      }),
    );
  });

  it('never reports a negative rate, and quarantines exactly the rates above the limit', () => {
    fc.assert(
      fc.property(arbitrarySample, arbitrarySample, speed, (previous, current, bps) => {
        const decision = rateDecision(previous, current, bps);
        if (decision.kind === 'rate') {
          expect(decision.rateBps).toBeGreaterThanOrEqual(0);
          if (bps !== undefined) expect(decision.rateBps).toBeLessThanOrEqual(bps * RATE_TOLERANCE);
          expect(decision.rateBps).toBeCloseTo((Number(decision.delta) * 8) / decision.intervalS);
        }
        if (decision.kind === 'quarantined') {
          expect(bps).toBeDefined();
          expect(decision.rateBps).toBeGreaterThan(decision.limitBps);
        }
      }),
    );
  });
});
