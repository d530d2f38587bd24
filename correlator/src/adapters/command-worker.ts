import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import {
  COMMANDS_QUEUE,
  CommandSchema,
  createValidator,
  formatProblems,
  type Command,
  type CommandResult,
  type IncidentChange,
  type Logger,
} from '@faultline/shared';
import type { HotState } from '../ports.js';
import { acknowledgeAlarm } from './alarm-actions-pg.js';
import {
  acknowledgeIncident,
  assignIncident,
  commentOnIncident,
  getIncident,
  resolveIncident,
  type ActionOutcome,
} from '../incident-actions.js';

/** What the commands worker needs. */
export interface CommandWorkerDeps {
  /** A connection with `maxRetriesPerRequest: null`, as BullMQ requires for workers. */
  readonly connection: Redis;
  readonly prefix: string;
  readonly pool: pg.Pool;
  /** The event partitions (`correlation.partitions`): an alarm's is locked to acknowledge it. */
  readonly partitions: number;
  /** The configured webhook target names: a resolve is pushed to each. */
  readonly webhookTargets: readonly string[];
  /** Mirrors an acknowledged alarm into the hot state and publishes its change. */
  readonly hotState: HotState;
  /** Publishes an incident change on the incidents channel. */
  readonly publishIncident: (change: IncidentChange) => Promise<void>;
  /** Called after a command left jobs in the outbox (ticket updates): the loop flushes it. */
  readonly afterChange: () => void;
  readonly logger: Logger;
}

/**
 * A BullMQ worker on the `commands` queue: applies what people do (acknowledge, assign, comment,
 * resolve an incident; acknowledge an alarm) through the correlator's own use-cases, under their
 * locks, publishes the change, and returns a `CommandResult` that the api waits for. A command
 * that does not match `CommandSchema` fails unrecoverably; a database failure fails the job and
 * the api answers 500 (the caller may retry with the same idempotency key).
 */
export function createCommandWorker(deps: CommandWorkerDeps): Worker<Command, CommandResult> {
  const { pool, logger } = deps;
  const validator = createValidator(CommandSchema);

  async function incidentResult(
    outcome: ActionOutcome,
    incidentId: string,
  ): Promise<CommandResult> {
    if (!outcome.ok) return { ok: false, error: outcome.error };
    if (outcome.change !== undefined) {
      await deps.publishIncident(outcome.change);
      deps.afterChange();
      return { ok: true, changed: true, incident: outcome.change.incident };
    }
    const incident = await getIncident(pool, incidentId);
    return incident === undefined
      ? { ok: false, error: 'not-found' }
      : { ok: true, changed: false, incident };
  }

  async function apply(command: Command): Promise<CommandResult> {
    switch (command.kind) {
      case 'incident.acknowledge':
        return incidentResult(await acknowledgeIncident(pool, command), command.incidentId);
      case 'incident.assign':
        return incidentResult(await assignIncident(pool, command), command.incidentId);
      case 'incident.resolve':
        return incidentResult(
          await resolveIncident(pool, { ...command, webhookTargets: deps.webhookTargets }),
          command.incidentId,
        );
      case 'incident.comment': {
        const outcome = await commentOnIncident(pool, command);
        if (!outcome.ok) {
          if (outcome.error === 'bad-request-id')
            throw new UnrecoverableError('invalid request id');
          return { ok: false, error: outcome.error };
        }
        deps.afterChange();
        const incident = await getIncident(pool, command.incidentId);
        return incident === undefined
          ? { ok: false, error: 'not-found' }
          : { ok: true, changed: true, incident };
      }
      case 'alarm.acknowledge': {
        const outcome = await acknowledgeAlarm(
          pool,
          deps.partitions,
          command,
          async (record, change) => {
            await deps.hotState.mirror({
              decisions: [],
              writes: { inserts: [], updates: [], history: [], changes: [change] },
              keys: [record.alarm.reductionKey],
              open: new Map([[record.alarm.reductionKey, record]]),
            });
          },
        );
        if (!outcome.ok) return { ok: false, error: outcome.error };
        return { ok: true, changed: outcome.change !== undefined, alarm: outcome.record.alarm };
      }
    }
  }

  const worker = new Worker<Command, CommandResult>(
    COMMANDS_QUEUE,
    async (job) => {
      const checked = validator.check(job.data);
      if (!checked.ok) {
        const problems = checked.problems.slice(0, 10);
        logger.warn({ jobId: job.id, problems }, 'invalid command rejected');
        throw new UnrecoverableError(`invalid command:\n${formatProblems(problems)}`);
      }
      const result = await apply(checked.value);
      logger.info(
        { jobId: job.id, kind: checked.value.kind, actor: checked.value.actor, ok: result.ok },
        'command applied',
      );
      return result;
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
  );
  worker.on('error', (error) => {
    logger.error({ err: error }, 'commands worker error');
  });
  worker.on('failed', (job, error) => {
    logger.warn({ err: error, jobId: job?.id }, 'command failed');
  });
  return worker;
}
