import {
  linkId,
  orderedLink,
  type DiscoveredDevice,
  type DiscoveredLink,
  type PortRef,
} from '@faultline/shared';

/** LLDP-MIB LldpPortIdSubtype values discovery can resolve to an interface. */
const PORT_ID_INTERFACE_ALIAS = 1;
const PORT_ID_INTERFACE_NAME = 5;
const PORT_ID_LOCAL = 7;

/** A port id as LLDP carries it: its subtype and value (text, or hex when not printable). */
export interface LldpPortId {
  readonly subtype: number;
  readonly id: string;
}

/** One row of lldpLocPortTable. */
export interface LldpLocalPort extends LldpPortId {
  readonly portNum: number;
}

/** One row of lldpRemTable: who a device hears on one of its ports. */
export interface LldpRemote {
  readonly localPortNum: number;
  /** lldpRemChassisId as hex. */
  readonly chassisId: string;
  readonly port: LldpPortId;
  readonly sysName: string;
}

/** A discovered device with what its LLDP tables said. */
export interface LldpDevice {
  readonly device: DiscoveredDevice;
  readonly localPorts: readonly LldpLocalPort[];
  readonly remotes: readonly LldpRemote[];
}

/** Why a neighbour row could not become a link end. */
export interface UnresolvedNeighbour {
  readonly device: string;
  readonly localPortNum: number;
  readonly reason: 'unknown local port' | 'unknown neighbour' | 'unknown neighbour port';
  /** The neighbour as named by its row: sysName, else chassis id. */
  readonly neighbour: string;
}

/** The interface of `device` a port id names, or undefined. */
function resolvePort(entry: LldpDevice, port: LldpPortId): string | undefined {
  const { interfaces } = entry.device;
  const byName = (name: string): string | undefined =>
    interfaces.find((i) => i.name === name)?.name;
  const byLocal = (id: string): string | undefined => {
    const local = entry.localPorts.find((p) => p.id === id && p.subtype === port.subtype);
    // lldpLocPortNum is the ifIndex on the devices discovery knows (LLDP-MIB allows otherwise).
    return local === undefined
      ? undefined
      : interfaces.find((i) => i.ifIndex === local.portNum)?.name;
  };
  switch (port.subtype) {
    case PORT_ID_INTERFACE_NAME:
      return byName(port.id);
    case PORT_ID_INTERFACE_ALIAS:
      return interfaces.find((i) => i.alias === port.id)?.name ?? byLocal(port.id);
    case PORT_ID_LOCAL:
      return byLocal(port.id);
    default:
      return byLocal(port.id) ?? byName(port.id);
  }
}

/** The interface behind a local port number: through lldpLocPortTable's port id, else as ifIndex. */
function resolveLocalPort(entry: LldpDevice, portNum: number): string | undefined {
  const local = entry.localPorts.find((p) => p.portNum === portNum);
  const viaId = local === undefined ? undefined : resolvePort(entry, local);
  return viaId ?? entry.device.interfaces.find((i) => i.ifIndex === portNum)?.name;
}

/**
 * The links LLDP shows between discovered devices. A neighbour row names the far device by its
 * chassis id (else its sysName) and the far port by its port id, resolved on the far device's own
 * tables. A link is `confirmed` when each end's device reports the other; one seen from one
 * end only is kept and flagged (the other end may not run LLDP, or may be out of range).
 */
export function lldpLinks(devices: readonly LldpDevice[]): {
  links: DiscoveredLink[];
  unresolved: UnresolvedNeighbour[];
} {
  const byChassis = new Map<string, LldpDevice>();
  const byName = new Map<string, LldpDevice>();
  for (const entry of devices) {
    if (entry.device.chassisId !== undefined) byChassis.set(entry.device.chassisId, entry);
    byName.set(entry.device.name, entry);
  }
  const seen = new Map<string, { link: DiscoveredLink; seenBy: Set<string> }>();
  const unresolved: UnresolvedNeighbour[] = [];
  for (const entry of devices) {
    for (const remote of entry.remotes) {
      const miss = (reason: UnresolvedNeighbour['reason']): void => {
        unresolved.push({
          device: entry.device.name,
          localPortNum: remote.localPortNum,
          reason,
          neighbour: remote.sysName === '' ? remote.chassisId : remote.sysName,
        });
      };
      const near = resolveLocalPort(entry, remote.localPortNum);
      if (near === undefined) {
        miss('unknown local port');
        continue;
      }
      const far = byChassis.get(remote.chassisId) ?? byName.get(remote.sysName);
      if (far === undefined) {
        miss('unknown neighbour');
        continue;
      }
      const farPort = resolvePort(far, remote.port);
      if (farPort === undefined) {
        miss('unknown neighbour port');
        continue;
      }
      const nearEnd: PortRef = { device: entry.device.name, interface: near };
      const farEnd: PortRef = { device: far.device.name, interface: farPort };
      const link = orderedLink(nearEnd, farEnd);
      const id = linkId(link);
      const known = seen.get(id) ?? { link: { ...link, confirmed: false }, seenBy: new Set() };
      known.seenBy.add(entry.device.name);
      seen.set(id, known);
    }
  }
  const links = [...seen.values()]
    .map(({ link, seenBy }) => ({
      ...link,
      confirmed: seenBy.has(link.a.device) && seenBy.has(link.b.device),
    }))
    .sort((x, y) => (linkId(x) < linkId(y) ? -1 : 1));
  return { links, unresolved };
}
