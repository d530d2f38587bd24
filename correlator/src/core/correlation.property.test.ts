import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Incident } from '@faultline/shared';
import { planCorrelation, type CorrelationAlarm, type CorrelationInput } from './incidents.js';
import { analyzeTopology } from './topology.js';
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
        const notes = new Map(first.annotations.map((a) => [a.alarmId, a]));
        const incidents = new Map<string, Incident>();
        for (const change of first.changes) incidents.set(change.incident.id, change.incident);
        const next = planCorrelation({
          ...input,
          alarms: alarms.map((a) => {
            const note = notes.get(a.id);
            return note === undefined
              ? a
              : {
                  ...a,
                  causedBy: note.causedBy,
                  explanation: note.explanation,
                  incidentId: note.incidentId,
                };
          }),
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

  it('over any timeline: each incident is announced once, resolved once, and all end resolved', () => {
    const opArb = fc.oneof(
      fc.record({ op: fc.constant('raise' as const), alarm: alarmArb }),
      fc.record({ op: fc.constant('clear' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        let nowMs = 0;
        let alarms: CorrelationAlarm[] = [];
        let incidents = new Map<string, Incident>();
        let outages: CorrelationInput['outages'] = [];
        const opened = new Map<string, number>();
        const resolved = new Map<string, number>();
        let nextId = 0;
        const step = () => {
          const plan = planCorrelation({
            topology: T,
            alarms,
            incidents: [...incidents.values()],
            outages,
            nowMs,
            holdMs: 2000,
          });
          const notes = new Map(plan.annotations.map((a) => [a.alarmId, a]));
          alarms = alarms.map((a) => {
            const note = notes.get(a.id);
            return note === undefined
              ? a
              : {
                  ...a,
                  causedBy: note.causedBy,
                  explanation: note.explanation,
                  incidentId: note.incidentId,
                };
          });
          incidents = new Map(incidents);
          for (const change of plan.changes) incidents.set(change.incident.id, change.incident);
          for (const [id, incident] of incidents)
            if (incident.state === 'resolved') incidents.delete(id);
          const closed = new Set(plan.outagesClosed.map((o) => `${o.incidentId}/${o.serviceId}`));
          outages = [
            ...outages.filter((o) => !closed.has(`${o.incidentId}/${o.serviceId}`)),
            ...plan.outagesOpened.map((o) => ({
              incidentId: o.incidentId,
              customerId: o.customerId,
              serviceId: o.serviceId,
            })),
          ];
          for (const change of plan.announcements) {
            const counts =
              change.kind === 'resolved' ? resolved : change.kind === 'opened' ? opened : undefined;
            counts?.set(change.incident.id, (counts.get(change.incident.id) ?? 0) + 1);
            if (change.kind === 'resolved') expect(opened.get(change.incident.id)).toBe(1);
          }
          // No open alarm belongs to two open incidents; none points at a missing one.
          for (const alarm of alarms)
            if (alarm.incidentId !== null) expect(incidents.has(alarm.incidentId)).toBe(true);
        };
        for (const op of ops) {
          if (op.op === 'raise') {
            nextId += 1;
            alarms = [
              ...alarms,
              { ...op.alarm, id: `a${String(nextId)}`, firstSeenMs: nowMs, raisedAtMs: nowMs },
            ];
          } else if (op.op === 'clear' && alarms.length > 0) {
            alarms = alarms.filter((_, index) => index !== op.pick % alarms.length);
          } else if (op.op === 'tick') {
            nowMs += op.ms;
          }
          step();
        }
        // Everything clears and time passes: nothing stays open, every push got its resolve.
        alarms = [];
        nowMs += 10_000;
        step();
        expect(incidents.size).toBe(0);
        expect(outages).toEqual([]);
        for (const [id, count] of opened) {
          expect(count).toBe(1);
          expect(resolved.get(id)).toBe(1);
        }
      }),
      { numRuns: 200 },
    );
  });
});
