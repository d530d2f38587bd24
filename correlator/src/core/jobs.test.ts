import { describe, expect, it } from 'vitest';
import { jobsForChanges } from './jobs.js';
import { openIncident } from './testing/incident-fixture.js';

const incident = openIncident();

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
