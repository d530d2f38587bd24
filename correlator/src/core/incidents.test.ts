import { describe, expect, it } from 'vitest';
import type { Incident } from '@faultline/shared';
import {
  LATE_SYMPTOM_MS,
  planCorrelation,
  type CorrelationAlarm,
  type CorrelationInput,
  type CorrelationPlan,
} from './incidents.js';
import { alarmPolicy } from './incident-policy.js';
import { openIncident } from './testing/incident-fixture.js';
import { annotated, createCorrelationWorld } from './testing/correlation-world.js';
import { symptomMatcher } from './topology.js';
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
  const alarms = annotated(input.alarms ?? [], result);
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
        flapCount: 0,
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
      flapCount: 0,
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
      // The root's severity: a critical symptom does not make the fault look worse.
      severity: 'major',
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
    // outage ends, and the incident stays open while the other uplink is down, under its name.
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
      rootAlarmIds: ['r1', 'r2'],
      primaryAlarmId: 'r1',
      title: 'core-1:xe-0/0/2 and core-2:xe-0/0/3 down: access-3, agg-2 cut off',
    });
    expect(step.changes[0]?.reasons).toEqual([
      'reachable again: access-3, agg-2',
      'services restored: initech/initech-office',
    ]);
    expect(step.outagesClosed).toEqual([
      { incidentId: 'inc-r1', customerId: 'initech', serviceId: 'initech-office' },
    ]);
    state = apply(state, step);

    // Everything cleared: resolved.
    state = { ...state, alarms: [], nowMs: 70_000 };
    step = plan(state);
    expect(step.changes.map((c) => [c.kind, c.incident.resolution, c.incident.title])).toEqual([
      ['resolved', 'root cause cleared', incident?.title],
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

  it('a new root that explains open incidents takes the oldest over and merges the others', () => {
    // Two access ports of agg-1 fail: two incidents...
    let state: Partial<CorrelationInput> = {
      alarms: [alarm('a', 'linkDown', 'agg-1', 'ge-0/0/2', 10, { raisedAtMs: 10_000 })],
      nowMs: 12_000,
    };
    state = apply(state, plan(state));
    state = {
      ...state,
      alarms: [
        ...(state.alarms ?? []),
        alarm('b', 'linkDown', 'agg-1', 'ge-0/0/1', 10.5, { raisedAtMs: 10_500 }),
      ],
      nowMs: 20_000,
    };
    state = apply(state, plan(state));
    expect(state.incidents?.map((i) => i.id)).toEqual(['inc-a', 'inc-b']);
    // ...then polls find agg-1 down since just before: one fault explains both.
    state = {
      ...state,
      alarms: [
        ...(state.alarms ?? []),
        alarm('d', 'deviceDown', 'agg-1', null, 9, { raisedAtMs: 30_000 }),
      ],
      nowMs: 30_000,
    };
    const step = plan(state);
    expect(step.changes.map((c) => [c.kind, c.incident.id, c.incident.resolution])).toEqual([
      ['updated', 'inc-a', null],
      ['resolved', 'inc-b', 'merged into inc-a'],
    ]);
    expect(step.changes[0]?.incident).toMatchObject({
      title: 'agg-1 down: access-1, access-2 cut off',
      primaryAlarmId: 'd',
      rootAlarmIds: ['d'],
    });
    expect(step.changes[0]?.reasons?.[0]).toBe(
      'root cause now: agg-1 down: access-1, access-2 cut off (it explains "agg-1:ge-0/0/2 down: access-2 cut off")',
    );
  });

  it('an alarm older than the failure by more than the hold window stays apart', () => {
    // access-3 restarted half a minute before the cut: the cut did not cause it.
    const coldStart = alarm('c', 'coldStart', 'access-3', null, 0, { severity: 'warning' });
    const step = plan({
      alarms: [coldStart, uplink1(30), uplink2(30)],
      nowMs: 40_000,
      policy: alarmPolicy({ pageFrom: 'minor', recordOnly: [], repageOn: 'critical' }),
    });
    expect(step.changes.map((c) => [c.kind, c.incident.id, c.incident.alarmIds])).toEqual([
      ['opened', 'inc-r1', ['r1', 'r2']],
    ]);
    // Recorded (annotated) but in no incident: a warning pages nobody.
    expect(step.annotations.find((a) => a.alarmId === 'c')).toBeUndefined();
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
    const byHand = openIncident({
      id: 'inc-r1',
      state: 'resolved',
      primaryAlarmId: 'r1',
      rootAlarmIds: ['r1'],
      alarmIds: ['r1'],
      ticketId: 'tkt-r1',
      openedAt: new Date(2000).toISOString(),
      updatedAt: new Date(30_000).toISOString(),
      resolvedAt: new Date(30_000).toISOString(),
      resolution: 'resolved by alice',
      version: 3,
    });

    const alarms = [uplink1(0, { incidentId: 'inc-r1' })];
    expect(plan({ alarms, resolved: [byHand], nowMs: 60_000 })).toEqual({
      annotations: [],
      changes: [],
      announcements: [],
      outagesOpened: [],
      outagesClosed: [],
      nextDueMs: undefined,
    });
    // A new failure next to it opens a new incident of its own.
    const step = plan({
      alarms: [...alarms, uplink2(1, { raisedAtMs: 0 })],
      resolved: [byHand],
      nowMs: 60_000,
    });
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
});

const linkDownAt = (id: string, device: string, component: string, extra = {}) => ({
  id,
  type: 'linkDown',
  device,
  component,
  severity: 'major' as const,
  description: `linkDown on ${device}:${component}`,
  reductionKey: `linkDown:${device}:${component}`,
  ...extra,
});
/** A linkDown of access-1:ge-0/0/2 under its reduction key: each flap of the port is one. */
const portDown = (id: string) =>
  linkDownAt(id, 'access-1', 'ge-0/0/2', { reductionKey: 'linkDown:access-1:ge-0/0/2' });

const deviceDownOn = (id: string, device: string) => ({
  id,
  type: 'deviceDown',
  device,
  component: null,
  severity: 'critical' as const,
  description: `${device} down`,
});

describe('incidents an on-call engineer can trust (timelines)', () => {
  it('a warning is recorded, never an incident; a reboot opens nothing', () => {
    const world = createCorrelationWorld({
      policy: alarmPolicy({ pageFrom: 'minor', recordOnly: [], repageOn: 'critical' }),
    });
    world.raise({
      id: 'c1',
      type: 'coldStart',
      device: 'access-2',
      component: null,
      severity: 'warning',
      description: 'access-2 restarted (cold start)',
    });
    world.at(10_000);
    world.step();
    expect(world.incidents()).toEqual([]);
    // A type recorded only, whatever its severity.
    const strict = createCorrelationWorld({
      policy: alarmPolicy({ pageFrom: 'warning', recordOnly: ['coldStart'], repageOn: 'critical' }),
    });
    strict.raise({
      id: 'c1',
      type: 'coldStart',
      device: 'access-2',
      component: null,
      severity: 'major',
      description: 'restart',
    });
    strict.at(10_000);
    strict.step();
    expect(strict.incidents()).toEqual([]);
  });

  it('what a down link explains on its ends folds in: optics, thresholds, the far end', () => {
    const world = createCorrelationWorld();
    world.raise(linkDownAt('l1', 'core-1', 'xe-0/0/2'));
    world.at(500);
    world.raise({
      id: 'o1',
      type: 'optical-rx-low',
      device: 'core-1',
      component: 'xe-0/0/2',
      severity: 'major',
      description: 'optical_rx_dbm -40 below -25 on core-1 xe-0/0/2',
    });
    world.raise({
      id: 'o2',
      type: 'optical-rx-low',
      device: 'agg-2',
      component: 'xe-0/0/48',
      severity: 'major',
      description: 'optical_rx_dbm -40 below -25 on agg-2 xe-0/0/48',
    });
    world.raise(linkDownAt('l2', 'agg-2', 'xe-0/0/48'));
    world.at(3000);
    world.step();
    expect(world.incidents().map((i) => [i.id, i.title, i.alarmIds])).toEqual([
      ['inc-l1', 'core-1:xe-0/0/2 down', ['l1', 'l2', 'o1', 'o2']],
    ]);
    const o2 = world.alarms.find((a) => a.id === 'o2');
    expect(o2?.explanation).toBe(
      'agg-2:xe-0/0/48 optical-rx-low: the link core-1:xe-0/0/2--agg-2:xe-0/0/48 is down',
    );
    // A customer port (no topology link) explains what is on itself too.
    const port = createCorrelationWorld();
    port.raise(linkDownAt('p1', 'access-1', 'ge-0/0/2'));
    port.raise({
      id: 'p2',
      type: 'optical-rx-low',
      device: 'access-1',
      component: 'ge-0/0/2',
      severity: 'major',
      description: 'optics',
    });
    port.at(3000);
    port.step();
    expect(port.incidents().map((i) => [i.title, i.alarmIds, i.impactedServices])).toEqual([
      [
        'access-1:ge-0/0/2 down',
        ['p1', 'p2'],
        [{ customerId: 'umbrella', serviceId: 'umbrella-dc' }],
      ],
    ]);
  });

  it('the symptom rules decide what a failure explains', () => {
    const world = createCorrelationWorld();
    const input = () => ({
      ...world.input(),
      explains: symptomMatcher({ link: ['linkDown'], device: ['*'] }),
    });
    world.raise(linkDownAt('l1', 'core-1', 'xe-0/0/2'));
    world.raise({
      id: 'u1',
      type: 'link-congested',
      device: 'core-1',
      component: 'xe-0/0/2',
      severity: 'major',
      description: 'congested',
    });
    world.at(3000);
    const step = planCorrelation(input());
    expect(step.changes.map((c) => c.incident.alarmIds)).toEqual([['l1'], ['u1']]);
  });

  it('an acknowledgement sticks; becoming critical pages again and says so', () => {
    const world = createCorrelationWorld();
    world.raise(linkDownAt('l1', 'core-1', 'xe-0/0/2'));
    world.at(3000);
    world.step();
    world.acknowledge('inc-l1', 'alice');
    // A new symptom: the acknowledgement holds, the timeline says what changed.
    world.at(4000);
    world.raise(linkDownAt('l2', 'agg-2', 'xe-0/0/48'));
    let step = world.step();
    expect(
      step.changes.map((c) => [c.incident.state, c.incident.acknowledgedBy, c.reasons]),
    ).toEqual([
      [
        'acknowledged',
        'alice',
        ['new symptom: agg-2:xe-0/0/48 is the other end of core-1:xe-0/0/2, which is down'],
      ],
    ]);
    expect(step.announcements).toHaveLength(1);
    // Critical: still acknowledged, but paged again, with the reason.
    world.clear('l1');
    world.raise(
      linkDownAt('l1b', 'core-1', 'xe-0/0/2', {
        severity: 'critical',
        reductionKey: 'linkDown:core-1:xe-0/0/2',
      }),
    );
    world.at(5000);
    step = world.step();
    expect(
      step.changes.map((c) => [c.incident.state, c.incident.acknowledgedBy, c.repage]),
    ).toEqual([['acknowledged', 'alice', true]]);
    expect(step.changes[0]?.reasons).toContain('paged again: critical while acknowledged by alice');
  });

  it('when the root clears the incident resolves under its name; devices behind recover', () => {
    const world = createCorrelationWorld({ recoveryMs: 30_000 });
    world.raise(linkDownAt('r1', 'core-1', 'xe-0/0/2'));
    world.raise(linkDownAt('r2', 'core-2', 'xe-0/0/3'));
    world.at(1000);
    world.raise(deviceDownOn('s1', 'agg-2'));
    world.raise(deviceDownOn('s2', 'access-3'));
    world.at(3000);
    world.step();
    const opened = world.incident('inc-r1');
    expect(opened?.title).toBe('core-1:xe-0/0/2 and core-2:xe-0/0/3 down: access-3, agg-2 cut off');
    // The fibre is spliced: the links are up, the devices wait for their next poll.
    world.at(60_000);
    world.clear('r1');
    world.clear('r2');
    world.step();
    world.at(61_000);
    world.step();
    expect(
      world.incidents().map((i) => [i.id, i.state, i.title, i.primaryAlarmId, i.resolution]),
    ).toEqual([['inc-r1', 'resolved', opened?.title, 'r1', 'root cause cleared']]);
    expect(world.alarms.map((a) => [a.id, a.incidentId, a.causedBy])).toEqual([
      ['s1', 'inc-r1', 'r1'],
      ['s2', 'inc-r1', 'r1'],
    ]);
    // One answers its poll; the other never does: after the recovery time it is a fault of its own.
    world.clear('s2');
    world.at(89_000);
    expect(world.step().changes).toEqual([]);
    world.at(91_000);
    const step = world.step();
    expect(step.changes.map((c) => [c.kind, c.incident.id, c.incident.title])).toEqual([
      ['opened', 'inc-s1', 'agg-2 down: access-3 cut off'],
    ]);
  });

  it('a device behind a half-repaired cut waits for its poll: recovering, not a new root', () => {
    const world = createCorrelationWorld();
    world.raise(linkDownAt('r1', 'core-1', 'xe-0/0/2'));
    world.raise(linkDownAt('r2', 'core-2', 'xe-0/0/3'));
    world.raise(deviceDownOn('s1', 'agg-2'));
    world.at(3000);
    world.step();
    const title = world.incident('inc-r1')?.title;
    // core-2's fibre is spliced: agg-2 is reachable again but its alarm stays until its next poll.
    // It is not a new root: the incident keeps its name and roots, and nothing changes yet.
    world.at(30_000);
    world.clear('r2');
    expect(world.step().changes).toEqual([]);
    expect(world.incident('inc-r1')).toMatchObject({
      title,
      rootAlarmIds: ['r1', 'r2'],
      primaryAlarmId: 'r1',
    });
    // Its poll answers; then the other fibre: resolved under the name it opened with.
    world.at(31_000);
    world.clear('s1');
    world.step();
    world.at(40_000);
    world.clear('r1');
    expect(world.step().changes.map((c) => [c.kind, c.incident.title])).toEqual([
      ['resolved', title],
    ]);
  });

  it('an alarm the fault explains that comes just after it cleared recovers with it', () => {
    const world = createCorrelationWorld({ recoveryMs: 30_000 });
    world.raise(linkDownAt('r1', 'core-1', 'xe-0/0/2'));
    world.raise(linkDownAt('r2', 'core-2', 'xe-0/0/3'));
    world.at(3000);
    world.step();
    world.at(40_000);
    world.clear('r1');
    world.clear('r2');
    world.step();
    // A poll that started during the cut fails after the repair: access-3 "down", late.
    world.at(41_000);
    world.raise(deviceDownOn('late', 'access-3'));
    world.at(45_000);
    world.step();
    expect(world.incidents().map((i) => [i.id, i.state])).toEqual([['inc-r1', 'resolved']]);
    expect(world.alarms.map((a) => [a.id, a.incidentId, a.causedBy])).toEqual([
      ['late', 'inc-r1', 'r1'],
    ]);
    // Still down long after: a fault of its own.
    world.at(71_000);
    expect(world.step().changes.map((c) => [c.kind, c.incident.id])).toEqual([
      ['opened', 'inc-late'],
    ]);
    // An alarm long after the repair was never the fault's.
    const fresh = createCorrelationWorld({ recoveryMs: 600_000 });
    fresh.raise(linkDownAt('r1', 'core-1', 'xe-0/0/2'));
    fresh.raise(linkDownAt('r2', 'core-2', 'xe-0/0/3'));
    fresh.at(3000);
    fresh.step();
    fresh.at(10_000);
    fresh.clear('r1');
    fresh.clear('r2');
    fresh.step();
    fresh.at(10_000 + LATE_SYMPTOM_MS + 1000);
    fresh.raise(deviceDownOn('new', 'access-3'));
    fresh.at(fresh.nowMs + 3000);
    expect(fresh.step().changes.map((c) => [c.kind, c.incident.id])).toEqual([
      ['opened', 'inc-new'],
    ]);
  });

  it('a device whose poll failed during a cut, reported after half of it was repaired, is late', () => {
    // On a busy machine agg-2's failed poll is reported after core-2's fibre came back: agg-2 is
    // reachable by then, but what took it down was the cut, not a new fault of agg-2's own.
    const world = createCorrelationWorld();
    world.raise(linkDownAt('r1', 'core-1', 'xe-0/0/2'));
    world.raise(linkDownAt('r2', 'core-2', 'xe-0/0/3'));
    world.at(3000);
    world.step();
    const title = world.incident('inc-r1')?.title;
    world.at(30_000);
    world.clear('r2');
    world.step();
    world.at(30_700);
    world.raise(deviceDownOn('s1', 'agg-2'));
    world.at(33_000);
    const step = world.step();
    expect(world.incident('inc-r1')).toMatchObject({ title, rootAlarmIds: ['r1', 'r2'] });
    expect(world.incident('inc-r1')?.alarmIds).toContain('s1');
    expect(step.changes.map((c) => c.reasons)).toEqual([
      [expect.stringMatching(/^new symptom: .*agg-2.*\(recovering\)$/)],
    ]);
    expect(step.announcements.filter((c) => c.kind === 'opened')).toEqual([]);
    const s1 = world.alarms.find((a) => a.id === 's1');
    expect([s1?.incidentId, s1?.causedBy]).toEqual(['inc-r1', 'r1']);
    // It answers its next poll, then the other fibre is spliced: resolved under its first name.
    world.at(35_000);
    world.clear('s1');
    expect(world.step().changes).toEqual([]);
    world.at(40_000);
    world.clear('r1');
    expect(world.step().changes.map((c) => [c.kind, c.incident.title])).toEqual([
      ['resolved', title],
    ]);
    // Reported long after the partial repair, agg-2 down is a failed element of its own.
    const later = createCorrelationWorld();
    later.raise(linkDownAt('r1', 'core-1', 'xe-0/0/2'));
    later.raise(linkDownAt('r2', 'core-2', 'xe-0/0/3'));
    later.at(3000);
    later.step();
    later.at(30_000);
    later.clear('r2');
    later.step();
    later.at(30_000 + LATE_SYMPTOM_MS + 1000);
    later.raise(deviceDownOn('s1', 'agg-2'));
    later.at(later.nowMs + 3000);
    later.step();
    expect(later.incident('inc-r1')?.rootAlarmIds).toContain('s1');
  });

  it('optics read while a flapping port was dark, reported after it came up, join its incident', () => {
    const world = createCorrelationWorld({ flapCount: 3, flapWindowMs: 60_000 });
    const key = 'linkDown:access-1:ge-0/0/2';
    for (const [n, id] of ['f1', 'f2', 'f3'].entries()) {
      world.at(n * 5000);
      world.raise(linkDownAt(id, 'access-1', 'ge-0/0/2', { reductionKey: key }));
      world.at(n * 5000 + 3000);
      world.step();
      world.at(n * 5000 + 4000);
      world.clear(id);
      world.step();
    }
    expect(world.incidents().map((i) => [i.id, i.state, i.flapCount])).toEqual([
      ['inc-f1', 'open', 3],
    ]);
    // The port is up again (waiting out its quiet window) when the dark reading's alarm arrives.
    world.at(14_500);
    world.raise({
      id: 'o1',
      type: 'optical-rx-low',
      device: 'access-1',
      component: 'ge-0/0/2',
      severity: 'major',
      description: 'optics',
    });
    world.at(17_000);
    const step = world.step();
    expect(step.changes.map((c) => [c.kind, c.incident.id, c.reasons])).toEqual([
      ['updated', 'inc-f1', [expect.stringMatching(/^new symptom: .*\(recovering\)$/)]],
    ]);
    expect(world.incidents().map((i) => i.id)).toEqual(['inc-f1']);
    // It clears; the port stays up a whole window: one incident, resolved, every alarm in it.
    world.at(18_000);
    world.clear('o1');
    world.step();
    world.at(10_000 + 61_000);
    world.step();
    expect(world.incidents().map((i) => [i.id, i.state, i.alarmIds])).toEqual([
      ['inc-f1', 'resolved', ['f1', 'f2', 'f3', 'o1']],
    ]);
  });

  it('the end of a link nearer the topology roots names it, whatever the ids', () => {
    for (const [near, far] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      const world = createCorrelationWorld();
      world.raise(linkDownAt(far, 'agg-2', 'xe-0/0/48'));
      world.raise(linkDownAt(near, 'core-1', 'xe-0/0/2'));
      world.at(3000);
      world.step();
      expect(world.incidents().map((i) => [i.title, i.primaryAlarmId])).toEqual([
        ['core-1:xe-0/0/2 down', near],
      ]);
    }
  });

  it('flapping from the first flap: one incident, re-opened, resolved after a quiet window', () => {
    const world = createCorrelationWorld({ flapCount: 3, flapWindowMs: 60_000 });
    const key = 'linkDown:access-1:ge-0/0/2';
    const flap = (id: string) => {
      world.raise(linkDownAt(id, 'access-1', 'ge-0/0/2', { reductionKey: key }));
    };
    flap('f1');
    world.at(3000);
    world.step();
    world.at(4000);
    world.clear('f1');
    world.step();
    expect(world.incident('inc-f1')?.state).toBe('resolved');
    // Down again: the same incident re-opens, flapping from now on, and says so.
    world.at(10_000);
    flap('f2');
    let step = world.step();
    expect(
      step.changes.map((c) => [
        c.kind,
        c.incident.id,
        c.incident.state,
        c.incident.flapCount,
        c.repage,
      ]),
    ).toEqual([['updated', 'inc-f1', 'open', 2, true]]);
    expect(step.changes[0]?.reasons?.[0]).toBe(
      're-opened: access-1:ge-0/0/2 down again after it recovered',
    );
    // Flaps while it is open change nothing anyone is paged for, and it stays open between them.
    for (const [n, id] of ['f3', 'f4', 'f5', 'f6'].entries()) {
      world.at(12_000 + n * 6000);
      world.clear(n === 0 ? 'f2' : `f${String(n + 2)}`);
      step = world.step();
      expect(step.changes.filter((c) => c.kind === 'resolved')).toEqual([]);
      world.at(15_000 + n * 6000);
      flap(id);
      step = world.step();
      expect(step.announcements).toEqual([]);
    }
    world.at(34_000);
    world.clear('f6');
    world.step();
    const incident = world.incident('inc-f1');
    expect(incident).toMatchObject({ state: 'open', flapCount: 6 });
    expect(incident?.alarmIds).toEqual(['f1', 'f2', 'f3', 'f4', 'f5', 'f6']);
    // A whole window without a raise: resolved, once.
    world.at(33_000 + 59_000);
    expect(world.step().changes).toEqual([]);
    world.at(33_000 + 61_000);
    expect(world.step().changes.map((c) => [c.kind, c.incident.resolution])).toEqual([
      ['resolved', 'stable: no raise for 60 s'],
    ]);
    const tickets = world.announcements().filter((c) => c.incident.id === 'inc-f1');
    expect(tickets.map((c) => c.kind)).toEqual(['opened', 'resolved', 'updated', 'resolved']);
    expect(world.incidents()).toHaveLength(1);
  });

  it('flaps faster than the hold window are counted, and the count opens the incident', () => {
    const world = createCorrelationWorld({ flapCount: 3, flapWindowMs: 60_000 });
    const key = 'linkDown:access-1:ge-0/0/2';
    for (const [n, id] of ['f1', 'f2', 'f3'].entries()) {
      world.at(n * 5000);
      world.raise(linkDownAt(id, 'access-1', 'ge-0/0/2', { reductionKey: key }));
      world.step();
      world.at(n * 5000 + 1000);
      if (n < 2) {
        world.clear(id);
        world.step();
      }
    }
    expect(world.incidents().map((i) => [i.id, i.flapCount, i.alarmIds])).toEqual([
      ['inc-f3', 3, ['f1', 'f2', 'f3']],
    ]);
    expect(world.alarms.map((a) => [a.id, a.flapCount])).toEqual([['f3', 3]]);
    expect(world.cleared.map((a) => [a.id, a.incidentId, a.flapCount])).toEqual([
      ['f1', 'inc-f3', 3],
      ['f2', 'inc-f3', 3],
    ]);
  });

  it('flaps no step saw open join the incident their key opens (a busy machine)', () => {
    const world = createCorrelationWorld({ flapCount: 3, flapWindowMs: 60_000 });
    // Two flaps raised and cleared before any step runs; the third is seen open.
    for (const [n, id] of ['f1', 'f2', 'f3'].entries()) {
      world.at(n * 1500);
      world.raise(portDown(id));
      world.at(n * 1500 + 500);
      if (n < 2) world.clear(id);
    }
    const step = world.step();
    expect(step.changes.map((c) => [c.kind, c.incident.id, c.incident.flapCount])).toEqual([
      ['opened', 'inc-f3', 3],
    ]);
    expect(world.incident('inc-f3')).toMatchObject({
      primaryAlarmId: 'f3',
      rootAlarmIds: ['f3', 'f1', 'f2'],
      alarmIds: ['f1', 'f2', 'f3'],
    });
    expect(world.cleared.map((a) => [a.id, a.incidentId, a.flapCount])).toEqual([
      ['f1', 'inc-f3', 3],
      ['f2', 'inc-f3', 3],
    ]);
    // Adopted once: the next step changes nothing.
    expect(world.step()).toMatchObject({ changes: [], annotations: [] });
  });

  it('a flap raised and cleared between two steps joins its incident, which then flaps', () => {
    // The same network, stepped by an idle correlator and by busy ones that miss a step: after
    // f1 cleared (f2 is the next alarm it sees), after f2 was raised (it sees f2 only cleared), or
    // both.
    const schedules = [
      [true, true],
      [false, true],
      [true, false],
      [false, false],
    ];
    const ends = schedules.map(([afterClear, afterRaise]) => {
      const world = createCorrelationWorld({ flapCount: 3, flapWindowMs: 60_000 });
      world.raise(portDown('f1'));
      world.at(3000);
      world.step();
      world.at(4000);
      world.clear('f1');
      if (afterClear === true) world.step();
      world.at(5000);
      world.raise(portDown('f2'));
      if (afterRaise === true) world.step();
      world.at(5500);
      world.clear('f2');
      world.step();
      const waiting = {
        incidents: world.incidents().map((i) => [i.id, i.state, i.alarmIds, i.flapCount]),
        outages: world.outages.map((o) => `${o.incidentId} ${o.customerId}/${o.serviceId}`),
      };
      world.at(5000 + 61_000);
      world.step();
      return {
        waiting,
        end: world.incidents().map((i) => [i.id, i.state, i.alarmIds, i.flapCount, i.resolution]),
      };
    });
    for (const end of ends.slice(1)) expect(end).toEqual(ends[0]);
    expect(ends[0]).toEqual({
      waiting: {
        incidents: [['inc-f1', 'open', ['f1', 'f2'], 2]],
        outages: ['inc-f1 umbrella/umbrella-dc'],
      },
      end: [['inc-f1', 'resolved', ['f1', 'f2'], 2, 'stable: no raise for 60 s']],
    });
  });

  it('a raise before the flap window is not a flap of the incident its key opens later', () => {
    const world = createCorrelationWorld({ flapCount: 3, flapWindowMs: 60_000 });
    world.raise(portDown('f1'));
    world.at(500);
    world.clear('f1');
    world.at(70_000);
    world.raise(portDown('f2'));
    world.at(73_000);
    world.step();
    expect(world.incidents().map((i) => [i.id, i.alarmIds, i.flapCount])).toEqual([
      ['inc-f2', ['f2'], undefined],
    ]);
    expect(world.cleared.map((a) => [a.id, a.incidentId])).toEqual([['f1', null]]);
  });
});
