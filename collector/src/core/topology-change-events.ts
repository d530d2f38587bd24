import {
  portName,
  type FaultEvent,
  type PlainTopology,
  type PortRef,
  type TopologyChange,
} from '@faultline/shared';

/** The alarm type of cabling that moved since the topology in use was written or approved. */
export const TOPOLOGY_CHANGED_TYPE = 'topologyChanged';

/** The reduction key of a moved cable's alarm: one per port of the topology in use. */
export function topologyChangedKey(port: PortRef): string {
  return `${TOPOLOGY_CHANGED_TYPE}:${portName(port)}`;
}

/** Every port with a link in the topology in use: where a move alarm may be open. */
export function linkedPorts(topology: PlainTopology): PortRef[] {
  return topology.links.flatMap((link) => [link.a, link.b]);
}

/**
 * The events of a run's proposal: a `topologyChanged` alarm (major) on each port whose cable now
 * goes elsewhere, and a clear for each port whose alarm is open (`openKeys`) and whose cable is
 * back where the topology in use says (or the move was approved). Added and removed links raise
 * nothing: they are proposals, and a link that went down is a linkDown's business.
 */
export function topologyChangeEvents(input: {
  readonly changes: readonly TopologyChange[];
  readonly inUse: PlainTopology;
  readonly openKeys: ReadonlySet<string>;
  readonly deviceKnown: (device: string) => boolean;
  readonly timeMs: number;
  readonly newId: () => string;
}): FaultEvent[] {
  const { timeMs, newId } = input;
  const moved = new Map<string, Extract<TopologyChange, { kind: 'linkMoved' }>>();
  for (const change of input.changes) {
    if (change.kind === 'linkMoved') moved.set(topologyChangedKey(change.port), change);
  }
  const raised = [...moved.entries()].map(([key, change]): FaultEvent => ({
    id: newId(),
    source: 'system',
    device: change.port.device,
    deviceKnown: input.deviceKnown(change.port.device),
    component: change.port.interface,
    type: TOPOLOGY_CHANGED_TYPE,
    severity: 'major',
    timeMs,
    reductionKey: key,
    description: `Topology changed: ${change.summary}`,
    details: { from: portName(change.from), to: portName(change.to), change: change.id },
  }));
  const cleared = linkedPorts(input.inUse)
    .map((port) => ({ port, key: topologyChangedKey(port) }))
    .filter(({ key }) => input.openKeys.has(key) && !moved.has(key))
    .map(({ port, key }): FaultEvent => ({
      id: newId(),
      source: 'system',
      device: port.device,
      deviceKnown: input.deviceKnown(port.device),
      component: port.interface,
      type: 'topologyAsApproved',
      severity: 'cleared',
      timeMs,
      reductionKey: `topologyAsApproved:${portName(port)}`,
      clearKey: key,
      description: `${portName(port)} is cabled as the topology in use says`,
      details: {},
    }));
  return [...raised, ...cleared];
}
