import { describe, expect, it } from 'vitest';
import type { Command } from '@faultline/shared';
import { commandJobId } from './command-job-id.js';

const ack: Command = { kind: 'incident.acknowledge', incidentId: 'inc-1', actor: 'alice' };

describe('commandJobId', () => {
  it('is the same for the same request', () => {
    expect(commandJobId(ack, 'r1')).toBe(commandJobId({ ...ack }, 'r1'));
    expect(commandJobId(ack, 'r1')).toMatch(/^cmd-[0-9a-f]{40}$/);
  });

  it.each<[string, Command, string]>([
    ['another request id', ack, 'r2'],
    ['another actor', { ...ack, actor: 'bob' }, 'r1'],
    ['another incident', { ...ack, incidentId: 'inc-2' }, 'r1'],
    ['another command', { kind: 'incident.resolve', incidentId: 'inc-1', actor: 'alice' }, 'r1'],
    [
      'an alarm',
      {
        kind: 'alarm.acknowledge',
        alarmId: '00000000-0000-4000-8000-000000000000',
        actor: 'alice',
      },
      'r1',
    ],
  ])('differs for %s', (_name, command, requestId) => {
    expect(commandJobId(command, requestId)).not.toBe(commandJobId(ack, 'r1'));
  });
});
