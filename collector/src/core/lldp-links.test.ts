import { describe, expect, it } from 'vitest';
import { lldpLinks, type LldpDevice, type LldpRemote } from './lldp-links.js';

const NAME = 5;
const LOCAL = 7;
/** A device with interfaces `ports` (ifIndex 1, 2, …), chassis `c-<name>`, hearing `remotes`. */
function device(name: string, ports: string[], remotes: LldpRemote[] = []): LldpDevice {
  return {
    device: {
      name,
      address: '10.0.0.1',
      sysObjectId: '1.3.6.1.4.1.8072.3.2.10',
      sysDescr: '',
      chassisId: `c-${name}`,
      credential: 0,
      interfaces: ports.map((port, i) => ({
        ifIndex: i + 1,
        name: port,
        alias: `alias ${port}`,
        speedMbps: 1000,
        type: 6,
      })),
    },
    localPorts: ports.map((port, i) => ({ portNum: i + 1, subtype: LOCAL, id: `local-${port}` })),
    remotes,
  };
}
const hears = (localPortNum: number, far: string, subtype: number, id: string): LldpRemote => ({
  localPortNum,
  chassisId: `c-${far}`,
  port: { subtype, id },
  sysName: far,
});
const port = (d: string, i: string) => ({ device: d, interface: i });

describe('lldpLinks', () => {
  it('joins both ends into one confirmed link, ends in name order', () => {
    const { links, unresolved } = lldpLinks([
      device('b', ['p1'], [hears(1, 'a', NAME, 'q2')]),
      device('a', ['q1', 'q2'], [hears(2, 'b', LOCAL, 'local-p1')]),
    ]);
    expect(links).toEqual([{ a: port('a', 'q2'), b: port('b', 'p1'), confirmed: true }]);
    expect(unresolved).toEqual([]);
  });

  it('flags a link only one end reports', () => {
    const { links } = lldpLinks([
      device('a', ['q1'], [hears(1, 'b', NAME, 'p1')]),
      device('b', ['p1']),
    ]);
    expect(links).toEqual([{ a: port('a', 'q1'), b: port('b', 'p1'), confirmed: false }]);
  });

  it('keeps two links when the ends disagree (a cable moved between the two reads)', () => {
    const { links } = lldpLinks([
      device('a', ['q1'], [hears(1, 'b', NAME, 'p1')]),
      device('b', ['p1', 'p2'], [hears(2, 'a', NAME, 'q1')]),
    ]);
    expect(links.map((l) => [l.b.interface, l.confirmed])).toEqual([
      ['p1', false],
      ['p2', false],
    ]);
  });

  it.each<[string, LldpRemote, string]>([
    ['a neighbour nobody found', hears(1, 'z', NAME, 'p1'), 'unknown neighbour'],
    ['a port the neighbour does not have', hears(1, 'b', NAME, 'p9'), 'unknown neighbour port'],
    ['a local port the device does not have', hears(9, 'b', NAME, 'p1'), 'unknown local port'],
  ])('reports %s as unresolved', (_, remote, reason) => {
    const { links, unresolved } = lldpLinks([device('a', ['q1'], [remote]), device('b', ['p1'])]);
    expect(links).toEqual([]);
    expect(unresolved.map((u) => u.reason)).toEqual([reason]);
  });

  it('finds a neighbour by sysName when its chassis id is unknown, and a port by alias', () => {
    const remote = { ...hears(1, 'b', 1, 'alias p1'), chassisId: 'other' };
    const { links } = lldpLinks([device('a', ['q1'], [remote]), device('b', ['p1'])]);
    expect(links).toEqual([{ a: port('a', 'q1'), b: port('b', 'p1'), confirmed: false }]);
  });
});
