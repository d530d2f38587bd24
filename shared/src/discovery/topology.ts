/**
 * What discovery finds and proposes, as plain data shared by the collector (which discovers), the
 * api (which shows and approves) and the correlator (which uses the approved topology).
 */

/** One end of a link: a device and one of its interfaces, by name. */
export interface PortRef {
  readonly device: string;
  readonly interface: string;
}

/** An interface as discovery read it from ifTable/ifXTable. */
export interface DiscoveredInterface {
  readonly ifIndex: number;
  /** ifName, or ifDescr when the device has no ifXTable. */
  readonly name: string;
  /** ifAlias: the operator's description. */
  readonly alias: string;
  /** ifHighSpeed, or ifSpeed / 10^6. */
  readonly speedMbps: number;
  /** IANAifType (6 ethernetCsmacd). */
  readonly type: number;
}

/** A device that answered, named by its sysName. */
export interface DiscoveredDevice {
  readonly name: string;
  readonly address: string;
  readonly sysObjectId: string;
  readonly sysDescr: string;
  /** lldpLocChassisId as hex, when the device speaks LLDP. */
  readonly chassisId: string | undefined;
  /** Which configured credential answered (its position in `discovery.credentials`). */
  readonly credential: number;
  readonly interfaces: readonly DiscoveredInterface[];
}

/** A link: ends in name order (`a` sorts first). */
export interface TopologyLinkRef {
  readonly a: PortRef;
  readonly b: PortRef;
}

/** A link LLDP showed: `confirmed` when both ends see each other, not when only one does. */
export interface DiscoveredLink extends TopologyLinkRef {
  readonly confirmed: boolean;
}

/** The devices and links one discovery run found. */
export interface DiscoveredTopology {
  readonly devices: readonly DiscoveredDevice[];
  readonly links: readonly DiscoveredLink[];
}

/** A topology as root cause uses it: device names and links. */
export interface PlainTopology {
  readonly devices: readonly string[];
  readonly links: readonly TopologyLinkRef[];
}

/** `device:interface`, the way engineers name a port. */
export function portName(port: PortRef): string {
  return `${port.device}:${port.interface}`;
}

/** A stable id of a link: its ends in order, `a--b`. */
export function linkId(link: TopologyLinkRef): string {
  return `${portName(link.a)}--${portName(link.b)}`;
}

/** The link with its ends in name order, so a link read from either end is the same link. */
export function orderedLink(a: PortRef, b: PortRef): TopologyLinkRef {
  return portName(a) <= portName(b) ? { a, b } : { a: b, b: a };
}
