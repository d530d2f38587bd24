import {
  parseControlRequest,
  type ControlReply,
  type Logger,
  type ScenarioSummary,
} from '@faultline/shared';
import type { ScenarioRun } from './scenario-runner.js';

/** Thrown by `runScenario` when no scenario has the name; answered as `unknown-scenario`. */
export class UnknownScenarioError extends Error {
  override readonly name = 'UnknownScenarioError';
}

/** What a control message can make the simulator do, and how it answers. */
export interface ControlHandlerDeps {
  readonly runScenario: (
    name: string,
    options: { speedup: number; definition?: string },
  ) => Promise<ScenarioRun>;
  readonly listScenarios: () => Promise<ScenarioSummary[]>;
  readonly reply: (topic: string, answer: ControlReply) => void;
  readonly logger: Logger;
}

/**
 * Handles one message from the control topic: starts a scenario or lists them, and answers on
 * the request's `replyTo` topic when it has one. Runs inside an MQTT listener, so it never throws
 * and every failure becomes an answer or a log line.
 */
export function handleControlMessage(payload: string, deps: ControlHandlerDeps): void {
  const request = parseControlRequest(payload);
  if (!request.ok) {
    deps.logger.warn({ problems: request.problems }, 'malformed control message ignored');
    return;
  }
  const { replyTo } = request.value;
  const id = request.value.id ?? '';
  const outcome: Promise<ControlReply> =
    'list' in request.value
      ? deps.listScenarios().then((scenarios) => ({ id, ok: true as const, scenarios }))
      : deps
          .runScenario(request.value.scenario, {
            speedup: request.value.speedup ?? 1,
            ...(request.value.definition === undefined
              ? {}
              : { definition: request.value.definition }),
          })
          .then((run) => ({
            id,
            ok: true as const,
            scenario: run.name,
            steps: run.steps,
            lengthMs: run.lengthMs,
          }));
  outcome
    .catch((error: unknown): ControlReply => {
      deps.logger.warn({ err: error }, 'control command failed');
      return {
        id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        reason: error instanceof UnknownScenarioError ? 'unknown-scenario' : 'failed',
      };
    })
    .then((answer) => {
      if (replyTo !== undefined) deps.reply(replyTo, answer);
    })
    .catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'cannot answer a control command');
    });
}
