import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  COMMANDS_QUEUE,
  CommandResultSchema,
  createValidator,
  type Command,
  type Logger,
} from '@faultline/shared';
import type { CommandOutcome, CommandSender } from '../ports.js';

/** What the command queue needs. */
export interface CommandQueueDeps {
  /** A command connection, shared by the queue; the events listener gets its own duplicate. */
  readonly redis: Redis;
  readonly prefix: string;
  /** How long to wait for a correlator to apply a command. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/**
 * Sends commands as jobs on the `commands` queue and waits for their results through
 * `QueueEvents`. A completed job is kept an hour, so the same job id (a retried request) answers
 * the same result without running again; a failed one is removed at once, so a retry runs again.
 * When no correlator answers in time, the job is taken back if it has not started, so a command
 * the caller was told failed does not silently apply minutes later.
 */
export function createCommandQueue(deps: CommandQueueDeps): CommandSender {
  const { logger } = deps;
  const validator = createValidator(CommandResultSchema);
  const queue = new Queue<Command>(COMMANDS_QUEUE, { connection: deps.redis, prefix: deps.prefix });
  queue.on('error', (error) => {
    logger.warn({ err: error }, 'commands queue error');
  });
  // QueueEvents blocks on a stream read: it needs a connection of its own that never gives up.
  const eventsConnection = deps.redis.duplicate({ maxRetriesPerRequest: null });
  eventsConnection.on('error', (error: unknown) => {
    logger.warn({ err: error }, 'commands events redis connection error');
  });
  const events = new QueueEvents(COMMANDS_QUEUE, {
    connection: eventsConnection,
    prefix: deps.prefix,
  });
  events.on('error', (error) => {
    logger.warn({ err: error }, 'commands queue events error');
  });

  return {
    async send(command, jobId): Promise<CommandOutcome> {
      const job = await queue.add(command.kind, command, {
        jobId,
        attempts: 1,
        removeOnComplete: { age: 3600 },
        removeOnFail: true,
      });
      try {
        const value: unknown = await job.waitUntilFinished(events, deps.timeoutMs);
        const checked = validator.check(value);
        if (!checked.ok) {
          logger.error({ jobId, problems: checked.problems }, 'invalid command result');
          return { status: 'failed' };
        }
        return { status: 'done', result: checked.value };
      } catch (error) {
        const state = await job.getState().catch(() => 'unknown');
        if (state === 'failed' || state === 'unknown') {
          logger.warn({ err: error, jobId, kind: command.kind }, 'command failed');
          return { status: 'failed' };
        }
        // Still waiting (or running): take it back if no worker holds it.
        const withdrawn = await job.remove().then(
          () => true,
          () => false,
        );
        logger.warn({ jobId, kind: command.kind, withdrawn }, 'no correlator answered a command');
        return { status: 'timeout', withdrawn };
      }
    },
    async close() {
      await events.close();
      await queue.close();
      eventsConnection.disconnect();
    },
  };
}
