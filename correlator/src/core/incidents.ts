import {
  severityRank,
  worseSeverity,
  type ImpactedService,
  type Incident,
  type IncidentChange,
  type Severity,
} from '@faultline/shared';
import { analyzeTopology, type FaultGroup, type Topology, type TopologyAlarm } from './topology.js';
import { incidentIdFor, incidentTitle, ticketIdFor } from './incident-naming.js';
import type { MaintenanceNow } from './maintenance.js';

/** An open alarm as correlation sees it. */
export interface CorrelationAlarm extends TopologyAlarm {
  readonly severity: Severity;
  readonly description: string;
  /** When the correlator first recorded it: the hold window runs from here. */
  readonly raisedAtMs: number;
  readonly causedBy: string | null;
  readonly explanation: string | null;
  readonly incidentId: string | null;
  /** Maintenance windows it fell in when last correlated (comma-separated names), or null. */
  readonly maintenance?: string | null;
  /** Its reduction key (for flapping); the alarm id stands in when absent. */
  readonly reductionKey?: string;
}

/** An open outage of a customer service. */
export interface OpenOutage {
  readonly incidentId: string;
  readonly customerId: string;
  readonly serviceId: string;
}

/** Everything one correlation step reads. */
export interface CorrelationInput {
  readonly topology: Topology;
  /** Every alarm that is not cleared. */
  readonly alarms: readonly CorrelationAlarm[];
  /** Every incident that is not resolved. */
  readonly incidents: readonly Incident[];
  readonly outages: readonly OpenOutage[];
  readonly nowMs: number;
  /** How long a new alarm is held before it may open an incident. */
  readonly holdMs: number;
  /** The maintenance windows on now; none when absent. */
  readonly maintenance?: MaintenanceNow;
  /** Reduction keys raised `correlation.flapCount` times or more within the flap window. */
  readonly flappingKeys?: ReadonlySet<string>;
  /** The reduction keys of each unresolved incident's root alarms, cleared ones included. */
  readonly incidentRootKeys?: ReadonlyMap<string, readonly string[]>;
}

/** New root cause annotations of one alarm. */
export interface AlarmAnnotation {
  readonly alarmId: string;
  readonly causedBy: string | null;
  readonly explanation: string | null;
  readonly incidentId: string | null;
  readonly ticketId: string | null;
  readonly maintenance: string | null;
}

/** An outage to open. */
export interface OutageOpening extends OpenOutage {
  readonly ticketId: string;
  readonly rootAlarmId: string;
  readonly rootCause: string;
  readonly startedAtMs: number;
  readonly inMaintenance: boolean;
}

/** What one correlation step decided. Applying it makes the next step decide nothing new. */
export interface CorrelationPlan {
  /** Alarms whose causedBy, explanation or incident changed. */
  readonly annotations: readonly AlarmAnnotation[];
  /** Incidents created, changed or resolved, in their new state, with what happened. */
  readonly changes: readonly IncidentChange[];
  /**
   * The changes tickets and pushes must hear about: none while an incident is in maintenance;
   * `opened` when it is first announced (when it opens, or when its maintenance ends); a resolve
   * only for an incident that was announced.
   */
  readonly announcements: readonly IncidentChange[];
  readonly outagesOpened: readonly OutageOpening[];
  readonly outagesClosed: readonly OpenOutage[];
  /** When a held group becomes due, if any is waiting: the next step should run by then. */
  readonly nextDueMs: number | undefined;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function serviceKey(s: ImpactedService): string {
  return `${s.customerId}/${s.serviceId}`;
}

interface Cluster {
  groups: FaultGroup[];
  incidents: Incident[];
}

/**
 * One correlation step, pure. Root-cause analysis groups the open alarms by fault; groups whose
 * alarms already belong to one incident stay together (so a fault keeps its incident while its
 * alarms come and go, and one incident never splits into new pushes when its root clears first).
 * A cluster of groups with no incident opens one once its primary root has been held `holdMs`;
 * a cluster that reaches several incidents keeps the oldest and resolves the others as merged;
 * an incident whose alarms have all cleared is resolved. A group whose primary root belonged to an
 * incident resolved by hand opens nothing. Outages follow each incident's impacted
 * services.
 */
export function planCorrelation(input: CorrelationInput): CorrelationPlan {
  const { nowMs } = input;
  const now = new Date(nowMs).toISOString();
  const alarmsById = new Map(input.alarms.map((a) => [a.id, a]));
  const groups = analyzeTopology(input.topology, input.alarms);
  const openIncidents = [...input.incidents].sort((a, b) =>
    a.openedAt !== b.openedAt ? compareText(a.openedAt, b.openedAt) : compareText(a.id, b.id),
  );
  const incidentById = new Map(openIncidents.map((i) => [i.id, i]));

  // Cluster groups that share an incident (union-find on group index).
  const parent = groups.map((_, index) => index);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] ?? root;
    return root;
  };
  // A flapping key's new alarm rejoins the incident its earlier alarms opened.
  const flapping = input.flappingKeys ?? new Set<string>();
  const keyOf = (id: string) => alarmsById.get(id)?.reductionKey ?? id;
  const incidentOfFlappingKey = new Map<string, string>();
  for (const [incidentId, keys] of input.incidentRootKeys ?? new Map<string, string[]>()) {
    if (!incidentById.has(incidentId)) continue;
    for (const key of keys) if (flapping.has(key)) incidentOfFlappingKey.set(key, incidentId);
  }
  const isFlappingIncident = (incidentId: string) =>
    (input.incidentRootKeys?.get(incidentId) ?? []).some((key) => flapping.has(key));
  const groupsOfIncident = new Map<string, number>();
  groups.forEach((group, index) => {
    for (const id of [...group.rootAlarmIds, ...group.symptoms.keys()]) {
      const incidentId = alarmsById.get(id)?.incidentId ?? incidentOfFlappingKey.get(keyOf(id));
      if (incidentId === undefined || !incidentById.has(incidentId)) continue;
      const seen = groupsOfIncident.get(incidentId);
      if (seen === undefined) groupsOfIncident.set(incidentId, index);
      else parent[find(index)] = find(seen);
    }
  });
  const clusters = new Map<number, Cluster>();
  groups.forEach((group, index) => {
    const root = find(index);
    const cluster = clusters.get(root) ?? { groups: [], incidents: [] };
    cluster.groups.push(group);
    clusters.set(root, cluster);
  });
  for (const [incidentId, index] of groupsOfIncident) {
    const incident = incidentById.get(incidentId);
    if (incident !== undefined) clusters.get(find(index))?.incidents.push(incident);
  }

  const serviceById = new Map(input.topology.services.map((s) => [serviceKey(s), s]));
  const serviceInMaintenance = (service: ImpactedService): boolean => {
    const ref = serviceById.get(serviceKey(service));
    if (ref === undefined || input.maintenance === undefined) return false;
    return input.maintenance.service(ref.serviceId, ref.device, ref.interface).length > 0;
  };
  const resolveInto = (incident: Incident, resolution: string): void => {
    const change = resolve(incident, resolution, now);
    changes.push(change);
    if (incident.announced) announcements.push(change);
  };
  const windowsOf = (alarm: CorrelationAlarm): string | null => {
    const names = input.maintenance?.alarm(alarm.device, alarm.component) ?? [];
    return names.length === 0 ? null : names.join(',');
  };
  const annotations: AlarmAnnotation[] = [];
  const changes: IncidentChange[] = [];
  const announcements: IncidentChange[] = [];
  const outagesOpened: OutageOpening[] = [];
  const outagesClosed: OpenOutage[] = [];
  const claimedIncidents = new Set<string>();
  let nextDueMs: number | undefined;
  const openOutagesOf = (incidentId: string) =>
    input.outages.filter((o) => o.incidentId === incidentId);

  const annotate = (
    alarmId: string,
    causedBy: string | null,
    explanation: string | null,
    incidentId: string | null,
  ) => {
    const alarm = alarmsById.get(alarmId);
    if (alarm === undefined) return;
    // An alarm keeps the incident it belonged to, even while it waits in a held group.
    const kept = incidentId ?? alarm.incidentId;
    const maintenance = windowsOf(alarm);
    if (
      alarm.causedBy === causedBy &&
      alarm.explanation === explanation &&
      alarm.incidentId === kept &&
      (alarm.maintenance ?? null) === maintenance
    )
      return;
    annotations.push({
      alarmId,
      causedBy,
      explanation,
      incidentId: kept,
      ticketId: kept === null ? null : ticketIdFor(kept),
      maintenance,
    });
  };

  const orderedClusters = [...clusters.values()].sort((a, b) =>
    compareText(a.groups[0]?.rootAlarmIds[0] ?? '', b.groups[0]?.rootAlarmIds[0] ?? ''),
  );
  for (const cluster of orderedClusters) {
    const rootAlarms = cluster.groups
      .flatMap((g) => g.rootAlarmIds)
      .map((id) => alarmsById.get(id))
      .filter((a): a is CorrelationAlarm => a !== undefined)
      .sort((a, b) =>
        a.firstSeenMs !== b.firstSeenMs ? a.firstSeenMs - b.firstSeenMs : compareText(a.id, b.id),
      );
    const memberIds = cluster.groups.flatMap((g) => [...g.rootAlarmIds, ...g.symptoms.keys()]);
    const [keeper, ...merged] = cluster.incidents.sort((a, b) =>
      a.openedAt !== b.openedAt ? compareText(a.openedAt, b.openedAt) : compareText(a.id, b.id),
    );
    const primary =
      keeper !== undefined && rootAlarms.some((a) => a.id === keeper.primaryAlarmId)
        ? alarmsById.get(keeper.primaryAlarmId)
        : keeper === undefined
          ? (rootAlarms.find((a) => a.incidentId === null) ?? rootAlarms[0])
          : rootAlarms[0];
    if (primary === undefined) continue;

    let incidentId: string | null = keeper?.id ?? null;
    if (keeper === undefined) {
      const dueMs = primary.raisedAtMs + input.holdMs;
      if (primary.incidentId !== null) {
        // Its root already belonged to an incident that someone resolved by hand: stay quiet
        // until the alarm clears (a fault that returns is a new alarm, and a new incident).
        incidentId = null;
      } else if (dueMs > nowMs) {
        // Held: annotate symptoms now, open nothing yet.
        nextDueMs = nextDueMs === undefined ? dueMs : Math.min(nextDueMs, dueMs);
        incidentId = null;
      } else {
        incidentId = incidentIdFor(primary.id);
      }
    }

    // Annotations: symptoms point at their group's primary root; roots carry no cause.
    for (const group of cluster.groups) {
      const groupPrimary = group.rootAlarmIds[0] ?? null;
      for (const id of group.rootAlarmIds) annotate(id, null, null, incidentId);
      for (const [id, explanation] of group.symptoms)
        annotate(id, groupPrimary, explanation, incidentId);
    }
    if (incidentId === null) continue;
    claimedIncidents.add(incidentId);

    const rootElements = [...new Set(cluster.groups.flatMap((g) => g.rootElements))].sort();
    const cutOff = [...new Set(cluster.groups.flatMap((g) => g.cutOffDevices))].sort();
    const services = new Map<string, ImpactedService>();
    for (const group of cluster.groups)
      for (const s of group.impactedServices)
        services.set(serviceKey(s), { customerId: s.customerId, serviceId: s.serviceId });
    const impactedServices = [...services.values()].sort((a, b) =>
      compareText(serviceKey(a), serviceKey(b)),
    );
    const severity = memberIds
      .map((id) => alarmsById.get(id)?.severity)
      .reduce<Severity>(
        (worst, s) => (s === undefined ? worst : worseSeverity(worst, s)),
        'normal',
      );
    const flaps = rootAlarms.some((a) => flapping.has(a.reductionKey ?? a.id));
    const title = `${incidentTitle(rootAlarms, rootElements, cutOff)}${flaps ? ' (flapping)' : ''}`;
    const rootAlarmIds = [
      primary.id,
      ...rootAlarms.map((a) => a.id).filter((id) => id !== primary.id),
    ];
    const ticketId = ticketIdFor(incidentId);
    const inMaintenance = rootAlarms.length > 0 && rootAlarms.every((a) => windowsOf(a) !== null);

    if (keeper === undefined) {
      const incident: Incident = {
        id: incidentId,
        state: 'open',
        title,
        severity,
        primaryAlarmId: primary.id,
        rootAlarmIds,
        alarmIds: [...memberIds].sort(),
        cutOffDevices: cutOff,
        impactedServices,
        ticketId,
        openedAt: now,
        updatedAt: now,
        resolvedAt: null,
        resolution: null,
        acknowledgedBy: null,
        assignee: null,
        inMaintenance,
        announced: !inMaintenance,
        version: 1,
      };
      changes.push({ kind: 'opened', incident });
      if (incident.announced) announcements.push({ kind: 'opened', incident });
    } else {
      const alarmIds = [...new Set([...keeper.alarmIds, ...memberIds])].sort();
      // Each flap is a new alarm of the same key: that alone is no news for the ticket.
      // (Cleared root alarms are no longer loaded: their keys come with the incident.)
      const sameRootKeys = sameList(
        [
          ...new Set(input.incidentRootKeys?.get(keeper.id) ?? keeper.rootAlarmIds.map(keyOf)),
        ].sort(),
        [...new Set(rootAlarmIds.map(keyOf))].sort(),
      );
      const onlyFlaps = (before: readonly string[], after: readonly string[]) =>
        after.filter((id) => !before.includes(id)).every((id) => flapping.has(keyOf(id)));
      const changed =
        keeper.title !== title ||
        keeper.severity !== severity ||
        !(
          sameList(keeper.rootAlarmIds, rootAlarmIds) ||
          (sameRootKeys && onlyFlaps(keeper.rootAlarmIds, rootAlarmIds))
        ) ||
        !(sameList(keeper.alarmIds, alarmIds) || onlyFlaps(keeper.alarmIds, alarmIds)) ||
        !sameList(keeper.cutOffDevices, cutOff) ||
        keeper.inMaintenance !== inMaintenance ||
        !sameList(keeper.impactedServices.map(serviceKey), impactedServices.map(serviceKey));
      if (changed) {
        // A worse severity needs a fresh look even if someone acknowledged the milder fault.
        const escalated = severityRank(severity) > severityRank(keeper.severity);
        const incident: Incident = {
          ...keeper,
          ...(escalated ? { state: 'open' as const, acknowledgedBy: null } : {}),
          title,
          severity,
          primaryAlarmId: primary.id,
          rootAlarmIds,
          alarmIds,
          cutOffDevices: cutOff,
          impactedServices,
          inMaintenance,
          announced: keeper.announced || !inMaintenance,
          updatedAt: now,
          version: keeper.version + 1,
        };
        changes.push({ kind: 'updated', incident });
        // Out of maintenance for the first time: now it is news.
        if (keeper.announced) announcements.push({ kind: 'updated', incident });
        else if (incident.announced) announcements.push({ kind: 'opened', incident });
      }
    }

    // Outages follow the impacted services.
    const open = openOutagesOf(incidentId);
    const wanted = new Set(impactedServices.map(serviceKey));
    for (const outage of open) if (!wanted.has(serviceKey(outage))) outagesClosed.push(outage);
    const have = new Set(open.map(serviceKey));
    const startedAtMs = Math.min(...rootAlarms.map((a) => a.firstSeenMs), nowMs);
    for (const service of impactedServices) {
      if (have.has(serviceKey(service))) continue;
      outagesOpened.push({
        incidentId,
        customerId: service.customerId,
        serviceId: service.serviceId,
        ticketId,
        rootAlarmId: primary.id,
        rootCause: title,
        startedAtMs: keeper === undefined ? startedAtMs : nowMs,
        inMaintenance: inMaintenance || serviceInMaintenance(service),
      });
    }

    for (const other of merged) {
      claimedIncidents.add(other.id);
      resolveInto(other, `merged into ${incidentId}`);
      outagesClosed.push(...openOutagesOf(other.id));
    }
  }

  // Incidents none of whose alarms is open any more.
  for (const incident of openIncidents) {
    if (claimedIncidents.has(incident.id)) continue;
    // A flapping fault stays one open incident until its key has been quiet for the flap window.
    if (isFlappingIncident(incident.id)) continue;
    resolveInto(incident, 'all alarms cleared');
    outagesClosed.push(...openOutagesOf(incident.id));
  }
  return { annotations, changes, announcements, outagesOpened, outagesClosed, nextDueMs };
}

function resolve(incident: Incident, resolution: string, now: string): IncidentChange {
  return {
    kind: 'resolved',
    incident: {
      ...incident,
      state: 'resolved',
      updatedAt: now,
      resolvedAt: now,
      resolution,
      version: incident.version + 1,
    },
  };
}
