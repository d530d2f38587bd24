import type { DiscoveredDevice, DiscoveredTopology, DiscoveryConfig } from '@faultline/shared';
import { discoveryAddresses, probeStartMs } from '../core/discovery-addresses.js';
import { lldpLinks, type LldpDevice, type UnresolvedNeighbour } from '../core/lldp-links.js';
import type { ProbeResult } from '../adapters/snmp-discovery.js';

/** How far a run has come: shown while it runs. */
export interface DiscoveryProgress {
  readonly total: number;
  readonly probed: number;
  readonly found: number;
  /** Addresses whose read failed after they answered (a walk that broke off). */
  readonly failed: number;
}

/** What a run found, with the neighbours it could not place and the addresses that failed. */
export interface DiscoveryOutcome {
  readonly topology: DiscoveredTopology;
  readonly unresolved: readonly UnresolvedNeighbour[];
  readonly failures: readonly { readonly address: string; readonly message: string }[];
  /** Devices found at more than one address: kept at the first, the others listed here. */
  readonly duplicates: readonly { readonly name: string; readonly address: string }[];
}

export interface DiscoveryRunDeps {
  readonly discovery: Pick<DiscoveryConfig, 'ranges' | 'concurrency' | 'ratePerS'>;
  /** Reads one address (the SNMP adapter's `probeAddress`, bound to the options). */
  readonly probe: (address: string) => Promise<ProbeResult>;
  /** Ms since an arbitrary origin, monotonic. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly onProgress?: (progress: DiscoveryProgress) => void;
}

/**
 * One discovery run: every address of the configured ranges (and no other) is probed, at most
 * `concurrency` at once and `ratePerS` started per second; the devices found are then joined
 * by their LLDP neighbour tables into links.
 */
export async function runDiscovery(deps: DiscoveryRunDeps): Promise<DiscoveryOutcome> {
  const { discovery, probe, now, sleep } = deps;
  const addresses = discoveryAddresses(discovery.ranges);
  const found: LldpDevice[] = [];
  const failures: { address: string; message: string }[] = [];
  let probed = 0;
  let next = 0;
  const startMs = now();
  const report = (): void =>
    deps.onProgress?.({
      total: addresses.length,
      probed,
      found: found.length,
      failed: failures.length,
    });

  const worker = async (): Promise<void> => {
    for (let n = next++; n < addresses.length; n = next++) {
      const address = addresses[n] ?? '';
      const waitMs = startMs + probeStartMs(n, discovery.ratePerS) - now();
      if (waitMs > 0) await sleep(waitMs);
      try {
        const result = await probe(address);
        if (result.kind === 'found') found.push(result.device);
      } catch (error) {
        failures.push({ address, message: error instanceof Error ? error.message : String(error) });
      }
      probed += 1;
      report();
    }
  };
  report();
  await Promise.all(
    Array.from({ length: Math.min(discovery.concurrency, addresses.length) }, worker),
  );

  // A device answering on several addresses (loopback and interface addresses) is one device.
  const byName = new Map<string, LldpDevice>();
  const duplicates: { name: string; address: string }[] = [];
  const position = new Map(addresses.map((address, n) => [address, n]));
  const byAddress = (x: LldpDevice, y: LldpDevice): number =>
    (position.get(x.device.address) ?? 0) - (position.get(y.device.address) ?? 0);
  for (const entry of [...found].sort(byAddress)) {
    if (byName.has(entry.device.name))
      duplicates.push({ name: entry.device.name, address: entry.device.address });
    else byName.set(entry.device.name, entry);
  }
  const devices = [...byName.values()];
  const { links, unresolved } = lldpLinks(devices);
  const sortedDevices: DiscoveredDevice[] = devices
    .map((entry) => entry.device)
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return { topology: { devices: sortedDevices, links }, unresolved, failures, duplicates };
}
