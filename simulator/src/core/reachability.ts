import type { Config } from '@faultline/shared';

/** A device's view of one of its interfaces: is it up? */
export type PortIsUp = (device: string, ifName: string) => boolean;

/**
 * The devices the NOC can reach: those connected to a topology root through configured links
 * whose both ends are up, walking only through devices that are powered on. Roots themselves are
 * reachable while powered on. Without roots, every powered-on device counts as reachable (there
 * is no network path to lose). Pure: the caller passes the link state and the silent devices.
 */
export function reachableDevices(
  config: Pick<Config, 'devices' | 'links' | 'topology'>,
  isUp: PortIsUp,
  poweredOff: ReadonlySet<string> = new Set(),
): Set<string> {
  const on = config.devices.map((d) => d.name).filter((name) => !poweredOff.has(name));
  const roots = config.topology?.roots ?? [];
  if (roots.length === 0) return new Set(on);
  const neighbours = new Map<string, string[]>();
  for (const link of config.links) {
    if (!isUp(link.a.device, link.a.interface) || !isUp(link.b.device, link.b.interface)) continue;
    neighbours.set(link.a.device, [...(neighbours.get(link.a.device) ?? []), link.b.device]);
    neighbours.set(link.b.device, [...(neighbours.get(link.b.device) ?? []), link.a.device]);
  }
  const reached = new Set<string>();
  const queue = roots.filter((r) => on.includes(r));
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (reached.has(next) || poweredOff.has(next)) continue;
    reached.add(next);
    queue.push(...(neighbours.get(next) ?? []));
  }
  return reached;
}

/** The other end of a configured link that uses this port, if any. */
export function linkPeer(
  config: { readonly links: readonly Config['links'][number][] },
  device: string,
  ifName: string,
): { readonly device: string; readonly interface: string } | undefined {
  for (const link of config.links) {
    if (link.a.device === device && link.a.interface === ifName) return link.b;
    if (link.b.device === device && link.b.interface === ifName) return link.a;
  }
  return undefined;
}
