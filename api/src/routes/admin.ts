import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import {
  ScenarioSummarySchema,
  SpeedupSchema,
  type ControlReply,
  type ScenarioSummary,
} from '@faultline/shared';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

/** A command for the running simulator, without the routing fields. */
export type SimulatorCommand =
  { readonly scenario: string; readonly speedup?: number } | { readonly list: true };

/** What asking the simulator gave: its answer, or why none came (a message for people). */
export type SimulatorOutcome =
  | { readonly status: 'answered'; readonly reply: ControlReply }
  | { readonly status: 'unavailable'; readonly message: string };

/** Request and reply with the running simulator (over MQTT in production). */
export interface SimulatorControl {
  /** The control topic it publishes on, for messages. */
  readonly topic: string;
  /** Never rejects: a missing simulator is an `unavailable` outcome. */
  send(command: SimulatorCommand): Promise<SimulatorOutcome>;
}

/** What the admin routes need. */
export interface AdminRouteOptions {
  readonly simulator: SimulatorControl;
}

const ScenarioListSchema = Type.Object({
  scenarios: Type.Array(ScenarioSummarySchema),
});

const ScenarioRunSchema = Type.Object({
  scenario: Type.String(),
  steps: Type.Integer({ description: 'How many steps the scenario has.' }),
  lengthMs: Type.Integer({ description: 'How long it runs at this speed-up, in ms.' }),
  speedup: Type.Number(),
});

const RunParamsSchema = Type.Object({
  name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,99}$' }),
});

const RunBodySchema = Type.Object(
  {
    speedup: Type.Optional({
      ...SpeedupSchema,
      description: 'Divides every offset and duration of the scenario (default 1).',
    }),
  },
  { additionalProperties: false },
);

const unavailable = (message: string) =>
  ({ statusCode: 503, error: 'Service Unavailable', message }) as const;

/**
 * Admin routes that drive the running simulator: list its scenarios and start one. The api asks
 * the simulator on its control topic and waits a bounded time; 503 when none answers.
 */
export const adminRoutes: FastifyPluginCallbackTypebox<AdminRouteOptions> = (
  app,
  options,
  done,
) => {
  const { simulator } = options;

  app.get(
    '/api/admin/scenarios',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'List the scenarios of the running simulator, with their descriptions',
        tags: ['admin'],
        response: {
          200: ScenarioListSchema,
          ...errorResponses(502, 503, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (_request, reply) => {
      const outcome = await simulator.send({ list: true });
      if (outcome.status === 'unavailable')
        return reply.code(503).send(unavailable(outcome.message));
      const answer = outcome.reply;
      if (answer.ok && 'scenarios' in answer) {
        const scenarios: ScenarioSummary[] = answer.scenarios;
        return reply.send({ scenarios });
      }
      return reply.code(502).send({
        statusCode: 502,
        error: 'Bad Gateway',
        message: answer.ok ? 'the simulator answered something else' : answer.error,
      });
    },
  );

  app.post(
    '/api/admin/scenarios/:name/run',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Start a scenario on the running simulator',
        description:
          'Answers 202 once the simulator has validated and started the scenario; it then runs ' +
          'for lengthMs. 404 when the simulator knows no scenario of that name.',
        tags: ['admin'],
        params: RunParamsSchema,
        body: RunBodySchema,
        response: {
          202: ScenarioRunSchema,
          ...errorResponses(400, 404, 502, 503, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const speedup = request.body.speedup ?? 1;
      const outcome = await simulator.send({ scenario: request.params.name, speedup });
      if (outcome.status === 'unavailable')
        return reply.code(503).send(unavailable(outcome.message));
      const answer = outcome.reply;
      if (answer.ok && 'steps' in answer) {
        return reply.code(202).send({
          scenario: answer.scenario,
          steps: answer.steps,
          lengthMs: answer.lengthMs,
          speedup,
        });
      }
      if (!answer.ok && answer.reason === 'unknown-scenario') {
        return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: answer.error });
      }
      return reply.code(502).send({
        statusCode: 502,
        error: 'Bad Gateway',
        message: answer.ok ? 'the simulator answered something else' : answer.error,
      });
    },
  );
  done();
};
