import { describe, expect, it } from 'vitest';
import type { Incident } from '@faultline/shared';
import {
  planCorrelation,
  type CorrelationAlarm,
  type CorrelationInput,
  type CorrelationPlan,
} from './incidents.js';
import { maintenanceAt } from './maintenance.js';
import { EXAMPLE_TOPOLOGY } from './testing/example-topology.js';

const HOLD = 2000;

function alarm(
  id: string,
  type: string,
  device: string,
  component: string | null,
  atS: number,
  extra: Partial<CorrelationAlarm> = {},
): CorrelationAlarm {
  return {
    id,
    type,
    device,
    component,
    firstSeenMs: atS * 1000,
    raisedAtMs: atS * 1000,
    severity: 'major',
    description: `${type} on ${device}`,
    causedBy: null,
    explanation: null,
    incidentId: null,
    ...extra,
  };
}

const uplink1 = (at = 0, extra: Partial<CorrelationAlarm> = {}) =>
  alarm('r1', 'linkDown', 'core-1', 'xe-0/0/2', at, extra);
const uplink2 = (at = 0, extra: Partial<CorrelationAlarm> = {}) =>
  alarm('r2', 'linkDown', 'core-2', 'xe-0/0/3', at, extra);
const agg2Unreachable = (at = 0, extra: Partial<CorrelationAlarm> = {}) =>
  alarm('s1', 'unreachable', 'agg-2', null, at, { severity: 'critical', ...extra });

function plan(partial: Partial<CorrelationInput>): CorrelationPlan {
  return planCorrelation({
    topology: EXAMPLE_TOPOLOGY,
    alarms: [],
    incidents: [],
    outages: [],
    nowMs: 0,
    holdMs: HOLD,
    ...partial,
  });
}

/** Applies a plan to its input, as the store would: the next step's input. */
function apply(
  input: Partial<CorrelationInput>,
  result: CorrelationPlan,
): Partial<CorrelationInput> {
  const annotations = new Map(result.annotations.map((a) => [a.alarmId, a]));
  const alarms = (input.alarms ?? []).map((a) => {
    const note = annotations.get(a.id);
    return note === undefined
      ? a
      : {
          ...a,
          causedBy: note.causedBy,
          explanation: note.explanation,
          incidentId: note.incidentId,
        };
  });
  const incidents = new Map((input.incidents ?? []).map((i) => [i.id, i]));
  for (const change of result.changes) incidents.set(change.incident.id, change.incident);
  const closed = new Set(result.outagesClosed.map((o) => `${o.incidentId}/${o.serviceId}`));
  const outages = [
    ...(input.outages ?? []).filter((o) => !closed.has(`${o.incidentId}/${o.serviceId}`)),
    ...result.outagesOpened.map((o) => ({
      incidentId: o.incidentId,
      customerId: o.customerId,
      serviceId: o.serviceId,
    })),
  ];
  return {
    ...input,
    alarms,
    incidents: [...incidents.values()].filter((i: Incident) => i.state !== 'resolved'),
    outages,
  };
}

describe('planCorrelation', () => {
  it('holds a new alarm, then opens one incident for it', () => {
    const input = { alarms: [uplink1(0)], nowMs: 500 };
    const held = plan(input);
    expect(held.changes).toEqual([]);
    expect(held.nextDueMs).toBe(2000);
    const due = plan({ ...input, nowMs: 2000 });
    expect(due.changes.map((c) => [c.kind, c.incident.id, c.incident.title])).toEqual([
      ['opened', 'inc-r1', 'core-1:xe-0/0/2 down'],
    ]);
    expect(due.changes[0]?.incident.impactedServices).toEqual([]);
    expect(due.outagesOpened).toEqual([]);
    expect(due.annotations).toEqual([
      {
        alarmId: 'r1',
        causedBy: null,
        explanation: null,
        incidentId: 'inc-r1',
        ticketId: 'tkt-r1',
        maintenance: null,
      },
    ]);
    // Applied, the next step decides nothing.
    const after = apply({ ...input, nowMs: 2000 }, due);
    const again = plan({ ...after, nowMs: 3000 });
    expect(again).toEqual({
      annotations: [],
      changes: [],
      announcements: [],
      outagesOpened: [],
      outagesClosed: [],
      nextDueMs: undefined,
    });
  });

  it('a fibre cut: symptoms first, the roots within the hold window claim them', () => {
    // The symptom arrives first and would be its own root...
    let state: Partial<CorrelationInput> = { alarms: [agg2Unreachable(0)], nowMs: 0 };
    let step = plan(state);
    expect(step.changes).toEqual([]);
    state = apply(state, step);
    // ...until both uplinks arrive within its hold window.
    state = { ...state, alarms: [...(state.alarms ?? []), uplink1(1), uplink2(1.5)], nowMs: 1500 };
    step = plan(state);
    expect(step.changes).toEqual([]);
    expect(step.annotations).toContainEqual({
      alarmId: 's1',
      causedBy: 'r1',
      explanation:
        'agg-2 unreachable: its only uplinks, core-1:xe-0/0/2 and core-2:xe-0/0/3, are down',
      incidentId: null,
      ticketId: null,
      maintenance: null,
    });
    state = apply(state, step);
    // The incident opens when the primary root's hold ends, not the symptom's.
    expect(plan({ ...state, nowMs: 2500 }).changes).toEqual([]);
    step = plan({ ...state, nowMs: 3000 });
    expect(step.changes).toHaveLength(1);
    const incident = step.changes[0]?.incident;
    expect(incident).toMatchObject({
      id: 'inc-r1',
      title: 'core-1:xe-0/0/2 and core-2:xe-0/0/3 down: access-3, agg-2 cut off',
      severity: 'critical',
      rootAlarmIds: ['r1', 'r2'],
      alarmIds: ['r1', 'r2', 's1'],
      impactedServices: [{ customerId: 'initech', serviceId: 'initech-office' }],
      ticketId: 'tkt-r1',
    });
    expect(step.outagesOpened).toEqual([
      {
        incidentId: 'inc-r1',
        customerId: 'initech',
        serviceId: 'initech-office',
        ticketId: 'tkt-r1',
        rootAlarmId: 'r1',
        rootCause: incident?.title,
        startedAtMs: 1000,
        inMaintenance: false,
      },
    ]);
    state = apply({ ...state, nowMs: 3000 }, step);

    // A late symptom joins the incident at once (no hold), as an update.
    state = {
      ...state,
      alarms: [...(state.alarms ?? []), alarm('s2', 'unreachable', 'access-3', null, 10)],
      nowMs: 10_000,
    };
    step = plan(state);
    expect(step.changes.map((c) => [c.kind, c.incident.version, c.incident.alarmIds])).toEqual([
      ['updated', 2, ['r1', 'r2', 's1', 's2']],
    ]);
    state = apply(state, step);

    // One uplink repaired: agg-2 and access-3 are reachable again and their alarms clear; the
    // outage ends, and the incident stays open while the other uplink is down.
    state = {
      ...state,
      alarms: (state.alarms ?? []).filter((a) => a.id === 'r2'),
      nowMs: 60_000,
    };
    step = plan(state);
    expect(step.changes.map((c) => c.kind)).toEqual(['updated']);
    expect(step.changes[0]?.incident).toMatchObject({
      impactedServices: [],
      cutOffDevices: [],
      rootAlarmIds: ['r2'],
      primaryAlarmId: 'r2',
      title: 'core-2:xe-0/0/3 down',
    });
    expect(step.outagesClosed).toEqual([
      { incidentId: 'inc-r1', customerId: 'initech', serviceId: 'initech-office' },
    ]);
    state = apply(state, step);

    // Everything cleared: resolved.
    state = { ...state, alarms: [], nowMs: 70_000 };
    step = plan(state);
    expect(step.changes.map((c) => [c.kind, c.incident.resolution])).toEqual([
      ['resolved', 'all alarms cleared'],
    ]);
  });

  it('a redundant uplink down: one incident for the link, no outage', () => {
    const step = plan({ alarms: [uplink1(0)], nowMs: 5000 });
    expect(step.changes.map((c) => c.incident.impactedServices)).toEqual([[]]);
    expect(step.outagesOpened).toEqual([]);
  });

  it('the second uplink failing later grows the first incident instead of opening another', () => {
    let state: Partial<CorrelationInput> = { alarms: [uplink1(0)], nowMs: 5000 };
    state = apply(state, plan(state));
    state = {
      ...state,
      alarms: [...(state.alarms ?? []), uplink2(100, { raisedAtMs: 100_000 })],
      nowMs: 100_000,
    };
    const step = plan(state);
    expect(step.changes.map((c) => [c.kind, c.incident.id, c.incident.rootAlarmIds])).toEqual([
      ['updated', 'inc-r1', ['r1', 'r2']],
    ]);
    expect(step.outagesOpened.map((o) => [o.serviceId, o.startedAtMs])).toEqual([
      ['initech-office', 100_000],
    ]);
  });

  it('groups that reach two incidents merge into the older one', () => {
    // Two access ports of agg-1 fail apart: two incidents...
    let state: Partial<CorrelationInput> = {
      alarms: [alarm('a', 'linkDown', 'agg-1', 'ge-0/0/2', 0)],
      nowMs: 5000,
    };
    state = apply(state, plan(state));
    state = {
      ...state,
      alarms: [...(state.alarms ?? []), alarm('b', 'linkDown', 'agg-1', 'ge-0/0/1', 10)],
      nowMs: 20_000,
    };
    state = apply(state, plan(state));
    expect(state.incidents?.map((i) => i.id)).toEqual(['inc-a', 'inc-b']);
    // ...then agg-1 is found down: one fault explains both.
    state = {
      ...state,
      alarms: [...(state.alarms ?? []), alarm('d', 'deviceDown', 'agg-1', null, 30)],
      nowMs: 30_000,
    };
    const step = plan(state);
    expect(step.changes.map((c) => [c.kind, c.incident.id, c.incident.resolution])).toEqual([
      ['updated', 'inc-a', null],
      ['resolved', 'inc-b', 'merged into inc-a'],
    ]);
    expect(step.changes[0]?.incident.title).toBe('agg-1 down: access-1, access-2 cut off');
  });

  it('a storm of repeats on one root is one incident', () => {
    const alarms = [uplink1(0, { severity: 'minor' })];
    const first = plan({ alarms, nowMs: 3000 });
    let state = apply({ alarms, nowMs: 3000 }, first);
    for (let n = 0; n < 100; n++) {
      const step = plan({ ...state, nowMs: 3000 + n });
      expect(step.changes).toEqual([]);
      state = apply(state, step);
    }
    // A severity change is an update.
    state = { ...state, alarms: [uplink1(0, { severity: 'critical', incidentId: 'inc-r1' })] };
    expect(plan(state).changes.map((c) => [c.kind, c.incident.severity])).toEqual([
      ['updated', 'critical'],
    ]);
  });

  it('alarms of an incident resolved by hand open nothing new until they clear', () => {
    const alarms = [uplink1(0, { incidentId: 'inc-r1' })];
    expect(plan({ alarms, nowMs: 60_000 })).toEqual({
      annotations: [],
      changes: [],
      announcements: [],
      outagesOpened: [],
      outagesClosed: [],
      nextDueMs: undefined,
    });
    // A new root that explains it opens a new incident.
    const step = plan({ alarms: [...alarms, uplink2(1, { raisedAtMs: 0 })], nowMs: 60_000 });
    expect(step.changes.map((c) => [c.kind, c.incident.id])).toEqual([['opened', 'inc-r2']]);
  });

  it('maintenance: recorded and flagged, neither ticketed nor pushed; announced when it ends', () => {
    const windows = [
      {
        name: 'agg-2-works',
        devices: [],
        interfaces: ['core-1:xe-0/0/2', 'core-2:xe-0/0/3'],
        services: [],
        start: new Date(0).toISOString(),
        end: new Date(60_000).toISOString(),
      },
    ];
    const inWindow = (nowMs: number) => maintenanceAt(windows, nowMs);
    let state: Partial<CorrelationInput> = {
      alarms: [uplink1(0), uplink2(0)],
      nowMs: 5000,
      maintenance: inWindow(5000),
    };
    let step = plan(state);
    expect(
      step.changes.map((c) => [c.kind, c.incident.inMaintenance, c.incident.announced]),
    ).toEqual([['opened', true, false]]);
    expect(step.announcements).toEqual([]);
    expect(step.outagesOpened.map((o) => [o.serviceId, o.inMaintenance])).toEqual([
      ['initech-office', true],
    ]);
    expect(step.annotations.map((a) => a.maintenance)).toEqual(['agg-2-works', 'agg-2-works']);
    state = apply(state, step);
    // Still broken when the window ends: now it is news.
    step = plan({ ...state, nowMs: 60_000, maintenance: inWindow(60_000) });
    expect(step.announcements.map((c) => [c.kind, c.incident.announced])).toEqual([
      ['opened', true],
    ]);

    // Repaired inside the window: resolved, and nobody hears of it.
    const quiet = apply(state, { ...plan(state) });
    step = plan({ ...quiet, alarms: [], nowMs: 10_000, maintenance: inWindow(10_000) });
    expect(step.changes.map((c) => c.kind)).toEqual(['resolved']);
    expect(step.announcements).toEqual([]);
  });

  it('flapping: one incident while the key flaps, no ticket churn, resolved after a quiet window', () => {
    const K = 'linkDown:core-1:ifIndex=3';
    const flap = (id: string, at: number) => ({ ...uplink1(at), id, reductionKey: K });
    let state: Partial<CorrelationInput> = { alarms: [flap('f1', 0)], nowMs: 5000 };
    state = apply(state, plan(state));
    const rootKeys = new Map([['inc-f1', [K]]]);
    // Cleared, raised again, and now counted as flapping: the new alarm rejoins the incident.
    state = {
      ...state,
      alarms: [flap('f2', 10)],
      nowMs: 10_000,
      flappingKeys: new Set([K]),
      incidentRootKeys: rootKeys,
    };
    let step = plan(state);
    expect(step.changes.map((c) => [c.kind, c.incident.id, c.incident.title])).toEqual([
      ['updated', 'inc-f1', 'core-1:xe-0/0/2 down (flapping)'],
    ]);
    state = apply(state, step);
    // More flaps: annotations only, no version bump.
    for (const [n, id] of ['f3', 'f4', 'f5'].entries()) {
      state = { ...state, alarms: [], nowMs: 20_000 + n * 2000 };
      step = plan(state);
      expect(step.changes).toEqual([]);
      state = { ...state, alarms: [flap(id, 21 + n * 2)], nowMs: 21_000 + n * 2000 };
      step = plan(state);
      expect(step.changes).toEqual([]);
      expect(step.annotations.map((a) => [a.alarmId, a.incidentId])).toEqual([[id, 'inc-f1']]);
      state = apply(state, step);
    }
    // Quiet for the flap window: the key is no longer flapping, the incident resolves.
    step = plan({ ...state, alarms: [], nowMs: 400_000, flappingKeys: new Set() });
    expect(step.changes.map((c) => c.kind)).toEqual(['resolved']);
  });
});
