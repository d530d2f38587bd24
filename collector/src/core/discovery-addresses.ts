import {
  inSpans,
  ipv4Text,
  parseAddressRange,
  type AddressSpan,
  type DiscoveryConfig,
} from '@faultline/shared';

/**
 * The addresses a discovery run probes, in ascending order, each once: every address of each
 * range that none of that range's exclusions covers. A CIDR block's network and broadcast
 * addresses are probed too (a /31 or /32 has no others, and a loopback block answers on all).
 * Ranges the config check refused yield nothing.
 */
export function discoveryAddresses(ranges: DiscoveryConfig['ranges']): string[] {
  const wanted = new Set<number>();
  for (const entry of ranges) {
    const parsed = parseAddressRange(entry.range);
    if (!parsed.ok) continue;
    const excluded = entry.exclude.flatMap((text): AddressSpan[] => {
      const range = parseAddressRange(text);
      return range.ok ? [range.span] : [];
    });
    for (let value = parsed.span.first; value <= parsed.span.last; value++) {
      if (!inSpans(excluded, value)) wanted.add(value);
    }
  }
  return [...wanted].sort((a, b) => a - b).map(ipv4Text);
}

/** When the `n`th probe (0-based) may start, in ms after the run's start, at `ratePerS`. */
export function probeStartMs(n: number, ratePerS: number): number {
  return Math.floor((n * 1000) / ratePerS);
}
