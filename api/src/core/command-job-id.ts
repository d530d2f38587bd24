import { createHash } from 'node:crypto';
import type { Command } from '@faultline/shared';

/**
 * The BullMQ job id of a command: deterministic from who sends it, what it does to which record,
 * and the request id, so a retried request runs once and answers the same result. Hashed, so any
 * request id makes a valid job id (never ':' nor all digits), and one caller's request id can
 * never name another caller's job.
 */
export function commandJobId(command: Command, requestId: string): string {
  const target = command.kind === 'alarm.acknowledge' ? command.alarmId : command.incidentId;
  const digest = createHash('sha256')
    .update(JSON.stringify([command.actor, command.kind, target, requestId]))
    .digest('hex');
  return `cmd-${digest.slice(0, 40)}`;
}
