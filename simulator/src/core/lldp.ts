import type { Config } from '@faultline/shared';
import { fnv1a32 } from './hash.js';
import { linkPeer } from './reachability.js';

/** One end of a cable: a device and one of its interfaces, by name. */
export interface CableEnd {
  readonly device: string;
  readonly interface: string;
}

/** A cable between two ports, as the simulator has it patched now. */
export interface Cable {
  readonly a: CableEnd;
  readonly b: CableEnd;
}

/** LLDP-MIB LldpChassisIdSubtype macAddress. */
export const CHASSIS_ID_MAC = 4;
/** LLDP-MIB LldpPortIdSubtype interfaceName: the port id is the ifName. */
export const PORT_ID_INTERFACE_NAME = 5;

/** What a device's LLDP agent reports about a neighbour heard on one of its ports. */
export interface LldpNeighbour {
  readonly chassisId: Buffer;
  readonly portId: string;
  readonly portDescription: string;
  readonly sysName: string;
}

/**
 * The chassis id a simulated device advertises: a locally administered MAC address (first octet
 * 0x02) fixed by the device's name, so two simulator processes agree and a rename is a new box.
 */
export function chassisMac(device: string): Buffer {
  const hash = fnv1a32(device);
  const salt = fnv1a32(`${device}\u0000chassis`);
  return Buffer.from([
    0x02,
    (salt >>> 8) & 0xff,
    (hash >>> 24) & 0xff,
    (hash >>> 16) & 0xff,
    (hash >>> 8) & 0xff,
    hash & 0xff,
  ]);
}

const samePort = (x: CableEnd, y: CableEnd): boolean =>
  x.device === y.device && x.interface === y.interface;

/**
 * The cabling after moving the far end of the cable at `from` onto `to`: whatever was plugged
 * into `to` before is unplugged (its cable removed), and so is the port the moved end left.
 * Without a cable at `from`, a new one joins `from` and `to`.
 */
export function repatch(cables: readonly Cable[], from: CableEnd, to: CableEnd): Cable[] {
  const kept = cables.filter(
    (cable) => ![cable.a, cable.b].some((end) => samePort(end, from) || samePort(end, to)),
  );
  return [...kept, { a: from, b: to }];
}

/**
 * The neighbour `device` hears on `ifName`: the device at the far end of its cable, while both
 * ports are up (LLDP frames cross only a working link, and a neighbour's entry ages out once
 * they stop) and the far device is powered on.
 */
export function lldpNeighbour(
  config: Pick<Config, 'devices'>,
  cables: readonly Cable[],
  isUp: (device: string, ifName: string) => boolean,
  isPowered: (device: string) => boolean,
  device: string,
  ifName: string,
): LldpNeighbour | undefined {
  const peer = linkPeer({ links: cables }, device, ifName);
  if (peer === undefined || !isUp(device, ifName) || !isUp(peer.device, peer.interface))
    return undefined;
  if (!isPowered(peer.device)) return undefined;
  const far = config.devices.find((d) => d.name === peer.device);
  const farPort = far?.interfaces.find((i) => i.name === peer.interface);
  if (far === undefined || farPort === undefined) return undefined;
  return {
    chassisId: chassisMac(far.name),
    portId: farPort.name,
    portDescription: farPort.description ?? '',
    sysName: far.name,
  };
}
