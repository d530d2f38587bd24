import type { Topology, TopologyAlarm } from '../topology.js';

const link = (a: string, ai: string, b: string, bi: string) => ({
  id: `${a}:${ai}--${b}:${bi}`,
  a: { device: a, interface: ai },
  b: { device: b, interface: bi },
});

/** The example network of config/example.yaml, for table tests. */
export const EXAMPLE_TOPOLOGY: Topology = {
  devices: ['core-1', 'core-2', 'agg-1', 'agg-2', 'access-1', 'access-2', 'access-3'],
  links: [
    link('core-1', 'xe-0/0/0', 'core-2', 'xe-0/0/0'),
    link('core-1', 'xe-0/0/1', 'agg-1', 'xe-0/0/48'),
    link('core-2', 'xe-0/0/1', 'agg-1', 'xe-0/0/49'),
    link('core-1', 'xe-0/0/2', 'agg-2', 'xe-0/0/48'),
    link('core-2', 'xe-0/0/3', 'agg-2', 'xe-0/0/49'),
    link('agg-1', 'ge-0/0/1', 'access-1', 'ge-0/0/24'),
    link('agg-1', 'ge-0/0/2', 'access-2', 'ge-0/0/24'),
    link('agg-2', 'ge-0/0/1', 'access-3', 'ge-0/0/24'),
  ],
  roots: ['core-1', 'core-2'],
  services: [
    { customerId: 'acme', serviceId: 'acme-transit', device: 'access-1', interface: 'ge-0/0/1' },
    { customerId: 'umbrella', serviceId: 'umbrella-dc', device: 'access-1', interface: 'ge-0/0/2' },
    { customerId: 'globex', serviceId: 'globex-backup', device: 'access-2', interface: 'ge-0/0/1' },
    {
      customerId: 'initech',
      serviceId: 'initech-office',
      device: 'access-3',
      interface: 'ge-0/0/1',
    },
  ],
};

/** A link-down alarm on `device:component`, seen at `at` seconds. */
export function linkAlarm(id: string, device: string, component: string, at = 0): TopologyAlarm {
  return { id, type: 'linkDown', device, component, firstSeenMs: at * 1000 };
}

/** A device alarm of `type` on `device`, seen at `at` seconds. */
export function deviceAlarm(
  id: string,
  device: string,
  type = 'unreachable',
  at = 0,
): TopologyAlarm {
  return { id, type, device, component: null, firstSeenMs: at * 1000 };
}
