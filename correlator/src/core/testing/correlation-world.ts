import type { Incident, IncidentChange } from '@faultline/shared';
import {
  planCorrelation,
  type CorrelationAlarm,
  type CorrelationInput,
  type CorrelationPlan,
  type OpenOutage,
} from '../incidents.js';
import type { AlarmPolicy } from '../incident-policy.js';
import { EXAMPLE_TOPOLOGY } from './example-topology.js';

/** The alarms with a plan's annotations written on them, as the store writes them. */
export function annotated(
  alarms: readonly CorrelationAlarm[],
  plan: Pick<CorrelationPlan, 'annotations'>,
): CorrelationAlarm[] {
  const notes = new Map(plan.annotations.map((a) => [a.alarmId, a]));
  return alarms.map((a) => {
    const note = notes.get(a.id);
    return note === undefined
      ? a
      : {
          ...a,
          causedBy: note.causedBy,
          explanation: note.explanation,
          incidentId: note.incidentId,
          maintenance: note.maintenance,
          flapCount: note.flapCount,
        };
  });
}

/** What a world is made with: the step's settings. */
export interface WorldOptions {
  readonly holdMs?: number;
  readonly flapCount?: number;
  readonly flapWindowMs?: number;
  readonly recoveryMs?: number;
  readonly policy?: AlarmPolicy;
}

/**
 * The correlation step's world as the store keeps it, in memory, for tests: open alarms with their
 * annotations, every incident, open outages, the raises of each key, and every change and
 * announcement made. `raise`, `clear` and `step` move it along a timeline.
 */
export function createCorrelationWorld(options: WorldOptions = {}) {
  let nowMs = 0;
  let alarms: CorrelationAlarm[] = [];
  const incidents = new Map<string, Incident>();
  let outages: OpenOutage[] = [];
  const raises: { key: string; atMs: number }[] = [];
  const changes: IncidentChange[] = [];
  const announcements: IncidentChange[] = [];
  const flapWindowMs = options.flapWindowMs ?? 60_000;
  const recoveryMs = options.recoveryMs ?? 30_000;
  /** Every alarm ever raised, cleared ones included (the store keeps their rows). */
  const everAlarms = new Map<string, CorrelationAlarm>();
  /** When each cleared alarm cleared. */
  const clearedAt = new Map<string, number>();
  /** The cleared alarms as they stood when they cleared, with annotations written since. */
  let cleared: CorrelationAlarm[] = [];

  function input(): CorrelationInput {
    const flaps = new Map<string, { count: number; lastRaisedMs: number }>();
    for (const { key, atMs } of raises) {
      if (atMs <= nowMs - flapWindowMs) continue;
      const seen = flaps.get(key);
      flaps.set(key, {
        count: (seen?.count ?? 0) + 1,
        lastRaisedMs: Math.max(seen?.lastRaisedMs ?? 0, atMs),
      });
    }
    const all = [...incidents.values()];
    const named = new Set(alarms.flatMap((a) => (a.incidentId === null ? [] : [a.incidentId])));
    const resolved = all.filter(
      (i) =>
        i.state === 'resolved' &&
        (Date.parse(i.resolvedAt ?? '') > nowMs - Math.max(flapWindowMs, recoveryMs) ||
          named.has(i.id)),
    );
    const keyOfAlarm = new Map<string, string>();
    for (const alarm of alarms) keyOfAlarm.set(alarm.id, alarm.reductionKey ?? alarm.id);
    return {
      topology: EXAMPLE_TOPOLOGY,
      alarms,
      incidents: all.filter((i) => i.state !== 'resolved'),
      outages,
      nowMs,
      holdMs: options.holdMs ?? 2000,
      ...(options.policy === undefined ? {} : { policy: options.policy }),
      flaps,
      flapCount: options.flapCount ?? 3,
      flapWindowMs,
      resolved,
      clearedRootAlarms: all.flatMap((i) =>
        i.rootAlarmIds.flatMap((id) => {
          const alarm = everAlarms.get(id);
          const clearedAtMs = clearedAt.get(id);
          return alarm === undefined || clearedAtMs === undefined
            ? []
            : [{ ...alarm, clearedAtMs }];
        }),
      ),
      incidentRootKeys: new Map(
        all.map((i) => [
          i.id,
          [...new Set(i.rootAlarmIds.map((id) => rootKeys.get(id) ?? keyOfAlarm.get(id) ?? id))],
        ]),
      ),
      recoveryMs,
      earlierFlaps: cleared.filter(
        (a) => a.incidentId === null && a.raisedAtMs > nowMs - flapWindowMs,
      ),
    };
  }
  /** Every alarm's key, cleared ones included (the store keeps cleared alarms' rows). */
  const rootKeys = new Map<string, string>();

  function apply(plan: CorrelationPlan): void {
    alarms = annotated(alarms, plan);
    cleared = annotated(cleared, plan);
    for (const change of plan.changes) {
      const before = incidents.get(change.incident.id);
      if (before !== undefined && before.version >= change.incident.version)
        throw new Error(
          `incident ${change.incident.id} went back to version ${String(change.incident.version)}`,
        );
      incidents.set(change.incident.id, change.incident);
    }
    changes.push(...plan.changes);
    announcements.push(...plan.announcements);
    const closed = new Set(plan.outagesClosed.map((o) => `${o.incidentId}/${o.serviceId}`));
    outages = [
      ...outages.filter((o) => !closed.has(`${o.incidentId}/${o.serviceId}`)),
      ...plan.outagesOpened.map((o) => ({
        incidentId: o.incidentId,
        customerId: o.customerId,
        serviceId: o.serviceId,
      })),
    ];
  }

  return {
    get nowMs() {
      return nowMs;
    },
    get alarms(): readonly CorrelationAlarm[] {
      return alarms;
    },
    /** The alarms that have cleared, with their annotations. */
    get cleared(): readonly CorrelationAlarm[] {
      return cleared;
    },
    get outages(): readonly OpenOutage[] {
      return outages;
    },
    incidents: (): Incident[] => [...incidents.values()],
    incident: (id: string): Incident | undefined => incidents.get(id),
    changes: (): readonly IncidentChange[] => changes,
    announcements: (): readonly IncidentChange[] => announcements,
    /** The input the next step reads. */
    input,
    /** Moves the clock to `atMs` (never back). */
    at(atMs: number): void {
      nowMs = Math.max(nowMs, atMs);
    },
    /** An alarm raised now (first seen at `firstSeenMs`, default now); a repeat if its key is open. */
    raise(
      alarm: Omit<
        CorrelationAlarm,
        'raisedAtMs' | 'firstSeenMs' | 'causedBy' | 'explanation' | 'incidentId'
      > &
        Partial<Pick<CorrelationAlarm, 'firstSeenMs'>>,
    ): void {
      const key = alarm.reductionKey ?? alarm.id;
      // One open alarm per reduction key, as the alarm reducer keeps: a raise of an open key is a
      // repeat of its alarm, not a new one.
      if (alarms.some((a) => (a.reductionKey ?? a.id) === key)) return;
      rootKeys.set(alarm.id, key);
      raises.push({ key, atMs: nowMs });
      const raised: CorrelationAlarm = {
        firstSeenMs: nowMs,
        ...alarm,
        raisedAtMs: nowMs,
        causedBy: null,
        explanation: null,
        incidentId: null,
      };
      everAlarms.set(raised.id, raised);
      alarms = [...alarms, raised];
    },
    clear(alarmId: string): void {
      const alarm = alarms.find((a) => a.id === alarmId);
      if (alarm === undefined) return;
      clearedAt.set(alarmId, nowMs);
      cleared = [...cleared, alarm];
      alarms = alarms.filter((a) => a.id !== alarmId);
    },
    /** Someone acknowledges an incident (as the commands worker would). */
    acknowledge(incidentId: string, actor: string): void {
      const incident = incidents.get(incidentId);
      if (incident === undefined) throw new Error(`no incident ${incidentId}`);
      incidents.set(incidentId, {
        ...incident,
        state: 'acknowledged',
        acknowledgedBy: actor,
        version: incident.version + 1,
      });
    },
    /** One correlation step now, applied; returns its plan. */
    step(): CorrelationPlan {
      const plan = planCorrelation(input());
      apply(plan);
      return plan;
    },
  };
}

/** A world, as `createCorrelationWorld` makes it. */
export type CorrelationWorld = ReturnType<typeof createCorrelationWorld>;
