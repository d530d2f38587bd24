import { describe, expect, it } from 'vitest';
import type { IncidentState } from '@faultline/shared';
import { escalationStep, type EscalationDecision } from './escalation.js';
import { policy } from './paging.fixture.js';

const [level1, level2] = [policy.levels[0]?.targets, policy.levels[1]?.targets];

describe('escalationStep', () => {
  it.each<[string, number, IncidentState | undefined, EscalationDecision]>([
    [
      'level 1 at once',
      0,
      'open',
      {
        kind: 'page',
        level: 0,
        round: 0,
        targets: level1 ?? [],
        next: { step: 1, afterMs: 300_000 },
      },
    ],
    [
      'level 2 after level 1 timed out',
      1,
      'open',
      {
        kind: 'page',
        level: 1,
        round: 0,
        targets: level2 ?? [],
        next: { step: 2, afterMs: 600_000 },
      },
    ],
    [
      'level 1 again in the repeat',
      2,
      'open',
      {
        kind: 'page',
        level: 0,
        round: 1,
        targets: level1 ?? [],
        next: { step: 3, afterMs: 300_000 },
      },
    ],
    [
      'the last step has no next',
      3,
      'open',
      { kind: 'page', level: 1, round: 1, targets: level2 ?? [] },
    ],
    ['past the last step', 4, 'open', { kind: 'stop', reason: 'exhausted' }],
    ['an acknowledgement stops it', 1, 'acknowledged', { kind: 'stop', reason: 'acknowledged' }],
    ['a resolve stops it', 1, 'resolved', { kind: 'stop', reason: 'resolved' }],
    ['an incident no longer known', 0, undefined, { kind: 'stop', reason: 'unknown incident' }],
  ])('%s', (_, step, state, want) => {
    expect(escalationStep(policy, step, state)).toEqual(want);
  });

  it('a timeline: pages at 0, 5, 15, 20 minutes, then stops; an ack at 7 stops at step 2', () => {
    const run = (ackAtMin: number | undefined): number[] => {
      const paged: number[] = [];
      let step: number | undefined = 0;
      let atMs = 0;
      while (step !== undefined) {
        const state = ackAtMin !== undefined && atMs >= ackAtMin * 60_000 ? 'acknowledged' : 'open';
        const decision = escalationStep(policy, step, state);
        if (decision.kind === 'stop') break;
        paged.push(atMs / 60_000);
        step = decision.next?.step;
        atMs += decision.next?.afterMs ?? 0;
      }
      return paged;
    };
    expect(run(undefined)).toEqual([0, 5, 15, 20]);
    expect(run(7)).toEqual([0, 5]);
  });
});
