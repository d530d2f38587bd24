import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChanges, diffTopology, effectiveTopology } from './topology-diff.js';
import {
  linkId,
  orderedLink,
  type DiscoveredTopology,
  type PlainTopology,
  type PortRef,
} from './topology.js';

const port = (device: string, iface: string): PortRef => ({ device, interface: iface });
const link = (a: PortRef, b: PortRef, confirmed = true) => ({ ...orderedLink(a, b), confirmed });
const found = (names: string[], links: ReturnType<typeof link>[]): DiscoveredTopology => ({
  devices: names.map((name, i) => ({
    name,
    address: `10.0.0.${String(i + 1)}`,
    sysObjectId: '',
    sysDescr: '',
    chassisId: undefined,
    credential: 0,
    interfaces: [],
  })),
  links,
});
const inUse: PlainTopology = {
  devices: ['agg-2', 'agg-3', 'core-1'],
  links: [orderedLink(port('core-1', 'xe-0/0/2'), port('agg-2', 'xe-0/0/48'))],
};

describe('diffTopology', () => {
  it('says a moved cable in an engineer’s words', () => {
    const changes = diffTopology(
      inUse,
      found(
        ['core-1', 'agg-2', 'agg-3'],
        [link(port('core-1', 'xe-0/0/2'), port('agg-3', 'xe-0/0/48'))],
      ),
    );
    expect(changes.map((c) => [c.kind, c.summary])).toEqual([
      ['linkMoved', 'core-1:xe-0/0/2 now goes to agg-3:xe-0/0/48, not agg-2:xe-0/0/48'],
    ]);
  });

  it('proposes nothing when the wire matches the topology in use', () => {
    const same = found(
      ['core-1', 'agg-2', 'agg-3'],
      [link(port('agg-2', 'xe-0/0/48'), port('core-1', 'xe-0/0/2'))],
    );
    expect(diffTopology(inUse, same)).toEqual([]);
  });

  it('takes no link away from a device it did not find, and flags a one-ended link', () => {
    const changes = diffTopology(
      inUse,
      found(['core-1', 'agg-3', 'new-1'], [link(port('new-1', 'p1'), port('agg-3', 'p1'), false)]),
    );
    expect(changes.map((c) => [c.kind, c.summary])).toEqual([
      ['deviceAdded', 'new device new-1 at 10.0.0.3'],
      ['linkAdded', 'new link agg-3:p1 — new-1:p1 (seen from one end only)'],
      ['deviceRemoved', 'device agg-2 not found'],
    ]);
  });

  it('proposes a link gone when both its devices were found and neither reports it', () => {
    const changes = diffTopology(inUse, found(['core-1', 'agg-2', 'agg-3'], []));
    expect(changes.map((c) => c.summary)).toEqual([
      'link agg-2:xe-0/0/48 — core-1:xe-0/0/2 no longer seen',
    ]);
  });
});

/** Links over ports p0…p3 of devices d0…d3, at most one link per port. */
const arbitraryLinks = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 })), {
    maxLength: 8,
  })
  .map((pairs) => {
    const used = new Set<number>();
    return pairs.flatMap(([x, y]) => {
      if (x === y || used.has(x) || used.has(y)) return [];
      used.add(x);
      used.add(y);
      const end = (n: number): PortRef =>
        port(`d${String(n % 4)}`, `p${String(Math.floor(n / 4))}`);
      return [link(end(x), end(y))];
    });
  });
const devices = ['d0', 'd1', 'd2', 'd3'];
const ids = (topology: PlainTopology): string[] => topology.links.map(linkId).sort();

describe('applyChanges', () => {
  it('approving every change of a proposal gives the links found', () => {
    fc.assert(
      fc.property(arbitraryLinks, arbitraryLinks, (before, after) => {
        const current: PlainTopology = { devices, links: before };
        const proposal = diffTopology(current, found(devices, after));
        expect(ids(applyChanges(current, proposal))).toEqual(ids({ devices, links: after }));
      }),
    );
  });

  it('approving none keeps the topology in use', () => {
    fc.assert(
      fc.property(arbitraryLinks, (before) => {
        expect(ids(applyChanges({ devices, links: before }, []))).toEqual(
          ids({ devices, links: before }),
        );
      }),
    );
  });
});

describe('effectiveTopology', () => {
  it('takes approved links between approved devices, and the YAML’s for devices only it has', () => {
    const yaml: PlainTopology = {
      devices: ['a', 'b', 'c'],
      links: [
        orderedLink(port('a', '1'), port('b', '1')),
        orderedLink(port('b', '2'), port('c', '1')),
      ],
    };
    const approved: PlainTopology = {
      devices: ['a', 'b'],
      links: [orderedLink(port('a', '1'), port('b', '3'))],
    };
    expect(ids(effectiveTopology(yaml, approved))).toEqual(['a:1--b:3', 'b:2--c:1']);
    expect(effectiveTopology(yaml, undefined)).toBe(yaml);
  });
});
