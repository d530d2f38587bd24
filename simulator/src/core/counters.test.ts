import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IF_OPER_DOWN,
  IF_OPER_UP,
  readInterface,
  sysUpTimeTicks,
  toCounter32,
  toCounter64,
} from './counters.js';
import {
  applyDeviceInput,
  createDeviceState,
  type DeviceInput,
  type DeviceState,
} from './device-state.js';

const BOOT = Date.UTC(2026, 10, 25, 0);
const DAY_MS = 86_400_000;
const interfaces = [
  { ifIndex: 1, name: 'xe-0/0/0', speedMbps: 10_000 },
  { ifIndex: 2, name: 'ge-0/0/1', speedMbps: 1_000 },
];

function read(state: DeviceState, ifIndex: number, nowMs: number) {
  const iface = state.interfaces.find((i) => i.ifIndex === ifIndex);
  if (iface === undefined) throw new Error(`no ifIndex ${String(ifIndex)}`);
  return readInterface(state, iface, nowMs);
}

/** A timeline of link changes and reboots at increasing offsets from BOOT. */
const timeline = fc.array(
  fc.record({
    afterMs: fc.integer({ min: 1, max: DAY_MS }),
    input: fc.oneof(
      fc.record({
        kind: fc.constant('setLink' as const),
        ifName: fc.constant('ge-0/0/1'),
        up: fc.boolean(),
      }),
      fc.constant({ kind: 'reboot' as const }),
    ),
  }),
  { maxLength: 12 },
);

describe('sysUpTimeTicks', () => {
  it.each([
    [0, 0],
    [9, 0],
    [10, 1],
    [60_000, 6_000],
    [2 ** 32 * 10 + 20, 2],
  ])('counts %d ms since boot as %d ticks, wrapping at 2^32', (elapsedMs, ticks) => {
    expect(sysUpTimeTicks(createDeviceState('d', interfaces, BOOT), BOOT + elapsedMs)).toBe(ticks);
  });
});

describe('toCounter64 and toCounter32', () => {
  it.each([
    [0n, 0n, 0],
    [2n ** 32n - 1n, 2n ** 32n - 1n, 2 ** 32 - 1],
    [2n ** 32n + 5n, 2n ** 32n + 5n, 5],
    [2n ** 64n + 7n, 7n, 7],
  ])('wraps %d to %d (64-bit) and %d (32-bit)', (octets, hc, low) => {
    expect(toCounter64(octets)).toBe(hc);
    expect(toCounter32(octets)).toBe(low);
  });
});

describe('readInterface', () => {
  it('starts from zero at boot and grows with traffic', () => {
    const state = createDeviceState('core-1', interfaces, BOOT);
    expect(read(state, 1, BOOT)).toMatchObject({
      hcInOctets: 0n,
      inOctets: 0,
      operStatus: IF_OPER_UP,
    });
    expect(read(state, 1, BOOT + 60_000).hcInOctets).toBeGreaterThan(0n);
  });

  it('serves a 32-bit value that has wrapped after a day on a 10G port', () => {
    const reading = read(createDeviceState('core-1', interfaces, BOOT), 1, BOOT + DAY_MS);
    expect(reading.hcInOctets).toBeGreaterThan(2n ** 32n);
    expect(BigInt(reading.inOctets)).toBe(reading.hcInOctets % 2n ** 32n);
  });

  it('freezes the counters of a down interface and reports it down', () => {
    const down = applyDeviceInput(
      createDeviceState('access-1', interfaces, BOOT),
      { kind: 'setLink', ifName: 'ge-0/0/1', up: false },
      BOOT + 3_600_000,
    ).state;
    const atDown = read(down, 2, BOOT + 3_600_000);
    const later = read(down, 2, BOOT + 7_200_000);
    expect(later).toEqual({ ...atDown });
    expect(later.operStatus).toBe(IF_OPER_DOWN);
    expect(later.lastChangeTicks).toBe(360_000);
  });

  it('never decreases between reboots, except by wrapping, whatever the link does', () => {
    fc.assert(
      fc.property(timeline, fc.integer({ min: 0, max: DAY_MS }), (events, probeMs) => {
        let state = createDeviceState('access-1', interfaces, BOOT);
        let now = BOOT;
        let previous = read(state, 2, now);
        for (const event of events) {
          const probe = read(state, 2, now + Math.min(probeMs, event.afterMs));
          now += event.afterMs;
          const before = read(state, 2, now);
          if (probe.hcInOctets < previous.hcInOctets || before.hcInOctets < probe.hcInOctets)
            return false;
          if (probe.hcOutOctets < previous.hcOutOctets || before.hcOutOctets < probe.hcOutOctets)
            return false;
          state = applyDeviceInput(state, event.input, now).state;
          previous = read(state, 2, now);
          if (event.input.kind === 'reboot') {
            if (previous.hcInOctets !== 0n || previous.hcOutOctets !== 0n) return false;
          } else if (previous.hcInOctets !== before.hcInOctets) {
            return false;
          }
        }
        return true;
      }),
    );
  });

  it('keeps the 32-bit value equal to the 64-bit value mod 2^32', () => {
    fc.assert(
      fc.property(timeline, fc.integer({ min: 0, max: 30 * DAY_MS }), (events, extraMs) => {
        let state = createDeviceState('core-1', interfaces, BOOT);
        let now = BOOT;
        for (const event of events) {
          now += event.afterMs;
          state = applyDeviceInput(state, event.input, now).state;
        }
        return [1, 2].every((ifIndex) => {
          const r = read(state, ifIndex, now + extraMs);
          return (
            BigInt(r.inOctets) === r.hcInOctets % 2n ** 32n &&
            BigInt(r.outOctets) === r.hcOutOctets % 2n ** 32n
          );
        });
      }),
    );
  });
});

describe('forced utilisation', () => {
  const BOOT_AT = Date.UTC(2026, 10, 25, 9);
  const spec = [{ ifIndex: 1, name: 'ge-0/0/1', speedMbps: 1000 }];
  const MINUTE = 60_000;
  /** Octets a full 1 Gbit/s port carries in a minute at `percent`. */
  const atPercent = (percent: number, minutes: number): bigint =>
    BigInt(Math.floor((1e9 * percent * minutes * MINUTE) / 100_000 / 8));
  const hcIn = (state: DeviceState, nowMs: number): bigint => {
    const iface = state.interfaces[0];
    if (iface === undefined) throw new Error('no interface');
    return readInterface(state, iface, nowMs).hcInOctets;
  };
  const step = (state: DeviceState, input: DeviceInput, nowMs: number): DeviceState =>
    applyDeviceInput(state, input, nowMs).state;

  it('counts at the forced rate while forced, and at the model rate before and after', () => {
    const start = BOOT_AT + 10 * MINUTE;
    let state = createDeviceState('access-1', spec, BOOT_AT);
    const model = (from: number, to: number): bigint =>
      hcIn(createDeviceState('access-1', spec, from), to);
    state = step(state, { kind: 'setUtilization', ifName: 'ge-0/0/1', percent: 97 }, start);
    expect(hcIn(state, start)).toBe(model(BOOT_AT, start));
    expect(hcIn(state, start + 5 * MINUTE) - hcIn(state, start)).toBe(atPercent(97, 5));
    state = step(
      state,
      { kind: 'setUtilization', ifName: 'ge-0/0/1', percent: undefined },
      start + 5 * MINUTE,
    );
    const handedBack = hcIn(state, start + 5 * MINUTE);
    expect(hcIn(state, start + 15 * MINUTE) - handedBack).toBe(
      model(BOOT_AT, start + 15 * MINUTE) - model(BOOT_AT, start + 5 * MINUTE),
    );
  });

  it('freezes while the link is down, even when forced, and resumes at the forced rate', () => {
    const start = BOOT_AT + 10 * MINUTE;
    let state = createDeviceState('access-1', spec, BOOT_AT);
    state = step(state, { kind: 'setUtilization', ifName: 'ge-0/0/1', percent: 50 }, start);
    state = step(state, { kind: 'setLink', ifName: 'ge-0/0/1', up: false }, start + MINUTE);
    const frozen = hcIn(state, start + MINUTE);
    expect(hcIn(state, start + 10 * MINUTE)).toBe(frozen);
    state = step(state, { kind: 'setLink', ifName: 'ge-0/0/1', up: true }, start + 10 * MINUTE);
    expect(hcIn(state, start + 12 * MINUTE) - frozen).toBe(atPercent(50, 2));
  });

  it('never lets a counter go backwards, whatever is forced when, errors included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 30 * MINUTE }),
            fc.oneof(
              fc.constant<DeviceInput>({ kind: 'setLink', ifName: 'ge-0/0/1', up: false }),
              fc.constant<DeviceInput>({ kind: 'setLink', ifName: 'ge-0/0/1', up: true }),
              fc
                .option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined })
                .map((percent): DeviceInput => ({
                  kind: 'setUtilization',
                  ifName: 'ge-0/0/1',
                  percent,
                })),
              fc.double({ min: 0, max: 50_000, noNaN: true }).map((inErrorsPerS): DeviceInput => ({
                kind: 'setErrorRate',
                ifName: 'ge-0/0/1',
                inErrorsPerS,
              })),
            ),
          ),
          { maxLength: 20 },
        ),
        (steps) => {
          let state = createDeviceState('access-1', spec, BOOT_AT);
          let now = BOOT_AT;
          let last = 0n;
          let lastErrors = 0;
          for (const [gap, input] of steps) {
            now += gap;
            state = step(state, input, now);
            const value = hcIn(state, now);
            expect(value).toBeGreaterThanOrEqual(last);
            last = value;
            const errors = read(state, 1, now).inErrors;
            expect(errors).toBeGreaterThanOrEqual(lastErrors);
            lastErrors = errors;
          }
        },
      ),
    );
  });
});

describe('error and discard counters', () => {
  const BOOT_AT = Date.UTC(2026, 10, 25, 9);
  const spec = [{ ifIndex: 1, name: 'xe-0/0/2', speedMbps: 10_000 }];
  const MINUTE = 60_000;
  const step = (state: DeviceState, input: DeviceInput, nowMs: number): DeviceState =>
    applyDeviceInput(state, input, nowMs).state;
  const errorRate = (inErrorsPerS: number): DeviceInput => ({
    kind: 'setErrorRate',
    ifName: 'xe-0/0/2',
    inErrorsPerS,
  });

  it('stays at zero on a healthy port, however long it runs', () => {
    const state = createDeviceState('core-1', spec, BOOT_AT);
    expect(read(state, 1, BOOT_AT + 30 * DAY_MS)).toMatchObject({
      inErrors: 0,
      outErrors: 0,
      inDiscards: 0,
      outDiscards: 0,
    });
  });

  it('counts received errors at the degraded rate, freezes while down, and keeps them', () => {
    const start = BOOT_AT + 10 * MINUTE;
    let state = createDeviceState('core-1', spec, BOOT_AT);
    state = step(state, errorRate(2.5), start);
    expect(read(state, 1, start + MINUTE).inErrors).toBe(150);
    state = step(state, errorRate(100), start + 2 * MINUTE);
    expect(read(state, 1, start + 3 * MINUTE).inErrors).toBe(300 + 6000);
    state = step(state, { kind: 'setLink', ifName: 'xe-0/0/2', up: false }, start + 3 * MINUTE);
    expect(read(state, 1, start + 9 * MINUTE).inErrors).toBe(6300);
    state = step(state, errorRate(0), start + 9 * MINUTE);
    state = step(state, { kind: 'setLink', ifName: 'xe-0/0/2', up: true }, start + 10 * MINUTE);
    expect(read(state, 1, start + 60 * MINUTE).inErrors).toBe(6300);
    state = step(state, { kind: 'reboot' }, start + 61 * MINUTE);
    expect(read(state, 1, start + 62 * MINUTE).inErrors).toBe(0);
  });
});
