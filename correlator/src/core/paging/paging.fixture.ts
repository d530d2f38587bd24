import type { EscalationPolicy, Incident, PagePayload, Rotation } from '@faultline/shared';
import { openIncident } from '../testing/incident-fixture.js';

/** An open incident, as the correlator announces it. */
export const incident: Incident = openIncident({
  id: 'inc-1',
  title: 'core-1:xe-0/0/2 down: agg-2 cut off',
  severity: 'critical',
  primaryAlarmId: 'a-1',
  rootAlarmIds: ['a-1'],
  alarmIds: ['a-1'],
  cutOffDevices: ['agg-2'],
  impactedServices: [{ customerId: 'acme', serviceId: 'acme-1' }],
  ticketId: 'tkt-1',
  openedAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
});

/** Alice and Bob take turns of a day, handing off at 09:00 in Paris. */
export const rotation: Rotation = {
  name: 'noc',
  timeZone: 'Europe/Paris',
  start: '2026-12-01',
  handoff: '09:00',
  shiftDays: 1,
  people: ['alice', 'bob'],
};

/** Level 1 the rotation, level 2 Carol and the team chat; once more after that. */
export const policy: EscalationPolicy = {
  name: 'core',
  match: {},
  levels: [
    { targets: [{ rotation: 'noc' }], escalateAfterMin: 5 },
    { targets: [{ person: 'carol' }, { channel: 'chat' }], escalateAfterMin: 10 },
  ],
  repeat: 1,
};

/** What a page of `incident` says. */
export const payload: PagePayload = {
  kind: 'page',
  incidentId: 'inc-1',
  title: incident.title,
  severity: 'critical',
  customers: [{ id: 'acme', name: 'Acme Corp' }],
  impactedServices: 1,
  url: 'https://noc.example/incidents/inc-1',
  openedAt: incident.openedAt,
};
