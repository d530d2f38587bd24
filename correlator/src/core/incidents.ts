import {
  severityRank,
  worseSeverity,
  type ImpactedService,
  type Incident,
  type IncidentChange,
  type Severity,
} from '@faultline/shared';
import { clusterGroups, type Cluster } from './incident-clusters.js';
import { incidentIdFor, incidentTitle, ticketIdFor } from './incident-naming.js';
import { PAGE_EVERYTHING, type AlarmPolicy } from './incident-policy.js';
import type { MaintenanceNow } from './maintenance.js';
import {
  analyzeTopology,
  EXPLAIN_ALL,
  type AnalysisOptions,
  type FaultGroup,
  type SymptomMatcher,
  type Topology,
  type TopologyAlarm,
} from './topology.js';

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
  /** The flap count last written on it (0 or absent when its key does not flap). */
  readonly flapCount?: number;
}

/** A root alarm of an incident that has cleared. */
export interface ClearedRootAlarm extends TopologyAlarm {
  readonly clearedAtMs: number;
}

/** An open outage of a customer service. */
export interface OpenOutage {
  readonly incidentId: string;
  readonly customerId: string;
  readonly serviceId: string;
}

/** The raises of one reduction key within the flap window. */
export interface KeyFlaps {
  readonly count: number;
  readonly lastRaisedMs: number;
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
  /** Which alarms page (open incidents); every alarm when absent. */
  readonly policy?: AlarmPolicy;
  /** What failed elements explain; everything when absent. */
  readonly explains?: SymptomMatcher;
  /** Raises of each reduction key raised within the flap window. */
  readonly flaps?: ReadonlyMap<string, KeyFlaps>;
  /** Raises within the window that make a key flapping (never when absent). */
  readonly flapCount?: number;
  readonly flapWindowMs?: number;
  /**
   * Resolved incidents that still matter: those resolved within the flap window (a root raised
   * again re-opens its incident) and those an open alarm still names (its symptoms recovering).
   */
  readonly resolved?: readonly Incident[];
  /**
   * The root alarms that have cleared, of the incidents in `incidents` and `resolved`, with when
   * they cleared: what they explain may still come late.
   */
  readonly clearedRootAlarms?: readonly ClearedRootAlarm[];
  /** The reduction keys of each incident's root alarms (of `incidents` and `resolved`), cleared ones included. */
  readonly incidentRootKeys?: ReadonlyMap<string, readonly string[]>;
  /**
   * How long an alarm that was a symptom stays with its incident after the root cleared (a device
   * waiting for its next poll); 0 when absent.
   */
  readonly recoveryMs?: number;
  /**
   * Cleared alarms raised within the flap window that are in no incident: flaps too short for any
   * step to see them open (or held until they cleared). The incident of their key adopts them.
   */
  readonly earlierFlaps?: readonly CorrelationAlarm[];
}

/** New annotations of one alarm. */
export interface AlarmAnnotation {
  readonly alarmId: string;
  readonly causedBy: string | null;
  readonly explanation: string | null;
  readonly incidentId: string | null;
  readonly ticketId: string | null;
  readonly maintenance: string | null;
  /** Raises of its key within the flap window when 2 or more, else 0. */
  readonly flapCount: number;
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
  /** Alarms whose causedBy, explanation, incident or flap count changed. */
  readonly annotations: readonly AlarmAnnotation[];
  /** Incidents created, changed or resolved, in their new state, with what happened. */
  readonly changes: readonly IncidentChange[];
  /**
   * The changes tickets and pushes must hear about: none while an incident is in maintenance;
   * `opened` when it is first announced (when it opens, or when its maintenance ends); a resolve
   * only for an incident that was announced; an update only when it is news (not a repeat flap).
   */
  readonly announcements: readonly IncidentChange[];
  readonly outagesOpened: readonly OutageOpening[];
  readonly outagesClosed: readonly OpenOutage[];
  /** When something waiting becomes due (a hold, a recovery, a flap window): step by then. */
  readonly nextDueMs: number | undefined;
}

/** The resolution of an incident whose root alarms all cleared. */
export const ROOT_CLEARED = 'root cause cleared';
/** The resolution of a flapping incident that stayed quiet for a whole flap window. */
export function stableResolution(windowMs: number): string {
  return `stable: no raise for ${String(Math.round(windowMs / 1000))} s`;
}
/** Whether an incident resolved by itself (not by hand, not merged into another). */
function resolvedByNetwork(incident: Incident): boolean {
  const resolution = incident.resolution ?? '';
  return resolution === ROOT_CLEARED || resolution.startsWith('stable:');
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

function byAge(a: CorrelationAlarm, b: CorrelationAlarm): number {
  return a.firstSeenMs !== b.firstSeenMs ? a.firstSeenMs - b.firstSeenMs : compareText(a.id, b.id);
}

function listed(items: readonly string[], most = 3): string {
  const shown = items.slice(0, most).join(', ');
  return items.length > most ? `${shown} and ${String(items.length - most)} more` : shown;
}

/**
 * What a cluster of fault groups with no unresolved incident does now:
 * - `reopen` a recently resolved incident whose root key was raised again (a flap);
 * - `quiet`: its root belongs to an incident still open, resolved by hand, or resolved so
 *   recently that it is recovering (waiting for its next poll): no new incident, no new notes;
 * - `record`: no root pages (policy): annotated, shown, but no incident;
 * - `held` until its primary root has waited the hold window (a root arriving meanwhile claims it);
 * - `open` a new incident (at once when its key flaps: flapping is the signal).
 */
type NewFaultDecision =
  | { readonly kind: 'reopen'; readonly incident: Incident }
  | { readonly kind: 'quiet'; readonly untilMs: number | undefined }
  | { readonly kind: 'record' }
  | { readonly kind: 'held'; readonly dueMs: number }
  | { readonly kind: 'open'; readonly primary: CorrelationAlarm };

interface StepContext {
  readonly input: CorrelationInput;
  readonly nowMs: number;
  readonly alarmsById: ReadonlyMap<string, CorrelationAlarm>;
  readonly unresolvedById: ReadonlyMap<string, Incident>;
  readonly resolvedById: ReadonlyMap<string, Incident>;
  readonly policy: AlarmPolicy;
  readonly flapWindowMs: number;
  readonly keyOf: (alarmId: string) => string;
  readonly rootKeysOf: (incident: Incident) => readonly string[];
  readonly flapsOf: (key: string) => KeyFlaps | undefined;
  readonly flapping: (key: string) => boolean;
  /**
   * The earlier flaps of these keys not yet in an incident (nor in `except`), oldest first; each is
   * handed out once per step.
   */
  readonly adoptFlaps: (keys: readonly string[], except: readonly string[]) => CorrelationAlarm[];
}

/** An incident with earlier flaps of its root keys joined to its roots and alarms. */
function withFlaps(incident: Incident, adopted: readonly CorrelationAlarm[]): Incident {
  if (adopted.length === 0) return incident;
  const ids = adopted.map((a) => a.id);
  return {
    ...incident,
    rootAlarmIds: [
      ...incident.rootAlarmIds,
      ...ids.filter((id) => !incident.rootAlarmIds.includes(id)),
    ],
    alarmIds: [...new Set([...incident.alarmIds, ...ids])].sort(),
  };
}

/**
 * How long after a fault cleared an alarm it explains may still come: a poll that started during
 * the fault and timed out after the repair, a telemetry reading taken while the port was dark.
 */
export const LATE_SYMPTOM_MS = 60_000;

/** An alarm that came after its fault cleared, and the incident whose fault it is. */
interface LateSymptom {
  readonly incident: Incident;
  readonly explanation: string;
  /** When a resolved incident's recovery ends; undefined for one still open. */
  readonly untilMs: number | undefined;
}

/**
 * The new alarms (in no incident yet) that an incident's cleared roots explain, first seen at most
 * LATE_SYMPTOM_MS after the last of them cleared: the analysis is run again with those roots still
 * down. They are that incident's symptoms, recovering with it, whether it is still open (part of
 * its fault remains, or it flaps) or was resolved by the network within `recoveryMs`: when the
 * machine is busy, a poll or a reading taken during the fault is reported after the repair. A
 * group of the analysis is late only when one incident explains every new alarm in it; a raise of
 * the incident's own root key is a flap, never late.
 */
function lateSymptoms(
  groups: readonly FaultGroup[],
  ctx: StepContext,
  options: AnalysisOptions,
): Map<string, LateSymptom> {
  const { input, nowMs } = ctx;
  const late = new Map<string, LateSymptom>();
  const pending = groups
    .map((g) =>
      [...g.rootAlarmIds, ...g.symptoms.keys()].filter(
        (id) => ctx.alarmsById.get(id)?.incidentId === null,
      ),
    )
    .filter((ids) => ids.length > 0);
  const cleared = input.clearedRootAlarms ?? [];
  if (pending.length === 0 || cleared.length === 0) return late;
  const candidates = [
    ...ctx.unresolvedById.values(),
    ...[...ctx.resolvedById.values()].filter(resolvedByNetwork),
  ]
    .flatMap((incident) => {
      const faultRoots = cleared.filter((a) => incident.rootAlarmIds.includes(a.id));
      if (faultRoots.length === 0) return [];
      const untilMs =
        incident.state === 'resolved'
          ? Date.parse(incident.resolvedAt ?? '') + (input.recoveryMs ?? 0)
          : undefined;
      if (untilMs !== undefined && nowMs >= untilMs) return [];
      const lastClearedMs = Math.max(...faultRoots.map((a) => a.clearedAtMs));
      return [{ incident, faultRoots, lastClearedMs, untilMs, keys: ctx.rootKeysOf(incident) }];
    })
    .sort((a, b) => b.lastClearedMs - a.lastClearedMs);
  const explained = new Map<string, ReadonlyMap<string, string>>();
  const explainedBy = (candidate: (typeof candidates)[number]): ReadonlyMap<string, string> => {
    const known = explained.get(candidate.incident.id);
    if (known !== undefined) return known;
    const rootIds = new Set(candidate.incident.rootAlarmIds);
    const replay = analyzeTopology(
      input.topology,
      [...candidate.faultRoots, ...input.alarms],
      options,
    );
    const symptoms = new Map(
      replay
        .filter((g) => g.rootAlarmIds.some((id) => rootIds.has(id)))
        .flatMap((g) => [...g.symptoms]),
    );
    explained.set(candidate.incident.id, symptoms);
    return symptoms;
  };
  for (const ids of pending) {
    const alarms = ids.flatMap((id) => {
      const alarm = ctx.alarmsById.get(id);
      return alarm === undefined ? [] : [alarm];
    });
    const candidate = candidates.find(
      (c) =>
        alarms.every(
          (a) =>
            a.firstSeenMs <= c.lastClearedMs + LATE_SYMPTOM_MS && !c.keys.includes(ctx.keyOf(a.id)),
        ) && ids.every((id) => explainedBy(c).has(id)),
    );
    if (candidate === undefined) continue;
    const symptoms = explainedBy(candidate);
    for (const id of ids)
      late.set(id, {
        incident: candidate.incident,
        explanation: `${symptoms.get(id) ?? ''} (recovering)`,
        untilMs: candidate.untilMs,
      });
  }
  return late;
}

function decideNewFault(roots: readonly CorrelationAlarm[], ctx: StepContext): NewFaultDecision {
  const { nowMs, input } = ctx;
  const keys = new Set(roots.map((a) => ctx.keyOf(a.id)));
  const reopen = [...ctx.resolvedById.values()]
    .filter(
      (r) =>
        r.resolution === ROOT_CLEARED &&
        nowMs - Date.parse(r.resolvedAt ?? '') <= ctx.flapWindowMs &&
        ctx.rootKeysOf(r).some((key) => keys.has(key)),
    )
    .sort((a, b) => compareText(b.resolvedAt ?? '', a.resolvedAt ?? ''))[0];
  if (reopen !== undefined) return { kind: 'reopen', incident: reopen };
  // A root that was in no incident yet names the new one (a new failure next to one resolved by
  // hand opens an incident of its own).
  const primary = roots.find((a) => a.incidentId === null) ?? roots[0];
  if (primary === undefined) return { kind: 'record' };
  if (primary.incidentId !== null) {
    if (ctx.unresolvedById.has(primary.incidentId)) return { kind: 'quiet', untilMs: undefined };
    const prior = ctx.resolvedById.get(primary.incidentId);
    // Resolved by hand (or merged): quiet until the alarm clears; a fault that returns is a new
    // alarm, and a new incident. Resolved by the network: its symptoms recover for a while.
    if (prior !== undefined && !resolvedByNetwork(prior))
      return { kind: 'quiet', untilMs: undefined };
    if (prior !== undefined) {
      const untilMs = Date.parse(prior.resolvedAt ?? '') + (input.recoveryMs ?? 0);
      if (nowMs < untilMs) return { kind: 'quiet', untilMs };
    }
  }
  if (!roots.some((a) => ctx.policy.pages(a))) return { kind: 'record' };
  if ([...keys].some((key) => ctx.flapping(key))) return { kind: 'open', primary };
  const dueMs = primary.raisedAtMs + input.holdMs;
  return dueMs > nowMs ? { kind: 'held', dueMs } : { kind: 'open', primary };
}

/** The alarms, cut-off devices and services a cluster stands for now. */
interface ClusterFacts {
  readonly roots: readonly CorrelationAlarm[];
  readonly memberIds: readonly string[];
  readonly symptomExplanations: ReadonlyMap<string, string>;
  readonly rootElements: readonly string[];
  readonly cutOff: readonly string[];
  readonly services: readonly ImpactedService[];
  readonly severity: Severity;
}

function factsOf(cluster: Cluster, ctx: StepContext): ClusterFacts {
  const roots = cluster.groups
    .flatMap((g) => g.rootAlarmIds)
    .map((id) => ctx.alarmsById.get(id))
    .filter((a): a is CorrelationAlarm => a !== undefined)
    .sort(byAge);
  const symptomExplanations = new Map(cluster.groups.flatMap((g) => [...g.symptoms]));
  const services = new Map<string, ImpactedService>();
  for (const group of cluster.groups)
    for (const s of group.impactedServices)
      services.set(serviceKey(s), { customerId: s.customerId, serviceId: s.serviceId });
  return {
    roots,
    memberIds: cluster.groups.flatMap((g) => [...g.rootAlarmIds, ...g.symptoms.keys()]),
    symptomExplanations,
    rootElements: [...new Set(cluster.groups.flatMap((g) => g.rootElements))].sort(),
    cutOff: [...new Set(cluster.groups.flatMap((g) => g.cutOffDevices))].sort(),
    services: [...services.values()].sort((a, b) => compareText(serviceKey(a), serviceKey(b))),
    // The incident is as severe as its root: a symptom never makes the fault look worse.
    severity: roots.reduce<Severity>((worst, a) => worseSeverity(worst, a.severity), 'normal'),
  };
}

/** The flap count an incident shows: raises of its root keys in the window, once it flaps. */
function flapCountOf(
  rootKeys: readonly string[],
  ctx: StepContext,
  flappingBefore: number | undefined,
  reopened: boolean,
): number | undefined {
  const counts = rootKeys.map((key) => ctx.flapsOf(key)?.count ?? 0);
  const now = Math.max(0, ...counts);
  const flaps = rootKeys.some((key) => ctx.flapping(key));
  // Re-opened by its own root raised again: flapping from that first flap.
  if (flappingBefore === undefined && !flaps && !reopened) return undefined;
  return Math.max(2, now, flappingBefore ?? 0);
}

/** The timeline's words for an incident that starts flapping. */
function flappingNews(count: number, windowMs: number): string {
  return `flapping: ${String(count)} raises within ${String(Math.round(windowMs / 1000))} s`;
}

/** The timeline's words for symptoms joining an incident. */
function newSymptomsNews(explanations: readonly string[]): string {
  return `new symptom${explanations.length === 1 ? '' : 's'}: ${listed(explanations)}`;
}

interface IncidentUpdate {
  readonly incident: Incident;
  /** What is news: said in the timeline and the push. */
  readonly news: readonly string[];
  /** What changed without being news (a repeat flap), for the live view only. */
  readonly churn: readonly string[];
  readonly repage: boolean;
  /** Earlier flaps of its root keys that joined it (cleared alarms no step saw open). */
  readonly adopted: readonly CorrelationAlarm[];
}

/**
 * An incident continued (or re-opened) by a cluster. Its identity follows its root: the title and
 * primary change only when a new root takes it over or a new failed element joins its roots, never
 * when roots clear one by one (the fault is healing) nor when a flap raises the same key again.
 * An acknowledgement sticks through every change; a severity that reaches the policy's `repageOn`
 * pages again, and says so.
 */
function continueIncident(
  keeper: Incident,
  facts: ClusterFacts,
  ctx: StepContext,
  reopened: boolean,
): IncidentUpdate {
  // A symptom of this incident that now stands as a root (a device behind a repaired uplink whose
  // next poll has not come yet) is recovering, not a new failed element: it neither joins the roots
  // nor renames the incident.
  const recovering = facts.roots.filter(
    (a) => keeper.alarmIds.includes(a.id) && !keeper.rootAlarmIds.includes(a.id),
  );
  const roots = facts.roots.filter((a) => !recovering.includes(a));
  const recoveringElements = new Set(
    recovering.map((a) => (a.component === null ? a.device : `${a.device}:${a.component}`)),
  );
  const rootElements = facts.rootElements.filter((e) => !recoveringElements.has(e));
  const keeperKeys = new Set(ctx.rootKeysOf(keeper));
  const continued = roots.some(
    (a) => keeper.rootAlarmIds.includes(a.id) || keeperKeys.has(ctx.keyOf(a.id)),
  );
  const takeover = !continued;
  const newElements = roots.filter(
    (a) => !keeper.rootAlarmIds.includes(a.id) && !keeperKeys.has(ctx.keyOf(a.id)),
  );
  const renamed = takeover || newElements.length > 0;
  // The primary root names the incident: it changes only when a new root takes the incident over.
  const primary = takeover ? (roots[0]?.id ?? keeper.primaryAlarmId) : keeper.primaryAlarmId;
  const rootAlarmIds = takeover
    ? [primary, ...roots.map((a) => a.id).filter((id) => id !== primary)]
    : [
        ...keeper.rootAlarmIds,
        ...roots.map((a) => a.id).filter((id) => !keeper.rootAlarmIds.includes(id)),
      ];
  const rootKeys = [
    ...new Set([...(takeover ? [] : keeperKeys), ...roots.map((a) => ctx.keyOf(a.id))]),
  ];
  const title = renamed ? incidentTitle(roots, rootElements, facts.cutOff) : keeper.title;
  const alarmIds = [...new Set([...keeper.alarmIds, ...facts.memberIds])].sort();
  // Flaps of its keys no step saw open flapped it as surely as a re-open would have.
  const adopted = ctx.adoptFlaps(rootKeys, alarmIds);
  // A new alarm of a root's key: the root cleared and was raised again between two steps (the
  // store keeps one open alarm per key), a flap as surely as a re-open.
  const repeats = roots.filter(
    (a) => !keeper.alarmIds.includes(a.id) && keeperKeys.has(ctx.keyOf(a.id)),
  );
  const flapCount = flapCountOf(
    rootKeys,
    ctx,
    keeper.flapCount,
    reopened || adopted.length > 0 || repeats.length > 0,
  );
  const severity =
    roots.length > 0
      ? roots.reduce<Severity>((worst, a) => worseSeverity(worst, a.severity), 'normal')
      : keeper.severity;

  const news: string[] = [];
  const churn: string[] = [];
  if (reopened) news.push(`re-opened: ${listed(rootElements)} down again after it recovered`);
  if (takeover) news.push(`root cause now: ${title} (it explains "${keeper.title}")`);
  else if (newElements.length > 0) news.push(`root cause grew: ${title}`);
  if (severity !== keeper.severity) news.push(`severity ${keeper.severity} → ${severity}`);
  const newSymptoms = [...facts.symptomExplanations]
    .filter(([id]) => !keeper.alarmIds.includes(id))
    .map(([, explanation]) => explanation);
  if (newSymptoms.length > 0) news.push(newSymptomsNews(newSymptoms));
  if (flapCount !== undefined && keeper.flapCount === undefined)
    news.push(flappingNews(flapCount, ctx.flapWindowMs));
  else if ((repeats.length > 0 || adopted.length > 0) && !reopened)
    churn.push(`raised again${flapCount === undefined ? '' : ` (${String(flapCount)} raises)`}`);
  const lost = keeper.cutOffDevices.filter((d) => !facts.cutOff.includes(d));
  const gained = facts.cutOff.filter((d) => !keeper.cutOffDevices.includes(d));
  if (gained.length > 0 && !renamed) news.push(`cut off now: ${listed(gained)}`);
  if (lost.length > 0) news.push(`reachable again: ${listed(lost)}`);
  const before = keeper.impactedServices.map(serviceKey);
  const after = facts.services.map(serviceKey);
  const down = after.filter((s) => !before.includes(s));
  const restored = before.filter((s) => !after.includes(s));
  if (down.length > 0) news.push(`services down: ${listed(down)}`);
  if (restored.length > 0) news.push(`services restored: ${listed(restored)}`);

  const repage =
    keeper.state === 'acknowledged' &&
    severityRank(severity) > severityRank(keeper.severity) &&
    severityRank(severity) >= severityRank(ctx.policy.repageOn);
  if (repage)
    news.push(
      `paged again: ${severity} while acknowledged by ${keeper.acknowledgedBy ?? 'someone'}`,
    );
  const incident: Incident = withFlaps(
    {
      ...keeper,
      ...(reopened
        ? {
            state: keeper.acknowledgedBy === null ? 'open' : 'acknowledged',
            resolvedAt: null,
            resolution: null,
          }
        : {}),
      title,
      severity,
      primaryAlarmId: primary,
      rootAlarmIds,
      alarmIds,
      cutOffDevices: [...facts.cutOff],
      impactedServices: [...facts.services],
      ...(flapCount === undefined ? {} : { flapCount }),
    },
    adopted,
  );
  return { incident, news, churn, repage: repage || reopened, adopted };
}

function incidentChanged(before: Incident, after: Incident): boolean {
  return (
    before.state !== after.state ||
    before.title !== after.title ||
    before.severity !== after.severity ||
    before.primaryAlarmId !== after.primaryAlarmId ||
    !sameList(before.rootAlarmIds, after.rootAlarmIds) ||
    !sameList(before.alarmIds, after.alarmIds) ||
    !sameList(before.cutOffDevices, after.cutOffDevices) ||
    !sameList(before.impactedServices.map(serviceKey), after.impactedServices.map(serviceKey)) ||
    before.inMaintenance !== after.inMaintenance ||
    before.flapCount !== after.flapCount
  );
}

/**
 * One correlation step, pure, in named steps: root-cause analysis groups the open alarms by fault
 * (`analyzeTopology`); the groups are matched to the incidents they continue by root
 * (`clusterGroups`); each cluster with an incident updates it (`continueIncident`), each cluster
 * without one is decided (`decideNewFault`: re-open, quiet, record, held, open); incidents no
 * cluster continues resolve when their roots cleared (a flapping one after a quiet window); the
 * outages follow each incident's impacted services. Symptoms are annotated with their root.
 */
export function planCorrelation(input: CorrelationInput): CorrelationPlan {
  const { nowMs } = input;
  const now = new Date(nowMs).toISOString();
  const alarmsById = new Map(input.alarms.map((a) => [a.id, a]));
  const unresolved = [...input.incidents];
  const flapThreshold = input.flapCount ?? Number.POSITIVE_INFINITY;
  const flapWindowMs = input.flapWindowMs ?? 0;
  const earlierFlaps = (input.earlierFlaps ?? [])
    .filter((a) => a.incidentId === null && a.raisedAtMs > nowMs - flapWindowMs)
    .sort((a, b) => (a.raisedAtMs !== b.raisedAtMs ? a.raisedAtMs - b.raisedAtMs : byAge(a, b)));
  const earlierById = new Map(earlierFlaps.map((a) => [a.id, a]));
  const adoptedFlaps = new Set<string>();
  const ctx: StepContext = {
    input,
    nowMs,
    alarmsById,
    unresolvedById: new Map(unresolved.map((i) => [i.id, i])),
    resolvedById: new Map((input.resolved ?? []).map((i) => [i.id, i])),
    policy: input.policy ?? PAGE_EVERYTHING,
    flapWindowMs,
    keyOf: (id) => (alarmsById.get(id) ?? earlierById.get(id))?.reductionKey ?? id,
    rootKeysOf: (incident) =>
      input.incidentRootKeys?.get(incident.id) ??
      incident.rootAlarmIds.map((id) => alarmsById.get(id)?.reductionKey ?? id),
    flapsOf: (key) => input.flaps?.get(key),
    flapping: (key) => (input.flaps?.get(key)?.count ?? 0) >= flapThreshold,
    adoptFlaps: (keys, except) => {
      const adopted = earlierFlaps.filter(
        (a) =>
          keys.includes(a.reductionKey ?? a.id) &&
          !except.includes(a.id) &&
          !adoptedFlaps.has(a.id),
      );
      for (const a of adopted) adoptedFlaps.add(a.id);
      return adopted;
    },
  };
  const analysis: AnalysisOptions = {
    holdMs: input.holdMs,
    explains: input.explains ?? EXPLAIN_ALL,
  };
  const firstGroups = analyzeTopology(input.topology, input.alarms, analysis);
  // Alarms that came after their fault cleared are its symptoms: the rest is analysed without them.
  const late = lateSymptoms(firstGroups, ctx, analysis);
  const groups =
    late.size === 0
      ? firstGroups
      : analyzeTopology(
          input.topology,
          input.alarms.filter((a) => !late.has(a.id)),
          analysis,
        );
  const clusters = clusterGroups(groups, unresolved, ctx.keyOf, ctx.rootKeysOf);
  /** The late symptoms of each incident still open: alarm id → explanation. */
  const lateOf = new Map<string, Map<string, string>>();
  for (const [id, symptom] of late) {
    if (symptom.incident.state === 'resolved') continue;
    const of = lateOf.get(symptom.incident.id) ?? new Map<string, string>();
    lateOf.set(symptom.incident.id, of.set(id, symptom.explanation));
  }

  const serviceById = new Map(input.topology.services.map((s) => [serviceKey(s), s]));
  const serviceInMaintenance = (service: ImpactedService): boolean => {
    const ref = serviceById.get(serviceKey(service));
    if (ref === undefined || input.maintenance === undefined) return false;
    return input.maintenance.service(ref.serviceId, ref.device, ref.interface).length > 0;
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
  const dueBy = (ms: number) => {
    nextDueMs = nextDueMs === undefined ? ms : Math.min(nextDueMs, ms);
  };
  const openOutagesOf = (incidentId: string) =>
    input.outages.filter((o) => o.incidentId === incidentId);
  const resolveInto = (incident: Incident, resolution: string): void => {
    const change = resolve(incident, resolution, now);
    changes.push(change);
    if (incident.announced) announcements.push(change);
    outagesClosed.push(...openOutagesOf(incident.id));
  };

  const annotate = (
    alarmId: string,
    causedBy: string | null,
    explanation: string | null,
    incidentId: string | null,
  ) => {
    const alarm = alarmsById.get(alarmId) ?? earlierById.get(alarmId);
    if (alarm === undefined) return;
    // An alarm keeps the incident it belonged to, even while it waits in a held group.
    const kept = incidentId ?? alarm.incidentId;
    const maintenance = windowsOf(alarm);
    const count = ctx.flapsOf(ctx.keyOf(alarmId))?.count ?? 0;
    const flapCount = count >= 2 ? count : 0;
    if (
      alarm.causedBy === causedBy &&
      alarm.explanation === explanation &&
      alarm.incidentId === kept &&
      (alarm.maintenance ?? null) === maintenance &&
      (alarm.flapCount ?? 0) === flapCount
    )
      return;
    annotations.push({
      alarmId,
      causedBy,
      explanation,
      incidentId: kept,
      ticketId: kept === null ? null : ticketIdFor(kept),
      maintenance,
      flapCount,
    });
  };
  const annotateCluster = (cluster: Cluster, incidentId: string | null) => {
    for (const group of cluster.groups) {
      const groupPrimary = group.rootAlarmIds[0] ?? null;
      for (const id of group.rootAlarmIds) annotate(id, null, null, incidentId);
      for (const [id, explanation] of group.symptoms)
        annotate(id, groupPrimary, explanation, incidentId);
    }
  };

  for (const [id, symptom] of late) {
    annotate(id, symptom.incident.primaryAlarmId, symptom.explanation, symptom.incident.id);
    if (symptom.untilMs !== undefined) dueBy(symptom.untilMs);
  }
  /** A cluster's facts with the late symptoms of the incidents it continues. */
  const withLate = (facts: ClusterFacts, incidents: readonly Incident[]): ClusterFacts => {
    const extra = incidents.flatMap((i) => [...(lateOf.get(i.id) ?? [])]);
    if (extra.length === 0) return facts;
    return {
      ...facts,
      memberIds: [...facts.memberIds, ...extra.map(([id]) => id)],
      symptomExplanations: new Map([...facts.symptomExplanations, ...extra]),
    };
  };

  for (const cluster of clusters) {
    const facts = withLate(factsOf(cluster, ctx), cluster.incidents);
    const [keeper, ...merged] = cluster.incidents;
    let update: IncidentUpdate | undefined;
    let opened: Incident | undefined;
    /** Earlier flaps of its keys the incident adopts now. */
    let adopted: readonly CorrelationAlarm[] = [];
    /** The incident as it stood before this step, when the cluster continues or re-opens one. */
    let base: Incident | undefined = keeper;
    if (keeper !== undefined) {
      update = continueIncident(keeper, facts, ctx, false);
    } else {
      const decision = decideNewFault(facts.roots, ctx);
      if (decision.kind === 'quiet') {
        // Recovering (or resolved by hand): the alarms keep what they had; nothing new opens.
        if (decision.untilMs !== undefined) dueBy(decision.untilMs);
        continue;
      }
      if (decision.kind === 'record' || decision.kind === 'held') {
        if (decision.kind === 'held') dueBy(decision.dueMs);
        annotateCluster(cluster, null);
        continue;
      }
      if (decision.kind === 'reopen') {
        base = decision.incident;
        update = continueIncident(decision.incident, facts, ctx, true);
      } else {
        const { primary } = decision;
        const id = incidentIdFor(primary.id);
        const rootKeys = [...new Set(facts.roots.map((a) => ctx.keyOf(a.id)))];
        adopted = ctx.adoptFlaps(rootKeys, facts.memberIds);
        const flapCount = flapCountOf(rootKeys, ctx, undefined, adopted.length > 0);
        opened = withFlaps(
          {
            id,
            state: 'open',
            title: incidentTitle(facts.roots, facts.rootElements, facts.cutOff),
            severity: facts.severity,
            primaryAlarmId: primary.id,
            rootAlarmIds: [
              primary.id,
              ...facts.roots.map((a) => a.id).filter((id) => id !== primary.id),
            ],
            alarmIds: [...facts.memberIds].sort(),
            cutOffDevices: [...facts.cutOff],
            impactedServices: [...facts.services],
            ticketId: ticketIdFor(id),
            openedAt: now,
            updatedAt: now,
            resolvedAt: null,
            resolution: null,
            acknowledgedBy: null,
            assignee: null,
            inMaintenance: false,
            announced: false,
            ...(flapCount === undefined ? {} : { flapCount }),
            version: 1,
          },
          adopted,
        );
      }
    }

    const incidentId = opened?.id ?? update?.incident.id;
    if (incidentId === undefined) continue;
    claimedIncidents.add(incidentId);
    annotateCluster(cluster, incidentId);
    for (const flap of [...adopted, ...(update?.adopted ?? [])])
      annotate(flap.id, null, null, incidentId);
    const inMaintenance = facts.roots.length > 0 && facts.roots.every((a) => windowsOf(a) !== null);
    const ticketId = ticketIdFor(incidentId);

    if (opened !== undefined) {
      const incident: Incident = { ...opened, inMaintenance, announced: !inMaintenance };
      changes.push({ kind: 'opened', incident });
      if (incident.announced) announcements.push({ kind: 'opened', incident });
    } else if (update !== undefined && base !== undefined) {
      const next: Incident = {
        ...update.incident,
        inMaintenance,
        announced: base.announced || !inMaintenance,
      };
      if (incidentChanged(base, next)) {
        const reasons = update.news.length > 0 ? update.news : update.churn;
        const incident: Incident = { ...next, updatedAt: now, version: base.version + 1 };
        const change: IncidentChange = {
          kind: 'updated',
          incident,
          ...(reasons.length > 0 ? { reasons: [...reasons] } : {}),
          ...(update.repage ? { repage: true } : {}),
        };
        changes.push(change);
        // Out of maintenance for the first time: now it is news. A repeat flap is not.
        if (base.announced && update.news.length > 0) announcements.push(change);
        else if (!base.announced && incident.announced)
          announcements.push({ kind: 'opened', incident });
      }
    }

    // Outages follow the impacted services.
    const open = openOutagesOf(incidentId);
    const wanted = new Set(facts.services.map(serviceKey));
    for (const outage of open) if (!wanted.has(serviceKey(outage))) outagesClosed.push(outage);
    const have = new Set(open.map(serviceKey));
    const startedAtMs = Math.min(...facts.roots.map((a) => a.firstSeenMs), nowMs);
    const rootCause = opened?.title ?? update?.incident.title ?? '';
    for (const service of facts.services) {
      if (have.has(serviceKey(service))) continue;
      outagesOpened.push({
        incidentId,
        customerId: service.customerId,
        serviceId: service.serviceId,
        ticketId,
        rootAlarmId: opened?.primaryAlarmId ?? update?.incident.primaryAlarmId ?? '',
        rootCause,
        startedAtMs: base === undefined || base.state === 'resolved' ? startedAtMs : nowMs,
        inMaintenance: inMaintenance || serviceInMaintenance(service),
      });
    }

    for (const other of merged) {
      claimedIncidents.add(other.id);
      resolveInto(other, `merged into ${incidentId}`);
    }
  }

  // Incidents no cluster continues: their roots have cleared. A flapping one waits for a whole
  // window without a raise (its services count as down meanwhile); any other resolves now, and
  // keeps its name. Earlier flaps of its keys (raised and cleared before any step saw them open)
  // join it and make it flap, as they would have had a step seen them: a recently resolved one
  // re-opens for them.
  const settle = (
    unclaimed: Incident,
    adopted: readonly CorrelationAlarm[],
    reopened: boolean,
  ): void => {
    // Its late symptoms join it (a reading taken while the port was dark, reported after it came up).
    const lateSymptomsOfIt = [...(lateOf.get(unclaimed.id) ?? [])].filter(
      ([id]) => !unclaimed.alarmIds.includes(id),
    );
    const keys = ctx.rootKeysOf(unclaimed);
    const flapCount =
      adopted.length === 0
        ? unclaimed.flapCount
        : flapCountOf(keys, ctx, unclaimed.flapCount, true);
    const incident = withFlaps(
      {
        ...unclaimed,
        ...(reopened
          ? {
              state: unclaimed.acknowledgedBy === null ? 'open' : 'acknowledged',
              resolvedAt: null,
              resolution: null,
            }
          : {}),
        alarmIds: [...unclaimed.alarmIds, ...lateSymptomsOfIt.map(([id]) => id)].sort(),
        ...(flapCount === undefined ? {} : { flapCount }),
      },
      adopted,
    );
    for (const flap of adopted) annotate(flap.id, null, null, unclaimed.id);
    // Re-opened: its services are down again from the first flap, as a step seeing it would say.
    if (reopened)
      for (const service of incident.impactedServices)
        outagesOpened.push({
          incidentId: incident.id,
          customerId: service.customerId,
          serviceId: service.serviceId,
          ticketId: incident.ticketId,
          rootAlarmId: incident.primaryAlarmId,
          rootCause: incident.title,
          startedAtMs: Math.min(...adopted.map((a) => a.firstSeenMs), nowMs),
          inMaintenance: incident.inMaintenance || serviceInMaintenance(service),
        });
    const news: string[] = [];
    const churn: string[] = [];
    if (reopened) {
      const elements = [...new Set(adopted.map((a) => `${a.device}:${a.component ?? ''}`))];
      news.push(`re-opened: ${listed(elements)} down again after it recovered`);
    }
    if (flapCount !== undefined && unclaimed.flapCount === undefined)
      news.push(flappingNews(flapCount, ctx.flapWindowMs));
    else if (adopted.length > 0) churn.push(`raised again (${String(flapCount ?? 0)} raises)`);
    if (lateSymptomsOfIt.length > 0)
      news.push(newSymptomsNews(lateSymptomsOfIt.map(([, explanation]) => explanation)));
    if (incident.flapCount !== undefined) {
      const lastRaisedMs = Math.max(
        0,
        ...keys.map((key) => ctx.flapsOf(key)?.lastRaisedMs ?? 0),
        ...adopted.map((a) => a.raisedAtMs),
      );
      const quietAtMs = lastRaisedMs + ctx.flapWindowMs;
      if (quietAtMs > nowMs) {
        dueBy(quietAtMs);
        if (news.length > 0 || churn.length > 0) {
          const reasons = news.length > 0 ? news : churn;
          const change: IncidentChange = {
            kind: 'updated',
            incident: { ...incident, updatedAt: now, version: unclaimed.version + 1 },
            reasons,
            ...(reopened ? { repage: true } : {}),
          };
          changes.push(change);
          if (unclaimed.announced && news.length > 0) announcements.push(change);
        }
        return;
      }
      resolveInto(incident, stableResolution(ctx.flapWindowMs));
      return;
    }
    resolveInto(incident, ROOT_CLEARED);
  };
  for (const unclaimed of unresolved) {
    if (claimedIncidents.has(unclaimed.id)) continue;
    settle(unclaimed, ctx.adoptFlaps(ctx.rootKeysOf(unclaimed), unclaimed.alarmIds), false);
  }
  for (const recent of ctx.resolvedById.values()) {
    if (claimedIncidents.has(recent.id) || recent.resolution !== ROOT_CLEARED) continue;
    if (nowMs - Date.parse(recent.resolvedAt ?? '') > ctx.flapWindowMs) continue;
    const adopted = ctx.adoptFlaps(ctx.rootKeysOf(recent), recent.alarmIds);
    if (adopted.length > 0) settle(recent, adopted, true);
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
