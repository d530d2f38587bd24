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
});
