import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTrafficProfile, cumulativeOctets, HOUR_MS, trafficRateBps } from './traffic.js';

const WEEK_MS = 7 * 24 * HOUR_MS;
const core = { device: 'core-1', ifName: 'xe-0/0/0', speedMbps: 10_000 };
const access = { device: 'access-1', ifName: 'ge-0/0/1', speedMbps: 1_000 };
const identities = [core, access, { device: 'access-3', ifName: 'ge-0/0/24', speedMbps: 100 }];
/** Wednesday 2026-11-25 and Saturday 2026-11-28, at whole UTC hours. */
const wednesday = (hour: number): number => Date.UTC(2026, 10, 25, hour);
const saturday = (hour: number): number => Date.UTC(2026, 10, 28, hour);
const anyInstant = fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) });

describe('trafficRateBps', () => {
  it.each(identities)(
    'is busier in the afternoon than at night for $device $ifName',
    (identity) => {
      const profile = createTrafficProfile(identity);
      const busy = trafficRateBps(profile, wednesday(15));
      const quiet = trafficRateBps(profile, wednesday(3));
      expect(busy.inBps).toBeGreaterThan(quiet.inBps * 3);
      expect(busy.outBps).toBeGreaterThan(quiet.outBps * 3);
    },
  );

  it.each(identities)(
    'is lower on a Saturday than on a Wednesday for $device $ifName',
    (identity) => {
      const profile = createTrafficProfile(identity);
      expect(trafficRateBps(profile, saturday(15)).inBps).toBeLessThan(
        trafficRateBps(profile, wednesday(15)).inBps,
      );
    },
  );

  it.each(identities)('stays between zero and the speed of $device $ifName', (identity) => {
    const profile = createTrafficProfile(identity);
    fc.assert(
      fc.property(anyInstant, (t) => {
        const { inBps, outBps } = trafficRateBps(profile, t);
        return [inBps, outBps].every((r) => r > 0 && r <= identity.speedMbps * 1e6);
      }),
    );
  });

  it('is the same for the same interface and differs between interfaces', () => {
    const first = createTrafficProfile({ ...core, speedMbps: 1000 });
    const second = createTrafficProfile({ ...access, speedMbps: 1000 });
    const again = createTrafficProfile({ ...core, speedMbps: 1000 });
    const t = wednesday(11) + 1234;
    expect(trafficRateBps(again, t)).toEqual(trafficRateBps(first, t));
    expect(trafficRateBps(second, t).inBps).not.toBe(trafficRateBps(first, t).inBps);
  });

  it('is continuous across an hour boundary', () => {
    const profile = createTrafficProfile(access);
    const before = trafficRateBps(profile, wednesday(10) - 1).inBps;
    const after = trafficRateBps(profile, wednesday(10)).inBps;
    expect(Math.abs(after - before) / after).toBeLessThan(1e-6);
  });
});

describe('cumulativeOctets', () => {
  it.each(identities)('never decreases for $device $ifName', (identity) => {
    const profile = createTrafficProfile(identity);
    fc.assert(
      fc.property(anyInstant, fc.integer({ min: 0, max: 10 * WEEK_MS }), (t, delta) => {
        const a = cumulativeOctets(profile, t);
        const b = cumulativeOctets(profile, t + delta);
        return b.inOctets >= a.inOctets && b.outOctets >= a.outOctets;
      }),
    );
  });

  it('carries the same octets in every week (the curve repeats weekly)', () => {
    const profile = createTrafficProfile(core);
    fc.assert(
      fc.property(anyInstant, anyInstant, (t, u) => {
        const weekFrom = (s: number): bigint =>
          cumulativeOctets(profile, s + WEEK_MS).inOctets - cumulativeOctets(profile, s).inOctets;
        // Rounding each hour down loses less than one octet per hour boundary crossed.
        const difference = weekFrom(t) - weekFrom(u);
        return difference >= -2n && difference <= 2n;
      }),
    );
  });

  it.each([
    ['a busy hour', wednesday(14)],
    ['a quiet hour', wednesday(2)],
    ['a weekend hour', saturday(12)],
  ])('integrates the rate over %s', (_label, start) => {
    const profile = createTrafficProfile(access);
    const octets = Number(
      cumulativeOctets(profile, start + HOUR_MS).inOctets -
        cumulativeOctets(profile, start).inOctets,
    );
    // The rate is linear within an hour: the integral is the mean of its ends times 3600 s.
    const meanBps =
      (trafficRateBps(profile, start).inBps + trafficRateBps(profile, start + HOUR_MS).inBps) / 2;
    expect(Math.abs(octets - (meanBps * 3600) / 8)).toBeLessThanOrEqual(1);
  });

  it('counts a week of a 200 Tbit/s interface, and refuses a speed whose week would not fit', () => {
    const fast = createTrafficProfile({ ...core, speedMbps: 200_000_000 });
    const week = cumulativeOctets(fast, wednesday(0) + WEEK_MS).outOctets;
    expect(week - cumulativeOctets(fast, wednesday(0)).outOctets).toBeGreaterThan(2n ** 61n);
    expect(() => createTrafficProfile({ ...core, speedMbps: 1e12 })).toThrow(/too fast/);
  });
});
