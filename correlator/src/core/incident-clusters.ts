import type { Incident } from '@faultline/shared';
import type { FaultGroup } from './topology.js';

/** The fault groups that make one incident, and the unresolved incidents they continue. */
export interface Cluster {
  readonly groups: readonly FaultGroup[];
  /** Oldest first: the first keeps its id, the others are merged into it. */
  readonly incidents: readonly Incident[];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Incidents oldest first (then by id): the order that decides which one keeps its id. */
export function byOpening(a: Incident, b: Incident): number {
  return a.openedAt !== b.openedAt ? compareText(a.openedAt, b.openedAt) : compareText(a.id, b.id);
}

/**
 * Which unresolved incident each fault group continues. Identity follows the root cause: a group
 * continues an incident when one of its roots is one of the incident's roots, or raises again a
 * root's reduction key (a flap). A group whose symptoms include an incident's root takes that
 * incident over: the new root explains it (the analysis never makes an older alarm a symptom of
 * a younger failure). Symptoms alone never tie a group to an incident, so an alarm that once sat
 * in an incident never drags a new fault into it. Groups that continue the same incident are one
 * cluster; a cluster that continues several incidents keeps the oldest. Pure.
 */
export function clusterGroups(
  groups: readonly FaultGroup[],
  incidents: readonly Incident[],
  keyOf: (alarmId: string) => string,
  rootKeysOf: (incident: Incident) => readonly string[],
): Cluster[] {
  const byRootAlarm = new Map<string, Incident>();
  const byRootKey = new Map<string, Incident>();
  for (const incident of [...incidents].sort(byOpening).reverse()) {
    for (const id of incident.rootAlarmIds) byRootAlarm.set(id, incident);
    for (const key of rootKeysOf(incident)) byRootKey.set(key, incident);
  }
  // Union-find over group indexes, joined through the incidents they continue.
  const parent = groups.map((_, index) => index);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] ?? root;
    return root;
  };
  const groupOfIncident = new Map<string, number>();
  const matched: Incident[][] = groups.map((group) => {
    const found = new Map<string, Incident>();
    for (const id of group.rootAlarmIds) {
      const incident = byRootAlarm.get(id) ?? byRootKey.get(keyOf(id));
      if (incident !== undefined) found.set(incident.id, incident);
    }
    for (const id of group.symptoms.keys()) {
      const incident = byRootAlarm.get(id);
      if (incident !== undefined) found.set(incident.id, incident);
    }
    return [...found.values()];
  });
  matched.forEach((incidentsOfGroup, index) => {
    for (const incident of incidentsOfGroup) {
      const seen = groupOfIncident.get(incident.id);
      if (seen === undefined) groupOfIncident.set(incident.id, index);
      else parent[find(index)] = find(seen);
    }
  });
  const clusters = new Map<number, { groups: FaultGroup[]; incidents: Map<string, Incident> }>();
  groups.forEach((group, index) => {
    const root = find(index);
    const cluster = clusters.get(root) ?? { groups: [], incidents: new Map<string, Incident>() };
    cluster.groups.push(group);
    for (const incident of matched[index] ?? []) cluster.incidents.set(incident.id, incident);
    clusters.set(root, cluster);
  });
  return [...clusters.values()]
    .map((cluster) => ({
      groups: cluster.groups,
      incidents: [...cluster.incidents.values()].sort(byOpening),
    }))
    .sort((a, b) =>
      compareText(a.groups[0]?.rootAlarmIds[0] ?? '', b.groups[0]?.rootAlarmIds[0] ?? ''),
    );
}
