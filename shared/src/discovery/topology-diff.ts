import {
  linkId,
  orderedLink,
  portName,
  type DiscoveredTopology,
  type PlainTopology,
  type PortRef,
  type TopologyLinkRef,
} from './topology.js';

/**
 * One proposed change of a discovery run against the topology in use. `id` is stable for the
 * same change (an admin approves changes by id); `summary` says it in an engineer's words.
 */
export type TopologyChange =
  | {
      readonly kind: 'deviceAdded';
      readonly id: string;
      readonly summary: string;
      readonly device: string;
      readonly address: string;
    }
  | {
      readonly kind: 'deviceRemoved';
      readonly id: string;
      readonly summary: string;
      readonly device: string;
    }
  | {
      readonly kind: 'linkAdded';
      readonly id: string;
      readonly summary: string;
      readonly link: TopologyLinkRef;
      /** False when only one end's LLDP reports it. */
      readonly confirmed: boolean;
    }
  | {
      readonly kind: 'linkRemoved';
      readonly id: string;
      readonly summary: string;
      readonly link: TopologyLinkRef;
    }
  | {
      readonly kind: 'linkMoved';
      readonly id: string;
      readonly summary: string;
      /** The port whose cable now goes elsewhere. */
      readonly port: PortRef;
      readonly from: PortRef;
      readonly to: PortRef;
      readonly confirmed: boolean;
    };

const byId = (x: { id: string }, y: { id: string }): number =>
  x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
const samePort = (x: PortRef, y: PortRef): boolean =>
  x.device === y.device && x.interface === y.interface;
/** The other end of a link from `port`, when the link has `port` at one end. */
const otherEnd = (link: TopologyLinkRef, port: PortRef): PortRef | undefined =>
  samePort(link.a, port) ? link.b : samePort(link.b, port) ? link.a : undefined;

function linkAdded(link: TopologyLinkRef, confirmed: boolean): TopologyChange {
  const flag = confirmed ? '' : ' (seen from one end only)';
  return {
    kind: 'linkAdded',
    id: `+link:${linkId(link)}`,
    summary: `new link ${portName(link.a)} — ${portName(link.b)}${flag}`,
    link,
    confirmed,
  };
}

function linkRemoved(link: TopologyLinkRef): TopologyChange {
  return {
    kind: 'linkRemoved',
    id: `-link:${linkId(link)}`,
    summary: `link ${portName(link.a)} — ${portName(link.b)} no longer seen`,
    link,
  };
}

/**
 * What a discovery run proposes against the topology in use: devices found that are not in it
 * and devices of it that were not found; links found and links gone; and a link gone and a link
 * found that share a port, as one move ("core-1:xe-0/0/2 now goes to agg-3:xe-0/0/48, not
 * agg-2:xe-0/0/48"). A link of the topology in use counts as gone only when discovery found
 * both its devices (and neither reports it): a device outside the ranges, or silent, takes no
 * links away. Sorted by id.
 */
export function diffTopology(inUse: PlainTopology, found: DiscoveredTopology): TopologyChange[] {
  const changes: TopologyChange[] = [];
  const inUseDevices = new Set(inUse.devices);
  const foundDevices = new Set(found.devices.map((d) => d.name));
  for (const device of found.devices) {
    if (!inUseDevices.has(device.name)) {
      changes.push({
        kind: 'deviceAdded',
        id: `+device:${device.name}`,
        summary: `new device ${device.name} at ${device.address}`,
        device: device.name,
        address: device.address,
      });
    }
  }
  for (const device of inUse.devices) {
    if (!foundDevices.has(device)) {
      changes.push({
        kind: 'deviceRemoved',
        id: `-device:${device}`,
        summary: `device ${device} not found`,
        device,
      });
    }
  }
  const inUseLinks = new Map(
    inUse.links.map((l) => [linkId(orderedLink(l.a, l.b)), orderedLink(l.a, l.b)]),
  );
  const foundIds = new Set(found.links.map((l) => linkId(l)));
  const gone = [...inUseLinks.entries()]
    .filter(
      ([id, link]) =>
        !foundIds.has(id) && foundDevices.has(link.a.device) && foundDevices.has(link.b.device),
    )
    .map(([, link]) => link);
  const paired = new Set<TopologyLinkRef>();
  for (const link of found.links) {
    if (inUseLinks.has(linkId(link))) continue;
    let move: TopologyChange | undefined;
    for (const port of [link.a, link.b]) {
      const old = gone.find((g) => !paired.has(g) && otherEnd(g, port) !== undefined);
      const from = old === undefined ? undefined : otherEnd(old, port);
      const to = otherEnd(link, port);
      if (old === undefined || from === undefined || to === undefined) continue;
      paired.add(old);
      move = {
        kind: 'linkMoved',
        id: `~port:${portName(port)}:${portName(to)}`,
        summary: `${portName(port)} now goes to ${portName(to)}, not ${portName(from)}`,
        port,
        from,
        to,
        confirmed: link.confirmed,
      };
      break;
    }
    changes.push(move ?? linkAdded(link, link.confirmed));
  }
  for (const link of gone) if (!paired.has(link)) changes.push(linkRemoved(link));
  return changes.sort(byId);
}

/**
 * The topology after approving `changes` (all or part of one proposal) on the topology in use:
 * devices added or removed (a removed device takes its links with it), links added or removed,
 * a moved cable's old link replaced by its new one.
 */
export function applyChanges(
  inUse: PlainTopology,
  changes: readonly TopologyChange[],
): PlainTopology {
  const devices = new Set(inUse.devices);
  const links = new Map(
    inUse.links.map((l) => [linkId(orderedLink(l.a, l.b)), orderedLink(l.a, l.b)]),
  );
  const add = (link: TopologyLinkRef): void => {
    links.set(linkId(link), link);
  };
  for (const change of changes) {
    switch (change.kind) {
      case 'deviceAdded':
        devices.add(change.device);
        break;
      case 'deviceRemoved':
        devices.delete(change.device);
        for (const [id, link] of links) {
          if (link.a.device === change.device || link.b.device === change.device) links.delete(id);
        }
        break;
      case 'linkAdded':
        add(change.link);
        break;
      case 'linkRemoved':
        links.delete(linkId(change.link));
        break;
      case 'linkMoved':
        links.delete(linkId(orderedLink(change.port, change.from)));
        add(orderedLink(change.port, change.to));
        break;
    }
  }
  return {
    devices: [...devices].sort(),
    links: [...links.values()].sort((x, y) => (linkId(x) < linkId(y) ? -1 : 1)),
  };
}

/**
 * The topology root cause and impact use: the approved one where there is one, and the YAML's
 * where discovery has nothing to say. Approved links win between devices the approved topology
 * knows (they were observed on the wire and accepted by an admin, after the file was written);
 * a device only the YAML has (added to the file since, or outside the discovery ranges) keeps
 * its YAML links. Roots and customer services always come from the YAML: discovery cannot see
 * them.
 */
export function effectiveTopology(
  yaml: PlainTopology,
  approved: PlainTopology | undefined,
): PlainTopology {
  if (approved === undefined) return yaml;
  const known = new Set(approved.devices);
  const yamlOnly = yaml.links.filter((l) => !known.has(l.a.device) || !known.has(l.b.device));
  const links = new Map(
    [...approved.links, ...yamlOnly].map((l) => [
      linkId(orderedLink(l.a, l.b)),
      orderedLink(l.a, l.b),
    ]),
  );
  return {
    devices: [...new Set([...approved.devices, ...yaml.devices])].sort(),
    links: [...links.values()].sort((x, y) => (linkId(x) < linkId(y) ? -1 : 1)),
  };
}
