import { stringify } from 'yaml';
import type { PlainTopology } from './topology.js';

/**
 * The topology in use as YAML, in the config's own shape: `links` can be pasted into the config
 * file to make the approved cabling the hand-written one. Devices are listed by name only (their
 * addresses, credentials and interfaces belong to `devices` in the file).
 */
export function topologyYaml(topology: PlainTopology, heading: string): string {
  const body = stringify(
    {
      devices: [...topology.devices],
      links: topology.links.map((link) => ({
        a: { device: link.a.device, interface: link.a.interface },
        b: { device: link.b.device, interface: link.b.interface },
      })),
    },
    { flowCollectionPadding: true, collectionStyle: 'block' },
  );
  const comment = heading
    .split('\n')
    .map((line) => `# ${line}`)
    .join('\n');
  return `${comment}\n${body}`;
}
