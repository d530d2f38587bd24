import { describe, expect, it } from 'vitest';
import type { CounterSample } from './counter-math.js';
import { counterKey, pollToPoints, type DevicePoll } from './interface-points.js';
import { createInventory } from './inventory.js';
import { testInventoryConfig } from './testing/fixtures.js';

const inventory = createInventory(testInventoryConfig());

const poll = (
  uptimeTicks: number,
  inOctets: bigint,
  outOctets: bigint,
  overrides: Partial<DevicePoll> = {},
): DevicePoll => ({
  device: 'core-1',
  timeMs: 1_700_000_000_000 + uptimeTicks * 10,
  uptimeTicks,
  interfaces: [{ ifIndex: 3, width: 64, inOctets, outOctets, operStatus: 1, speedBps: 10e9 }],
  ...overrides,
});

function run(polls: DevicePoll[]) {
  const state = new Map<string, CounterSample>();
  return polls.map((p) => {
    const result = pollToPoints(state, p, inventory);
    for (const [key, sample] of result.samples) state.set(key, sample);
    return result;
  });
}

describe('pollToPoints', () => {
  it('writes raw counters first, then rates', () => {
    const [first, second] = run([poll(6000, 1000n, 2000n), poll(12_000, 7_501_000n, 2000n)]);
    expect(first?.points).toEqual([
      {
        device: 'core-1',
        interface: 'xe-0/0/2',
        ifIndex: 3,
        timeMs: 1_700_000_060_000,
        inOctets: 1000n,
        outOctets: 2000n,
        operStatus: 1,
      },
    ]);
    expect(first?.decisions.map((d) => d.decision.kind)).toEqual(['first', 'first']);
    expect(second?.points).toEqual([
      {
        device: 'core-1',
        interface: 'xe-0/0/2',
        ifIndex: 3,
        timeMs: 1_700_000_120_000,
        inOctets: 7_501_000n,
        outOctets: 2000n,
        inBps: 1_000_000,
        outBps: 0,
        operStatus: 1,
      },
    ]);
  });

  it('quarantines an impossible rate and keeps the other direction', () => {
    const [, second] = run([poll(0, 0n, 0n), poll(100, 10_000_000_000n, 1000n)]);
    expect(second?.points[0]).toMatchObject({ quarantined: true, outBps: 8000 });
    expect(second?.points[0]).not.toHaveProperty('inBps');
  });

  it('uses the larger of configured and reported speed as the limit', () => {
    // 12 Gbit/s: above the configured 10G, below a reported 40G.
    const reported40g = (p: DevicePoll): DevicePoll => ({
      ...p,
      interfaces: p.interfaces.map((i) => ({ ...i, speedBps: 40e9 })),
    });
    const [, second] = run([
      reported40g(poll(0, 0n, 0n)),
      reported40g(poll(100, 1_500_000_000n, 0n)),
    ]);
    expect(second?.points[0]).toMatchObject({ inBps: 12e9 });
  });

  it('writes no rate after an agent restart', () => {
    const [, , third] = run([
      poll(90_000, 5000n, 5000n),
      poll(96_000, 6000n, 6000n),
      poll(300, 10n, 10n),
    ]);
    expect(third?.points[0]).not.toHaveProperty('inBps');
    expect(third?.decisions.map((d) => d.decision)).toEqual([
      { kind: 'reset', reason: 'uptime-went-back' },
      { kind: 'reset', reason: 'uptime-went-back' },
    ]);
  });

  it('tags the service and customer an interface carries', () => {
    const [result] = run([
      {
        device: 'access-1',
        timeMs: 5,
        interfaces: [{ ifIndex: 1, width: 32, inOctets: 1n, outOctets: 2n }],
      },
    ]);
    expect(result?.points[0]).toMatchObject({
      device: 'access-1',
      interface: 'ge-0/0/1',
      service: 'acme-transit',
      customer: 'acme',
    });
  });

  it('ignores interfaces that are not configured and empty readings', () => {
    const [result] = run([
      {
        device: 'core-1',
        timeMs: 5,
        interfaces: [
          { ifIndex: 99, width: 64, inOctets: 1n },
          { ifIndex: 7, width: 64 },
        ],
      },
    ]);
    expect(result?.points).toEqual([]);
    expect(result?.samples).toEqual([]);
  });

  it('keys counters by device, ifIndex, direction and kind', () => {
    expect(counterKey('a', 1, 'in')).not.toBe(counterKey('a', 1, 'out'));
    expect(counterKey('a', 11, 'in')).not.toBe(counterKey('a1', 1, 'in'));
    expect(counterKey('a', 1, 'in', 'errors')).not.toBe(counterKey('a', 1, 'in', 'discards'));
  });

  const withErrors = (
    uptimeTicks: number,
    counters: { inErrors: bigint; outErrors: bigint; inDiscards: bigint; outDiscards: bigint },
  ): DevicePoll => {
    const base = poll(uptimeTicks, 1000n, 2000n);
    return { ...base, interfaces: base.interfaces.map((i) => ({ ...i, ...counters })) };
  };

  it('writes error and discard rates in packets per second, as 32-bit counters', () => {
    const [first, second] = run([
      withErrors(6000, {
        inErrors: 10n,
        outErrors: 0n,
        inDiscards: 4_294_967_290n,
        outDiscards: 5n,
      }),
      withErrors(12_000, { inErrors: 310n, outErrors: 0n, inDiscards: 54n, outDiscards: 5n }),
    ]);
    expect(first?.points[0]).not.toHaveProperty('inErrorsPs');
    expect(second?.points[0]).toMatchObject({
      inErrorsPs: 5,
      outErrorsPs: 0,
      inDiscardsPs: 1, // wrapped at 2^32: +60 over 60 s
      outDiscardsPs: 0,
      outBps: 0,
    });
    expect(second?.points[0]).not.toHaveProperty('quarantined');
    expect(
      second?.decisions.filter((d) => d.counter !== 'octets').map((d) => d.decision.kind),
    ).toEqual(['rate', 'rate', 'rate', 'rate']);
  });

  it('leaves out an error rate the line could not carry, without flagging the traffic', () => {
    // 10 Gbit/s carries at most ~14.9 M minimum-size frames a second: 10^9 errors in 1 s is a glitch.
    const [, second] = run([
      withErrors(100, { inErrors: 0n, outErrors: 0n, inDiscards: 0n, outDiscards: 0n }),
      withErrors(200, { inErrors: 1_000_000_000n, outErrors: 1n, inDiscards: 0n, outDiscards: 0n }),
    ]);
    expect(second?.points[0]).toMatchObject({ outErrorsPs: 1, inBps: 0 });
    expect(second?.points[0]).not.toHaveProperty('inErrorsPs');
    expect(second?.points[0]).not.toHaveProperty('quarantined');
    expect(second?.decisions.find((d) => d.counter === 'errors')?.decision.kind).toBe(
      'quarantined',
    );
  });
});
