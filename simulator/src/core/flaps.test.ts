import { describe, expect, it } from 'vitest';
import { flappablePorts, planFlap } from './flaps.js';

const iface = (name: string) => ({ ifIndex: 1, name, speedMbps: 1000 });
const device = (name: string, kind: 'core' | 'access' | undefined, names: string[]) => ({
  name,
  address: '127.0.0.1',
  ...(kind === undefined ? {} : { kind }),
  snmp: { version: '2c' as const, community: 'public' },
  pollIntervalS: 60,
  interfaces: names.map(iface),
});
const link = (a: [string, string], b: [string, string]) => ({
  a: { device: a[0], interface: a[1] },
  b: { device: b[0], interface: b[1] },
});

describe('flappablePorts', () => {
  it.each([
    [
      'unlinked ports of access devices',
      [
        device('core-1', 'core', ['xe-0', 'xe-1']),
        device('access-1', 'access', ['up', 'cust-a', 'cust-b']),
      ],
      [link(['core-1', 'xe-0'], ['access-1', 'up'])],
      [
        { device: 'access-1', ifName: 'cust-a' },
        { device: 'access-1', ifName: 'cust-b' },
      ],
    ],
    [
      'unlinked ports anywhere when there is no access device',
      [device('core-1', 'core', ['xe-0', 'xe-1']), device('core-2', undefined, ['xe-0'])],
      [link(['core-1', 'xe-0'], ['core-2', 'xe-0'])],
      [{ device: 'core-1', ifName: 'xe-1' }],
    ],
    [
      'every port when all are linked',
      [device('a', 'access', ['p']), device('b', 'access', ['p'])],
      [link(['a', 'p'], ['b', 'p'])],
      [
        { device: 'a', ifName: 'p' },
        { device: 'b', ifName: 'p' },
      ],
    ],
  ])('chooses %s', (_label, devices, links, expected) => {
    expect(flappablePorts({ devices, links })).toEqual(expected);
  });
});

describe('planFlap', () => {
  const ports = [
    { device: 'a', ifName: 'p1' },
    { device: 'a', ifName: 'p2' },
    { device: 'b', ifName: 'p1' },
  ];
  it.each<[string, [number, number, number], unknown]>([
    ['the first port at once', [0, 0, 0], { port: ports[0], delayMs: 1, downForMs: 15_000 }],
    [
      'the last port after one mean interval',
      [1 - Math.exp(-1), 0.999, 1],
      { port: ports[2], delayMs: 60_000, downForMs: 45_000 },
    ],
    ['the middle port', [0.5, 0.5, 0.5], { port: ports[1], delayMs: 41_589, downForMs: 30_000 }],
  ])('plans %s', (_label, draws, expected) => {
    expect(planFlap(ports, 60_000, draws)).toEqual(expected);
  });

  it('plans nothing without candidates', () => {
    expect(planFlap([], 60_000, [0.5, 0.5, 0.5])).toBeUndefined();
  });

  it('never waits forever on a draw of almost 1', () => {
    expect(planFlap(ports, 1000, [0.999_999_999, 0, 0])?.delayMs).toBeLessThan(20_000);
  });
});
