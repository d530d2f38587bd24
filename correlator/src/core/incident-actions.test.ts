import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Incident } from '@faultline/shared';
import {
  commandJobs,
  commentJob,
  decideIncidentCommand,
  isCommentRequestId,
  type IncidentCommand,
} from './incident-actions.js';
import { openIncident } from './testing/incident-fixture.js';

const NOW = '2026-12-07T01:00:00.000Z';
const incident = openIncident({
  id: 'inc-1',
  ticketId: 'tkt-1',
  openedAt: '2026-12-07T00:00:00.000Z',
  updatedAt: '2026-12-07T00:00:00.000Z',
  version: 3,
});
const acked: Incident = { ...incident, state: 'acknowledged', acknowledgedBy: 'alice' };
const resolved: Incident = { ...incident, state: 'resolved', resolvedAt: NOW, resolution: 'x' };

const acknowledge: IncidentCommand = { kind: 'acknowledge', actor: 'bob' };
const assign: IncidentCommand = { kind: 'assign', actor: 'alice', assignee: 'bob' };
const resolve: IncidentCommand = { kind: 'resolve', actor: 'carol' };

describe('decideIncidentCommand', () => {
  it.each<[string, Incident | undefined, IncidentCommand, string, Partial<Incident> | undefined]>([
    ['no incident', undefined, acknowledge, 'notFound', undefined],
    ['acknowledge a resolved incident', resolved, acknowledge, 'alreadyResolved', undefined],
    ['assign a resolved incident', resolved, assign, 'alreadyResolved', undefined],
    ['resolve a resolved incident', resolved, resolve, 'alreadyResolved', undefined],
    [
      'acknowledge an open incident',
      incident,
      acknowledge,
      'acknowledged',
      { state: 'acknowledged', acknowledgedBy: 'bob' },
    ],
    ['acknowledge twice: the first acknowledger stays', acked, acknowledge, 'unchanged', undefined],
    ['assign', incident, assign, 'assigned', { assignee: 'bob', state: 'open' }],
    ['assign to the assignee', { ...incident, assignee: 'bob' }, assign, 'unchanged', undefined],
    [
      'assign an acknowledged incident keeps it acknowledged',
      acked,
      assign,
      'assigned',
      { assignee: 'bob', state: 'acknowledged' },
    ],
    [
      'resolve',
      incident,
      resolve,
      'resolved',
      { state: 'resolved', resolvedAt: NOW, resolution: 'resolved by carol' },
    ],
    [
      'resolve with a note',
      acked,
      { ...resolve, note: 'fibre spliced' },
      'resolved',
      { state: 'resolved', resolvedAt: NOW, resolution: 'resolved by carol: fibre spliced' },
    ],
  ])('%s', (_name, current, command, kind, changed) => {
    const decision = decideIncidentCommand(current, command, NOW);
    expect(decision.kind).toBe(kind);
    if (changed === undefined) {
      expect('change' in decision).toBe(false);
      return;
    }
    if (!('change' in decision)) throw new Error('no change');
    expect(decision.change.incident).toEqual({
      ...current,
      ...changed,
      updatedAt: NOW,
      version: 4,
    });
  });

  it.each([
    [acknowledge, 'acknowledged', undefined],
    [assign, 'updated', 'Assigned to bob by alice'],
    [resolve, 'resolved', undefined],
  ] as const)('%j is an incident change %s with ticket note %s', (command, kind, note) => {
    const decision = decideIncidentCommand(incident, command, NOW);
    if (!('change' in decision)) throw new Error('no change');
    expect([decision.change.kind, decision.ticketNote]).toEqual([kind, note]);
  });

  it('never changes a resolved incident, and bumps the version by one when it changes', () => {
    const state = fc.constantFrom<Incident['state']>('open', 'acknowledged', 'resolved');
    const person = fc.constantFrom('alice', 'bob');
    const command: fc.Arbitrary<IncidentCommand> = fc.oneof(
      person.map((actor) => ({ kind: 'acknowledge' as const, actor })),
      fc.tuple(person, person).map(([actor, assignee]) => ({
        kind: 'assign' as const,
        actor,
        assignee,
      })),
      person.map((actor) => ({ kind: 'resolve' as const, actor })),
    );
    fc.assert(
      fc.property(state, fc.option(person, { nil: null }), command, (s, assignee, c) => {
        const current: Incident = { ...incident, state: s, assignee };
        const decision = decideIncidentCommand(current, c, NOW);
        if (s === 'resolved') expect(decision.kind).toBe('alreadyResolved');
        if ('change' in decision) {
          expect(decision.change.incident.version).toBe(current.version + 1);
          expect(decision.change.incident.id).toBe(current.id);
        }
      }),
    );
  });
});

describe('commandJobs', () => {
  const change = (kind: 'acknowledged' | 'updated' | 'resolved', announced = true) => ({
    kind,
    incident: { ...incident, announced },
  });

  it.each([
    ['an acknowledge: its ticket update, no push', change('acknowledged'), 1, 0],
    ['an assignment: its ticket update, no push', change('updated'), 1, 0],
    ['a resolve: its ticket update and a push per target', change('resolved'), 1, 2],
    ['an incident never announced: nothing', change('resolved', false), 0, 0],
  ])('%s', (_name, made, tickets, pushes) => {
    const jobs = commandJobs(made, 'alice', 'a note', ['pager', 'chat']);
    expect(jobs.filter((j) => j.queue === 'tickets')).toHaveLength(tickets);
    expect(jobs.filter((j) => j.queue === 'notifications')).toHaveLength(pushes);
    for (const job of jobs.filter((j) => j.queue === 'tickets'))
      expect(job.payload).toMatchObject({ actor: 'alice', note: 'a note' });
  });

  it('says no note when there is none', () => {
    const [ticket] = commandJobs(change('acknowledged'), 'alice', undefined, []);
    expect(ticket?.payload).toMatchObject({ actor: 'alice' });
    expect(ticket?.payload).not.toHaveProperty('note');
  });
});

describe('comments', () => {
  it.each([
    ['req-1_A', true],
    ['', false],
    ['a'.repeat(100), true],
    ['a'.repeat(101), false],
    ['has:colon', false],
    ['has space', false],
  ])('request id %j valid: %s', (requestId, valid) => {
    expect(isCommentRequestId(requestId)).toBe(valid);
  });

  it('is one ticket job per incident and request id', () => {
    expect(commentJob(incident, { actor: 'alice', text: 'looking', requestId: 'r1' }, NOW)).toEqual(
      {
        jobId: 'ticket-comment-inc-1-r1',
        queue: 'tickets',
        name: 'comment',
        payload: { kind: 'comment', incident, actor: 'alice', note: 'looking', at: NOW },
      },
    );
  });
});
