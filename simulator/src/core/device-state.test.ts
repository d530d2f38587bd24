import { describe, expect, it } from 'vitest';
import { applyDeviceInput, createDeviceState, type DeviceInput } from './device-state.js';

const BOOT = Date.UTC(2026, 10, 25, 9);
const interfaces = [
  { ifIndex: 24, name: 'ge-0/0/24', speedMbps: 1000 },
  { ifIndex: 1, name: 'ge-0/0/1', speedMbps: 1000 },
];

function run(inputs: readonly DeviceInput[]) {
  let state = createDeviceState('access-1', interfaces, BOOT);
  const decisions = inputs.map((input, n) => {
    const result = applyDeviceInput(state, input, BOOT + (n + 1) * 60_000);
    state = result.state;
    return result.decisions;
  });
  return { state, decisions };
}

describe('applyDeviceInput', () => {
  it.each<[string, DeviceInput[], unknown[][]]>([
    [
      'a link going down',
      [{ kind: 'setLink', ifName: 'ge-0/0/1', up: false }],
      [[{ kind: 'linkDown', ifIndex: 1, ifName: 'ge-0/0/1' }]],
    ],
    [
      'a link going down then up',
      [
        { kind: 'setLink', ifName: 'ge-0/0/1', up: false },
        { kind: 'setLink', ifName: 'ge-0/0/1', up: true },
      ],
      [
        [{ kind: 'linkDown', ifIndex: 1, ifName: 'ge-0/0/1' }],
        [{ kind: 'linkUp', ifIndex: 1, ifName: 'ge-0/0/1' }],
      ],
    ],
    [
      'a link set to the state it is in',
      [{ kind: 'setLink', ifName: 'ge-0/0/24', up: true }],
      [[{ kind: 'unchanged', ifName: 'ge-0/0/24' }]],
    ],
    [
      'an unknown interface',
      [{ kind: 'setLink', ifName: 'ge-9/9/9', up: false }],
      [[{ kind: 'unknownInterface', ifName: 'ge-9/9/9' }]],
    ],
    ['a reboot', [{ kind: 'reboot' }], [[{ kind: 'coldStart' }]]],
  ])('decides for %s', (_label, inputs, expected) => {
    expect(run(inputs).decisions).toEqual(expected);
  });

  it('records the oper status and when it changed', () => {
    const { state } = run([{ kind: 'setLink', ifName: 'ge-0/0/1', up: false }]);
    const iface = state.interfaces.find((i) => i.name === 'ge-0/0/1');
    expect(iface).toMatchObject({
      operUp: false,
      lastChangeMs: BOOT + 60_000,
      downSinceMs: BOOT + 60_000,
    });
    expect(state.interfaces.find((i) => i.name === 'ge-0/0/24')?.operUp).toBe(true);
  });

  it('adds the traffic of a down period to what the counters skip', () => {
    const { state } = run([
      { kind: 'setLink', ifName: 'ge-0/0/1', up: false },
      { kind: 'setLink', ifName: 'ge-0/0/1', up: true },
    ]);
    const iface = state.interfaces.find((i) => i.name === 'ge-0/0/1');
    expect(iface?.operUp).toBe(true);
    expect(iface?.skippedInOctets).toBeGreaterThan(0n);
    expect(iface?.skippedOutOctets).toBeGreaterThan(0n);
  });

  it('restarts the boot time on reboot and keeps a down link down', () => {
    const { state } = run([{ kind: 'setLink', ifName: 'ge-0/0/1', up: false }, { kind: 'reboot' }]);
    expect(state.bootMs).toBe(BOOT + 120_000);
    expect(state.boots).toBe(2);
    expect(state.interfaces.find((i) => i.name === 'ge-0/0/1')).toMatchObject({
      operUp: false,
      downSinceMs: BOOT + 120_000,
      skippedInOctets: 0n,
    });
  });

  it('leaves the input state untouched', () => {
    const state = createDeviceState('access-1', interfaces, BOOT);
    applyDeviceInput(state, { kind: 'setLink', ifName: 'ge-0/0/1', up: false }, BOOT + 1);
    expect(state.interfaces.every((i) => i.operUp)).toBe(true);
  });
});
