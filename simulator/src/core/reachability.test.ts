import { describe, expect, it } from 'vitest';
import type { Config } from '@faultline/shared';
import { linkPeer, reachableDevices } from './reachability.js';

const port = (device: string, iface: string) => ({ device, interface: iface });
/** Two cores, agg-2 dual-homed to both, access-3 behind agg-2, agg-1 single-homed. */
const network = {
  devices: ['core-1', 'core-2', 'agg-1', 'agg-2', 'access-3'].map((name) => ({ name })),
  links: [
    { a: port('core-1', 'c1-c2'), b: port('core-2', 'c2-c1') },
    { a: port('core-1', 'c1-a2'), b: port('agg-2', 'a2-c1') },
    { a: port('core-2', 'c2-a2'), b: port('agg-2', 'a2-c2') },
    { a: port('core-1', 'c1-a1'), b: port('agg-1', 'a1-c1') },
    { a: port('agg-2', 'a2-x3'), b: port('access-3', 'x3-a2') },
  ],
  topology: { roots: ['core-1', 'core-2'] },
} as unknown as Pick<Config, 'devices' | 'links' | 'topology'>;

describe('reachableDevices', () => {
  it.each<[string, string[], string[], string[]]>([
    ['everything up', [], [], ['core-1', 'core-2', 'agg-1', 'agg-2', 'access-3']],
    ['one of two uplinks down', ['c1-a2'], [], ['core-1', 'core-2', 'agg-1', 'agg-2', 'access-3']],
    ['both uplinks of agg-2 down', ['c1-a2', 'a2-c2'], [], ['core-1', 'core-2', 'agg-1']],
    ['one end down is enough', ['a2-c1', 'c2-a2'], [], ['core-1', 'core-2', 'agg-1']],
    ['the access link down', ['x3-a2'], [], ['core-1', 'core-2', 'agg-1', 'agg-2']],
    ['agg-2 powered off', [], ['agg-2'], ['core-1', 'core-2', 'agg-1']],
    ['a root powered off', [], ['core-1'], ['core-2', 'agg-2', 'access-3']],
  ])('%s', (_, downPorts, off, expected) => {
    const down = new Set(downPorts);
    const reached = reachableDevices(network, (_d, ifName) => !down.has(ifName), new Set(off));
    expect([...reached].sort()).toEqual([...expected].sort());
  });

  it('counts every powered-on device reachable without topology roots', () => {
    const flat = { devices: network.devices, links: network.links };
    expect([...reachableDevices(flat, () => false, new Set(['agg-1']))].sort()).toEqual([
      'access-3',
      'agg-2',
      'core-1',
      'core-2',
    ]);
  });
});

describe('linkPeer', () => {
  it.each<[string, string, ReturnType<typeof linkPeer>]>([
    ['core-1', 'c1-a2', port('agg-2', 'a2-c1')],
    ['agg-2', 'a2-c1', port('core-1', 'c1-a2')],
    ['access-3', 'customer', undefined],
  ])('%s %s', (device, ifName, expected) => {
    expect(linkPeer(network, device, ifName)).toEqual(expected);
  });
});
