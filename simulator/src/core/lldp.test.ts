import { describe, expect, it } from 'vitest';
import type { Config } from '@faultline/shared';
import { chassisMac, lldpNeighbour, repatch, type Cable } from './lldp.js';

const port = (device: string, iface: string) => ({ device, interface: iface });
const device = (name: string, ports: string[]) => ({
  name,
  interfaces: ports.map((p) => ({ name: p, description: `${name} ${p}` })),
});
const network = {
  devices: [device('agg-1', ['p1', 'p2']), device('access-1', ['up']), device('access-2', ['up'])],
} as unknown as Pick<Config, 'devices'>;
const cables: Cable[] = [
  { a: port('agg-1', 'p1'), b: port('access-1', 'up') },
  { a: port('agg-1', 'p2'), b: port('access-2', 'up') },
];
const allUp = (): boolean => true;
const powered = (): boolean => true;

describe('chassisMac', () => {
  it('is a locally administered MAC fixed by the name', () => {
    expect(chassisMac('core-1')).toEqual(chassisMac('core-1'));
    expect(chassisMac('core-1')).not.toEqual(chassisMac('core-2'));
    expect(chassisMac('core-1')).toHaveLength(6);
    expect(chassisMac('core-1')[0]).toBe(0x02);
  });
});

describe('repatch', () => {
  it('swaps two patch cords in two moves', () => {
    const once = repatch(cables, port('agg-1', 'p1'), port('access-2', 'up'));
    expect(once).toEqual([{ a: port('agg-1', 'p1'), b: port('access-2', 'up') }]);
    const twice = repatch(once, port('agg-1', 'p2'), port('access-1', 'up'));
    expect(twice).toEqual([
      { a: port('agg-1', 'p1'), b: port('access-2', 'up') },
      { a: port('agg-1', 'p2'), b: port('access-1', 'up') },
    ]);
  });

  it('joins two free ports with a new cable', () => {
    expect(repatch([], port('agg-1', 'p1'), port('access-1', 'up'))).toEqual([
      { a: port('agg-1', 'p1'), b: port('access-1', 'up') },
    ]);
  });
});

describe('lldpNeighbour', () => {
  it('names the far device and port of the cable', () => {
    expect(lldpNeighbour(network, cables, allUp, powered, 'access-2', 'up')).toEqual({
      chassisId: chassisMac('agg-1'),
      portId: 'p2',
      portDescription: 'agg-1 p2',
      sysName: 'agg-1',
    });
    const moved = repatch(cables, port('access-2', 'up'), port('agg-1', 'p1'));
    expect(lldpNeighbour(network, moved, allUp, powered, 'access-2', 'up')?.portId).toBe('p1');
    expect(lldpNeighbour(network, moved, allUp, powered, 'access-1', 'up')).toBeUndefined();
  });

  it.each<[string, (d: string, i: string) => boolean, (d: string) => boolean]>([
    ['the near port is down', (d) => d !== 'access-1', powered],
    ['the far port is down', (d) => d !== 'agg-1', powered],
    ['the far device is off', allUp, (d) => d !== 'agg-1'],
  ])('hears nobody when %s', (_, isUp, isPowered) => {
    expect(lldpNeighbour(network, cables, isUp, isPowered, 'access-1', 'up')).toBeUndefined();
  });

  it('hears nobody on a port without a cable', () => {
    expect(lldpNeighbour(network, [], allUp, powered, 'access-1', 'up')).toBeUndefined();
  });
});
