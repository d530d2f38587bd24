import type { Incident } from '@faultline/shared';

const ROOT = '0b6f2f4e-1c1d-4a57-9d39-1f6a4f7c2a10';

/** An open, announced incident on one root (core-1:xe-0/0/2), for table tests; override any field. */
export function openIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: `inc-${ROOT}`,
    state: 'open',
    title: 'core-1:xe-0/0/2 down',
    severity: 'major',
    primaryAlarmId: ROOT,
    rootAlarmIds: [ROOT],
    alarmIds: [ROOT],
    cutOffDevices: [],
    impactedServices: [],
    ticketId: `tkt-${ROOT}`,
    openedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    resolvedAt: null,
    resolution: null,
    acknowledgedBy: null,
    assignee: null,
    inMaintenance: false,
    announced: true,
    version: 1,
    ...overrides,
  };
}
