import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Incident } from '@faultline/shared';
import { planCorrelation, type CorrelationAlarm, type CorrelationInput } from './incidents.js';
import { analyzeTopology } from './topology.js';
import { annotated, createCorrelationWorld } from './testing/correlation-world.js';
import { EXAMPLE_TOPOLOGY as T } from './testing/example-topology.js';

const ends = T.links.flatMap((link) => [link.a, link.b]);

/** A random open alarm on the example network: a link end down, a device down, or other. */
const alarmArb = fc
  .record({
    kind: fc.constantFrom('link', 'device', 'other'),
    end: fc.constantFrom(...ends),
    device: fc.constantFrom(...T.devices, '10.0.0.9'),
    atS: fc.integer({ min: 0, max: 20 }),
    severity: fc.constantFrom('minor' as const, 'major' as const, 'critical' as const),
  })
  .map(({ kind, end, device, atS, severity }): Omit<CorrelationAlarm, 'id'> => ({
    type: kind === 'link' ? 'linkDown' : kind === 'device' ? 'unreachable' : 'coldStart',
    device: kind === 'link' ? end.device : device,
    component: kind === 'link' ? end.interface : null,
    firstSeenMs: atS * 1000,
    raisedAtMs: atS * 1000,
    severity,
    description: kind,
    causedBy: null,
    explanation: null,
    incidentId: null,
  }));

const alarmsArb = fc
  .array(alarmArb, { maxLength: 12 })
  .map((alarms) => alarms.map((a, index) => ({ ...a, id: `a${String(index)}` })));

describe('correlation properties', () => {
  it('every open alarm is in exactly one group, as a root or a symptom', () => {
    fc.assert(
      fc.property(alarmsArb, (alarms) => {
        const groups = analyzeTopology(T, alarms);
        const seen = groups.flatMap((g) => [...g.rootAlarmIds, ...g.symptoms.keys()]);
        expect([...seen].sort()).toEqual(alarms.map((a) => a.id).sort());
        for (const g of groups) expect(g.rootAlarmIds.length).toBeGreaterThan(0);
        const cut = groups.flatMap((g) => g.cutOffDevices);
        expect(new Set(cut).size).toBe(cut.length);
      }),
    );
  });

  it('a step applied is a fixpoint: the next step at the same time decides nothing', () => {
    fc.assert(
      fc.property(alarmsArb, fc.integer({ min: 0, max: 30 }), (alarms, nowS) => {
        const input: CorrelationInput = {
          topology: T,
          alarms,
          incidents: [],
          outages: [],
          nowMs: nowS * 1000,
          holdMs: 2000,
        };
        const first = planCorrelation(input);
        const incidents = new Map<string, Incident>();
        for (const change of first.changes) incidents.set(change.incident.id, change.incident);
        const next = planCorrelation({
          ...input,
          alarms: annotated(alarms, first),
          incidents: [...incidents.values()].filter((i) => i.state !== 'resolved'),
          outages: first.outagesOpened.map((o) => ({
            incidentId: o.incidentId,
            customerId: o.customerId,
            serviceId: o.serviceId,
          })),
        });
        expect(next.annotations).toEqual([]);
        expect(next.changes).toEqual([]);
        expect(next.outagesOpened).toEqual([]);
        expect(next.outagesClosed).toEqual([]);
        // One incident per primary root, never two for one alarm.
        const members = [...incidents.values()].flatMap((i) => i.alarmIds);
        expect(new Set(members).size).toBe(members.length);
      }),
    );
  });

  it('over any timeline: every open incident has a root of its own, acknowledgements stick, all end resolved', () => {
    const opArb = fc.oneof(
      fc.record({ op: fc.constant('raise' as const), alarm: alarmArb }),
      fc.record({ op: fc.constant('clear' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('ack' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const world = createCorrelationWorld({
          flapCount: 3,
          flapWindowMs: 20_000,
          recoveryMs: 5000,
        });
        const acknowledged = new Map<string, string>();
        let nextId = 0;
        const step = () => {
          world.step();
          const open = world.incidents().filter((i) => i.state !== 'resolved');
          // No root is in two open incidents.
          const roots = open.flatMap((i) => i.rootAlarmIds);
          expect(new Set(roots).size).toBe(roots.length);
          for (const incident of open) {
            // Each open incident has a root: an open root alarm, or it flaps and waits out its window.
            const hasOpenRoot = incident.rootAlarmIds.some((id) =>
              world.alarms.some((a) => a.id === id),
            );
            expect(hasOpenRoot || incident.flapCount !== undefined).toBe(true);
            // An acknowledgement survives every change but an explicit one.
            const by = acknowledged.get(incident.id);
            if (by !== undefined)
              expect([incident.state, incident.acknowledgedBy]).toEqual(['acknowledged', by]);
          }
          // An alarm names an incident that exists.
          for (const alarm of world.alarms)
            if (alarm.incidentId !== null) expect(world.incident(alarm.incidentId)).toBeDefined();
        };
        for (const op of ops) {
          if (op.op === 'raise') {
            nextId += 1;
            const alarm = op.alarm;
            // Keys repeat across raises (same element, same type): flaps happen.
            world.raise({
              ...alarm,
              firstSeenMs: world.nowMs,
              id: `a${String(nextId)}`,
              reductionKey: `${alarm.type}:${alarm.device}:${alarm.component ?? ''}`,
            });
          } else if (op.op === 'clear' && world.alarms.length > 0) {
            const alarm = world.alarms[op.pick % world.alarms.length];
            if (alarm !== undefined) world.clear(alarm.id);
          } else if (op.op === 'ack') {
            const open = world.incidents().filter((i) => i.state === 'open');
            const incident = open[op.pick % Math.max(1, open.length)];
            if (incident !== undefined) {
              world.acknowledge(incident.id, 'alice');
              acknowledged.set(incident.id, 'alice');
            }
          } else if (op.op === 'tick') {
            world.at(world.nowMs + op.ms);
          }
          step();
        }
        // Everything clears and time passes: nothing stays open, every push got its resolve.
        for (const alarm of [...world.alarms]) world.clear(alarm.id);
        world.at(world.nowMs + 60_000);
        step();
        expect(world.incidents().filter((i) => i.state !== 'resolved')).toEqual([]);
        expect(world.outages).toEqual([]);
        const pushes = new Map<string, string[]>();
        for (const change of world.announcements())
          pushes.set(change.incident.id, [...(pushes.get(change.incident.id) ?? []), change.kind]);
        for (const kinds of pushes.values()) {
          expect(kinds[0]).toBe('opened');
          expect(kinds.filter((k) => k === 'opened')).toHaveLength(1);
          expect(kinds.at(-1)).toBe('resolved');
        }
      }),
      { numRuns: 300 },
    );
  });
});
