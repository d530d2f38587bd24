import {
  DEVICE_DOWN_ALARM_TYPES,
  effectiveTopology,
  linkId,
  orderedLink,
  type Config,
  type PlainTopology,
} from '@faultline/shared';

/** One end of a link: a device and one of its interfaces, by name. */
export interface LinkEnd {
  readonly device: string;
  readonly interface: string;
}

/** A configured link, with a stable id. */
export interface TopologyLink {
  readonly id: string;
  readonly a: LinkEnd;
  readonly b: LinkEnd;
}

/** A customer service and the interface that carries it. */
export interface ServiceRef {
  readonly customerId: string;
  readonly serviceId: string;
  readonly device: string;
  readonly interface: string;
}

/** What root-cause analysis needs from the config. */
export interface Topology {
  readonly devices: readonly string[];
  readonly links: readonly TopologyLink[];
  /** Where the NOC reaches the network from; empty when the config has no `topology`. */
  readonly roots: readonly string[];
  readonly services: readonly ServiceRef[];
}

/** An open alarm as root-cause analysis sees it. */
export interface TopologyAlarm {
  readonly id: string;
  readonly type: string;
  readonly device: string;
  readonly component: string | null;
  readonly firstSeenMs: number;
}

/** Alarm types that mean "this device is down or cannot be reached" (one list, in shared). */
export const DEVICE_DOWN_TYPES = DEVICE_DOWN_ALARM_TYPES;
/** Alarm types that mean "this interface is down"; the link on it is down. */
export const LINK_DOWN_TYPES: ReadonlySet<string> = new Set(['linkDown']);

/** `device:interface`, the way engineers name a port. */
export function endName(end: LinkEnd): string {
  return `${end.device}:${end.interface}`;
}

/**
 * The topology of a config, beside the topology an admin approved from discovery when there is
 * one (`effectiveTopology` says which wins where): devices, links with ids, roots and customer
 * services. A link the YAML also has keeps the YAML's orientation and id, so an incident reads
 * the same whichever of the two the link came from.
 */
export function topologyFromConfig(config: Config, approved?: PlainTopology): Topology {
  const effective = effectiveTopology(
    { devices: config.devices.map((device) => device.name), links: config.links },
    approved,
  );
  const asWritten = new Map(
    config.links.map((link) => [linkId(orderedLink(link.a, link.b)), link]),
  );
  return {
    devices: [...effective.devices],
    links: effective.links.map((found) => {
      const link = asWritten.get(linkId(orderedLink(found.a, found.b))) ?? found;
      return { id: `${endName(link.a)}--${endName(link.b)}`, a: link.a, b: link.b };
    }),
    roots: config.topology?.roots ?? [],
    services: config.customers.flatMap((customer) =>
      customer.services.map((service) => ({
        customerId: customer.id,
        serviceId: service.id,
        device: service.device,
        interface: service.interface,
      })),
    ),
  };
}

/**
 * A group of alarms that one fault explains: its root alarms (on the failed elements nearest the
 * topology roots), the symptoms with their explanations, the devices cut off and the services down.
 */
export interface FaultGroup {
  /** Root alarm ids, oldest first; the first is the primary root that names the incident. */
  readonly rootAlarmIds: readonly string[];
  /** Symptom alarm id → explanation; each symptom's `causedBy` is the primary root. */
  readonly symptoms: ReadonlyMap<string, string>;
  /** Devices that no path from a topology root reaches because of this fault, sorted. */
  readonly cutOffDevices: readonly string[];
  /** Customer services this fault takes down, sorted by customer then service. */
  readonly impactedServices: readonly ServiceRef[];
  /** The failed elements nearest the roots, named for people: `core-1:xe-0/0/2`, `agg-2`. */
  readonly rootElements: readonly string[];
}

/** Alarms in time order, then by id: the order that picks primaries deterministically. */
function byAge(a: TopologyAlarm, b: TopologyAlarm): number {
  return a.firstSeenMs !== b.firstSeenMs
    ? a.firstSeenMs - b.firstSeenMs
    : a.id < b.id
      ? -1
      : a.id > b.id
        ? 1
        : 0;
}

/**
 * Which alarm types a failed element explains (config `correlation.symptoms`): on a down link's
 * two ends, and on a down device. Device-down types on a cut-off device, and link-down types on a
 * down link's far end, are always explained.
 */
export interface SymptomMatcher {
  link(type: string): boolean;
  device(type: string): boolean;
}

/** A matcher from the config's type lists, where `*` stands for every type. */
export function symptomMatcher(rules: {
  readonly link: readonly string[];
  readonly device: readonly string[];
}): SymptomMatcher {
  const matches = (patterns: readonly string[]) => {
    const all = patterns.includes('*');
    const types = new Set(patterns);
    return (type: string) => all || types.has(type);
  };
  return { link: matches(rules.link), device: matches(rules.device) };
}

/** Every failure explains every type: the default rules. */
export const EXPLAIN_ALL: SymptomMatcher = { link: () => true, device: () => true };

/** How root-cause analysis decides what a failure explains. */
export interface AnalysisOptions {
  /**
   * An alarm whose first event is older than the failure's first event by more than this cannot
   * have been caused by it (a cold start half a minute before a cut): it stays apart.
   */
  readonly holdMs: number;
  readonly explains: SymptomMatcher;
}

// Without options nothing is too old to be a symptom, and every type is explained.
const DEFAULT_OPTIONS: AnalysisOptions = {
  holdMs: Number.POSITIVE_INFINITY,
  explains: EXPLAIN_ALL,
};

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

/** Hops from the nearest topology root to each device of the topology, over any link. */
function distances(
  roots: readonly string[],
  adjacency: ReadonlyMap<string, readonly { link: TopologyLink; other: string }[]>,
): Map<string, number> {
  const hops = new Map(roots.map((root) => [root, 0]));
  const queue = [...roots];
  for (let device = queue.shift(); device !== undefined; device = queue.shift()) {
    const next = (hops.get(device) ?? 0) + 1;
    for (const { other } of adjacency.get(device) ?? []) {
      if (hops.has(other)) continue;
      hops.set(other, next);
      queue.push(other);
    }
  }
  return hops;
}

function reach(
  roots: readonly string[],
  adjacency: ReadonlyMap<string, readonly { link: TopologyLink; other: string }[]>,
  linkUp: (link: TopologyLink) => boolean,
  deviceUp: (device: string) => boolean,
): Set<string> {
  const seen = new Set<string>();
  const queue = roots.filter((root) => adjacency.has(root) && deviceUp(root));
  for (const root of queue) seen.add(root);
  for (let device = queue.shift(); device !== undefined; device = queue.shift()) {
    for (const { link, other } of adjacency.get(device) ?? []) {
      if (seen.has(other) || !linkUp(link) || !deviceUp(other)) continue;
      seen.add(other);
      queue.push(other);
    }
  }
  return seen;
}

/**
 * Root-cause analysis over the open alarms. A link is down when an open link-down alarm names
 * either end; a device is down when an open device-down alarm names it. Devices are reached from
 * the topology roots over links and devices that are up, so a device is cut off only when every
 * path to it is down (redundancy). The cut-off devices fall into groups (connected by any link);
 * each group's roots are the alarms on the failed elements at its edge (a down link whose other
 * end is reached, or a down device next to a reached one), and the alarms its failures explain are
 * its symptoms: on the cut-off devices, on both ends of its down links, on its down devices. A
 * down link that cuts nothing off, or a down port outside the topology, explains what is on its
 * ends; a down device outside the topology what is on itself. What a failure explains is bounded
 * by `options`: the rule table of types, and time (nothing whose first event came more than the
 * hold window before the failure's). Every other alarm is a group of its own. Pure.
 */
export function analyzeTopology(
  topology: Topology,
  alarms: readonly TopologyAlarm[],
  options: AnalysisOptions = DEFAULT_OPTIONS,
): FaultGroup[] {
  const sorted = [...alarms].sort(byAge);
  const adjacency = new Map<string, { link: TopologyLink; other: string }[]>();
  const addAdjacent = (device: string, entry: { link: TopologyLink; other: string }) => {
    const list = adjacency.get(device);
    if (list === undefined) adjacency.set(device, [entry]);
    else list.push(entry);
  };
  for (const link of topology.links) {
    addAdjacent(link.a.device, { link, other: link.b.device });
    addAdjacent(link.b.device, { link, other: link.a.device });
  }
  for (const root of topology.roots) if (!adjacency.has(root)) adjacency.set(root, []);
  // Only devices that the roots reach when nothing is down take part in reachability.
  const inTopology = reach(
    topology.roots,
    adjacency,
    () => true,
    () => true,
  );

  const linkByEnd = new Map<string, TopologyLink>();
  for (const link of topology.links) {
    linkByEnd.set(endName(link.a), link);
    linkByEnd.set(endName(link.b), link);
  }
  const linkAlarms = new Map<string, TopologyAlarm[]>();
  const deviceAlarms = new Map<string, TopologyAlarm[]>();
  const linkOf = new Map<string, TopologyLink>();
  const alarmsOnPort = new Map<string, TopologyAlarm[]>();
  const alarmsOnDevice = new Map<string, TopologyAlarm[]>();
  for (const alarm of sorted) {
    alarmsOnDevice.set(alarm.device, [...(alarmsOnDevice.get(alarm.device) ?? []), alarm]);
    if (alarm.component !== null) {
      const port = `${alarm.device}:${alarm.component}`;
      alarmsOnPort.set(port, [...(alarmsOnPort.get(port) ?? []), alarm]);
    }
    if (!inTopology.has(alarm.device)) continue;
    if (LINK_DOWN_TYPES.has(alarm.type) && alarm.component !== null) {
      const link = linkByEnd.get(`${alarm.device}:${alarm.component}`);
      if (link !== undefined) {
        linkOf.set(alarm.id, link);
        linkAlarms.set(link.id, [...(linkAlarms.get(link.id) ?? []), alarm]);
      }
    } else if (DEVICE_DOWN_TYPES.has(alarm.type)) {
      deviceAlarms.set(alarm.device, [...(deviceAlarms.get(alarm.device) ?? []), alarm]);
    }
  }
  const reached = reach(
    topology.roots,
    adjacency,
    (link) => !linkAlarms.has(link.id),
    (device) => !deviceAlarms.has(device),
  );

  // Cut-off devices, grouped by connection over any link.
  const cutOff = [...inTopology].filter((device) => !reached.has(device)).sort();
  const componentOf = new Map<string, number>();
  const components: string[][] = [];
  for (const start of cutOff) {
    if (componentOf.has(start)) continue;
    const index = components.length;
    const members: string[] = [start];
    componentOf.set(start, index);
    // An array iterator sees the members pushed while it runs: a breadth-first walk.
    for (const member of members) {
      for (const { other } of adjacency.get(member) ?? []) {
        if (reached.has(other) || componentOf.has(other) || !inTopology.has(other)) continue;
        componentOf.set(other, index);
        members.push(other);
      }
    }
    components.push(members.sort());
  }

  const claimed = new Set<string>();
  const groups: FaultGroup[] = [];
  const servicesOn = (devices: ReadonlySet<string>, ports: ReadonlySet<string>) =>
    topology.services
      .filter((s) => devices.has(s.device) || ports.has(`${s.device}:${s.interface}`))
      .sort((x, y) =>
        x.customerId === y.customerId
          ? x.serviceId.localeCompare(y.serviceId)
          : x.customerId.localeCompare(y.customerId),
      );
  /** Whether an alarm came late enough for failures first seen at `sinceMs` to have caused it. */
  const after = (alarm: TopologyAlarm, sinceMs: number) =>
    alarm.firstSeenMs >= sinceMs - options.holdMs;
  /**
   * Claims, as symptoms, the unclaimed alarms on a failed port that the link rules say it explains
   * and that came after the failure.
   */
  const claimOnPort = (
    symptoms: Map<string, string>,
    port: string,
    sinceMs: number,
    explanation: (alarm: TopologyAlarm) => string,
  ) => {
    for (const alarm of alarmsOnPort.get(port) ?? []) {
      if (claimed.has(alarm.id) || !after(alarm, sinceMs)) continue;
      if (!LINK_DOWN_TYPES.has(alarm.type) && !options.explains.link(alarm.type)) continue;
      symptoms.set(alarm.id, explanation(alarm));
      claimed.add(alarm.id);
    }
  };
  // An explanation names the alarm by its place and type (its description is shown beside it).
  const onPort = (alarm: TopologyAlarm, port: string) => `${port} ${alarm.type}: the port is down`;
  const onLink = (alarm: TopologyAlarm, link: string) =>
    `${alarm.device}:${alarm.component ?? ''} ${alarm.type}: the link ${link} is down`;

  for (const members of components) {
    const memberSet = new Set(members);
    // Edge failures: down links from a reached device into the group; down devices of the group
    // next to a reached device over an up link, or down topology roots.
    const edgeLinks = topology.links.filter(
      (link) =>
        linkAlarms.has(link.id) &&
        ((reached.has(link.a.device) && memberSet.has(link.b.device)) ||
          (reached.has(link.b.device) && memberSet.has(link.a.device))),
    );
    const edgeDevices = members.filter(
      (device) =>
        deviceAlarms.has(device) &&
        (topology.roots.includes(device) ||
          (adjacency.get(device) ?? []).some(
            ({ link, other }) => reached.has(other) && !linkAlarms.has(link.id),
          )),
    );
    const reachedEnd = (link: TopologyLink) => (reached.has(link.a.device) ? link.a : link.b);
    const rootAlarms: TopologyAlarm[] = [];
    const symptoms = new Map<string, string>();
    const edgeNames: string[] = [];
    for (const link of edgeLinks) {
      const near = reachedEnd(link);
      edgeNames.push(endName(near));
      const onLink = linkAlarms.get(link.id) ?? [];
      const nearAlarms = onLink.filter((a) => a.device === near.device);
      const primary = nearAlarms[0] ?? onLink[0];
      if (primary !== undefined) rootAlarms.push(primary);
    }
    for (const device of edgeDevices) {
      edgeNames.push(device);
      const first = deviceAlarms.get(device)?.[0];
      if (first !== undefined) rootAlarms.push(first);
    }
    if (rootAlarms.length === 0) continue; // a cut with no alarm yet: nothing to report
    rootAlarms.sort(byAge);
    const sinceMs = rootAlarms[0]?.firstSeenMs ?? 0;
    for (const alarm of rootAlarms) claimed.add(alarm.id);

    const explain = (device: string): string => {
      const uplinks = edgeLinks
        .filter((link) => link.a.device === device || link.b.device === device)
        .map((link) => endName(reachedEnd(link)));
      if (edgeDevices.includes(device)) return `${device} is down`;
      if (uplinks.length > 0) {
        const all = uplinks.length === edgeLinks.length && edgeDevices.length === 0;
        const noun = uplinks.length === 1 ? 'uplink' : 'uplinks';
        const verb = uplinks.length === 1 ? 'is' : 'are';
        return `${device} unreachable: its ${all ? 'only ' : ''}${noun}, ${listNames(uplinks)}, ${verb} down`;
      }
      const gateways = members.filter(
        (m) =>
          edgeDevices.includes(m) ||
          edgeLinks.some((link) => link.a.device === m || link.b.device === m),
      );
      if (edgeLinks.length === 0) {
        const verb = edgeDevices.length === 1 ? 'is' : 'are';
        return `${device} unreachable: cut off behind ${listNames(edgeDevices)}, which ${verb} down`;
      }
      if (edgeDevices.length === 0) {
        return `${device} unreachable: cut off behind ${listNames(gateways)}, whose uplinks ${listNames(edgeNames)} are down`;
      }
      return `${device} unreachable: cut off, ${listNames(edgeNames)} are down`;
    };

    // Both ends of the edge links: the far end's link-down and what the rules say a down port
    // explains (loss of light, thresholds).
    for (const link of edgeLinks) {
      const near = reachedEnd(link);
      const far = near === link.a ? link.b : link.a;
      claimOnPort(symptoms, endName(far), sinceMs, (alarm) =>
        LINK_DOWN_TYPES.has(alarm.type)
          ? `${endName(far)} is the far end of ${endName(near)}, which is down`
          : onLink(alarm, `${endName(near)}--${endName(far)}`),
      );
      claimOnPort(symptoms, endName(near), sinceMs, (alarm) =>
        LINK_DOWN_TYPES.has(alarm.type)
          ? `${endName(near)} is down with its link`
          : onLink(alarm, `${endName(near)}--${endName(far)}`),
      );
    }
    // Everything else on the cut-off devices that came after the cut: unreachable, and whatever
    // the device rules say a device that is down or cut off explains.
    const ports = new Set<string>();
    for (const alarm of sorted) {
      if (rootAlarms.includes(alarm) && alarm.component !== null)
        ports.add(`${alarm.device}:${alarm.component}`);
      if (claimed.has(alarm.id) || !memberSet.has(alarm.device) || !after(alarm, sinceMs)) continue;
      if (!DEVICE_DOWN_TYPES.has(alarm.type) && !options.explains.device(alarm.type)) continue;
      symptoms.set(alarm.id, explain(alarm.device));
      claimed.add(alarm.id);
    }
    groups.push({
      rootAlarmIds: rootAlarms.map((a) => a.id),
      symptoms,
      cutOffDevices: members,
      impactedServices: servicesOn(memberSet, ports),
      rootElements: edgeNames.sort(),
    });
  }

  // Down ports that cut nothing off: a link with redundancy, or a port outside the topology (a
  // customer port). One group per port or link, its other alarms and the far end's symptoms. Of a
  // link's two ends, the one nearer the topology roots names it (both ends' traps often come in
  // the same millisecond: age alone would leave it to chance).
  const hops = distances(topology.roots, adjacency);
  const nearFirst = (a: TopologyAlarm, b: TopologyAlarm) =>
    (hops.get(a.device) ?? Number.POSITIVE_INFINITY) -
      (hops.get(b.device) ?? Number.POSITIVE_INFINITY) || byAge(a, b);
  const portFailures = sorted.filter((a) => LINK_DOWN_TYPES.has(a.type)).sort(nearFirst);
  for (const alarm of portFailures) {
    if (claimed.has(alarm.id) || !LINK_DOWN_TYPES.has(alarm.type) || alarm.component === null)
      continue;
    claimed.add(alarm.id);
    const port = `${alarm.device}:${alarm.component}`;
    const link = linkOf.get(alarm.id);
    const symptoms = new Map<string, string>();
    claimOnPort(symptoms, port, alarm.firstSeenMs, (other) =>
      LINK_DOWN_TYPES.has(other.type) ? `${port} is down (repeated)` : onPort(other, port),
    );
    if (link !== undefined) {
      const far = endName(link.a) === port ? link.b : link.a;
      claimOnPort(symptoms, endName(far), alarm.firstSeenMs, (other) =>
        LINK_DOWN_TYPES.has(other.type)
          ? `${endName(far)} is the other end of ${port}, which is down`
          : onLink(other, `${port}--${endName(far)}`),
      );
    }
    groups.push({
      rootAlarmIds: [alarm.id],
      symptoms,
      cutOffDevices: [],
      impactedServices: servicesOn(new Set(), new Set([port])),
      rootElements: [port],
    });
  }

  // Down devices that cut nothing off (outside the topology): what is on them.
  for (const alarm of sorted) {
    if (claimed.has(alarm.id) || !DEVICE_DOWN_TYPES.has(alarm.type)) continue;
    claimed.add(alarm.id);
    const symptoms = new Map<string, string>();
    for (const other of alarmsOnDevice.get(alarm.device) ?? []) {
      if (claimed.has(other.id) || !after(other, alarm.firstSeenMs)) continue;
      if (!DEVICE_DOWN_TYPES.has(other.type) && !options.explains.device(other.type)) continue;
      symptoms.set(other.id, `${alarm.device} ${other.type}: ${alarm.device} is down`);
      claimed.add(other.id);
    }
    groups.push({
      rootAlarmIds: [alarm.id],
      symptoms,
      cutOffDevices: [],
      impactedServices: servicesOn(new Set([alarm.device]), new Set()),
      rootElements: [alarm.device],
    });
  }

  // Everything else stands alone: its own root.
  for (const alarm of sorted) {
    if (claimed.has(alarm.id)) continue;
    claimed.add(alarm.id);
    groups.push({
      rootAlarmIds: [alarm.id],
      symptoms: new Map(),
      cutOffDevices: [],
      impactedServices: [],
      rootElements: [
        alarm.component === null ? alarm.device : `${alarm.device}:${alarm.component}`,
      ],
    });
  }
  return groups.sort((x, y) => {
    const a = x.rootAlarmIds[0] ?? '';
    const b = y.rootAlarmIds[0] ?? '';
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
