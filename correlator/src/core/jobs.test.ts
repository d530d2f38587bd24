import { describe, expect, it } from 'vitest';
import type { Incident } from '@faultline/shared';
import { jobsForChanges } from './jobs.js';

const incident: Incident = {
  id: 'inc-0b6f2f4e-1c1d-4a57-9d39-1f6a4f7c2a10',
  state: 'open',
  title: 'core-1:xe-0/0/2 down',
  severity: 'major',
  primaryAlarmId: '0b6f2f4e-1c1d-4a57-9d39-1f6a4f7c2a10',
  rootAlarmIds: ['0b6f2f4e-1c1d-4a57-9d39-1f6a4f7c2a10'],
  alarmIds: ['0b6f2f4e-1c1d-4a57-9d39-1f6a4f7c2a10'],
  cutOffDevices: [],
  impactedServices: [],
  ticketId: 'tkt-0b6f2f4e-1c1d-4a57-9d39-1f6a4f7c2a10',
  openedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  resolvedAt: null,
  resolution: null,
  acknowledgedBy: null,
  assignee: null,
  inMaintenance: false,
  announced: true,
  version: 1,
};

describe('jobsForChanges', () => {
  it('one ticket job per change, one push per target on open and resolve only, one paging job per change that pages', () => {
    const jobs = jobsForChanges(
      [
        { kind: 'opened', incident },
        { kind: 'updated', incident: { ...incident, version: 2 } },
        { kind: 'resolved', incident: { ...incident, state: 'resolved', version: 3 } },
      ],
      ['pager', 'chat'],
    );
    expect(jobs.map((j) => [j.queue, j.name, j.jobId])).toEqual([
      ['tickets', 'create', `ticket-${incident.id}-v1`],
      ['paging', 'page', `paging-${incident.id}-page-v1`],
      ['notifications', 'opened', `notify-pager-${incident.id}-opened`],
      ['notifications', 'opened', `notify-chat-${incident.id}-opened`],
      ['tickets', 'update', `ticket-${incident.id}-v2`],
      ['tickets', 'resolve', `ticket-${incident.id}-v3`],
      ['paging', 'resolve', `paging-${incident.id}-resolve-v3`],
      ['notifications', 'resolved', `notify-pager-${incident.id}-resolved-v3`],
      ['notifications', 'resolved', `notify-chat-${incident.id}-resolved-v3`],
    ]);
    for (const job of jobs) {
      expect(job.jobId).not.toContain(':');
      expect(job.jobId).not.toMatch(/^\d+$/);
    }
  });

  it('the same changes give the same job ids (replays dedup)', () => {
    const a = jobsForChanges([{ kind: 'opened', incident }], ['pager']);
    const b = jobsForChanges([{ kind: 'opened', incident }], ['pager']);
    expect(a.map((j) => j.jobId)).toEqual(b.map((j) => j.jobId));
  });
});
