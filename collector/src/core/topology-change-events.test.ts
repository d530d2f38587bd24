import { describe, expect, it } from 'vitest';
import {
  diffTopology,
  orderedLink,
  type DiscoveredTopology,
  type PlainTopology,
} from '@faultline/shared';
import { topologyChangeEvents } from './topology-change-events.js';

const port = (device: string, iface: string) => ({ device, interface: iface });
const inUse: PlainTopology = {
  devices: ['core-1', 'agg-2', 'agg-3'],
  links: [orderedLink(port('core-1', 'xe-0/0/2'), port('agg-2', 'xe-0/0/48'))],
};
const found = (links: PlainTopology['links']): DiscoveredTopology => ({
  devices: inUse.devices.map((name) => ({
    name,
    address: '10.0.0.1',
    sysObjectId: '',
    sysDescr: '',
    chassisId: undefined,
    credential: 0,
    interfaces: [],
  })),
  links: links.map((l) => ({ ...l, confirmed: true })),
});
const events = (discovered: DiscoveredTopology, open: string[]) => {
  let n = 0;
  return topologyChangeEvents({
    changes: diffTopology(inUse, discovered),
    inUse,
    openKeys: new Set(open),
    deviceKnown: () => true,
    timeMs: 1_000,
    newId: () => `e${String(++n)}`,
  }).map((e) => [e.severity, e.reductionKey, e.clearKey, e.description]);
};
const moved = found([orderedLink(port('core-1', 'xe-0/0/2'), port('agg-3', 'xe-0/0/48'))]);
const asInUse = found(inUse.links);

describe('topologyChangeEvents', () => {
  it('raises a topologyChanged alarm on the port whose cable moved', () => {
    expect(events(moved, [])).toEqual([
      [
        'major',
        'topologyChanged:core-1:xe-0/0/2',
        undefined,
        'Topology changed: core-1:xe-0/0/2 now goes to agg-3:xe-0/0/48, not agg-2:xe-0/0/48',
      ],
    ]);
  });

  it('clears an open alarm once the cabling matches the topology in use', () => {
    expect(events(asInUse, ['topologyChanged:core-1:xe-0/0/2'])).toEqual([
      [
        'cleared',
        'topologyAsApproved:core-1:xe-0/0/2',
        'topologyChanged:core-1:xe-0/0/2',
        'core-1:xe-0/0/2 is cabled as the topology in use says',
      ],
    ]);
  });

  it('says nothing when nothing moved and nothing is open', () => {
    expect(events(asInUse, [])).toEqual([]);
  });
});
