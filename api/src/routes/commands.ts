import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { AlarmSchema, IncidentSchema, RequestIdSchema, type Command } from '@faultline/shared';
import { commandJobId } from '../core/command-job-id.js';
import type { CommandSender } from '../ports.js';
import { IncidentIdParamsSchema } from './incidents.js';
import { AUTHENTICATED_ERRORS, NoBodySchema, errorResponses } from './schemas.js';

const HeadersSchema = Type.Object({
  'idempotency-key': Type.Optional({
    ...RequestIdSchema,
    description:
      'Makes the request safe to retry: the same key (from the same token, for the same command ' +
      'and record) applies once and answers the same result. Letters, digits, - and _.',
  }),
});

const IncidentResultSchema = Type.Object({
  changed: Type.Boolean({ description: 'False when the command changed nothing (already so).' }),
  incident: IncidentSchema,
});
const AlarmResultSchema = Type.Object({ changed: Type.Boolean(), alarm: AlarmSchema });

const COMMAND_ERRORS = errorResponses(400, 404, 409, 503, ...AUTHENTICATED_ERRORS);

/** What the command routes need. */
export interface CommandRouteOptions {
  readonly commands: CommandSender;
}

/**
 * The routes that change incidents and alarms. The api never writes them itself: each request
 * becomes a job on the `commands` queue, which a correlator applies under its locks; the route
 * waits for the result (200), or answers 404 / 409 with the correlator's refusal, or 503 when no
 * correlator answers in time.
 */
export const commandRoutes: FastifyPluginCallbackTypebox<CommandRouteOptions> = (
  app,
  options,
  done,
) => {
  async function run(
    reply: FastifyReply,
    command: Command,
    requestId: string,
    describe: string,
  ): Promise<FastifyReply> {
    const outcome = await options.commands.send(command, commandJobId(command, requestId));
    switch (outcome.status) {
      case 'timeout':
        return reply.code(503).send({
          statusCode: 503,
          error: 'Service Unavailable',
          message: outcome.withdrawn
            ? 'no correlator answered in time; nothing was changed, try again'
            : 'no correlator answered in time; the command may still be applied',
        });
      case 'failed':
        return reply.code(500).send({
          statusCode: 500,
          error: 'Internal Server Error',
          message: 'the correlator failed to apply the command; details are in its log',
        });
      default: {
        const { result } = outcome;
        if (result.ok) return reply.send(result);
        if (result.error === 'not-found') {
          return reply
            .code(404)
            .send({ statusCode: 404, error: 'Not Found', message: `no ${describe}` });
        }
        return reply.code(409).send({
          statusCode: 409,
          error: 'Conflict',
          message: `${describe} is already ${result.error}`,
        });
      }
    }
  }

  const incidentCommand = (
    path: string,
    summary: string,
    body: Parameters<typeof Type.Object>[0] | undefined,
    toCommand: (
      id: string,
      actor: string,
      body: Record<string, string>,
      requestId: string,
    ) => Command,
  ): void => {
    app.post(
      `/api/incidents/:id/${path}`,
      {
        config: { access: 'incidents:act' },
        schema: {
          summary,
          tags: ['incidents'],
          params: IncidentIdParamsSchema,
          headers: HeadersSchema,
          body:
            body === undefined ? NoBodySchema : Type.Object(body, { additionalProperties: false }),
          response: { 200: IncidentResultSchema, ...COMMAND_ERRORS },
        },
      },
      async (request, reply) => {
        const requestId = request.headers['idempotency-key'] ?? randomUUID();
        const actor = request.principal?.name ?? 'unknown';
        // A command without a body has none at all (the schema also takes `{}`).
        const fields = (request.body as Record<string, string> | undefined) ?? {};
        return run(
          reply,
          toCommand(request.params.id, actor, fields, requestId),
          requestId,
          `incident ${request.params.id}`,
        );
      },
    );
  };

  incidentCommand(
    'acknowledge',
    'Acknowledge an incident: someone is on it',
    undefined,
    (id, actor) => ({
      kind: 'incident.acknowledge',
      incidentId: id,
      actor,
    }),
  );
  incidentCommand(
    'assign',
    'Assign an incident (and its ticket) to someone',
    { assignee: Type.String({ minLength: 1, maxLength: 100 }) },
    (id, actor, body) => ({
      kind: 'incident.assign',
      incidentId: id,
      actor,
      assignee: body.assignee ?? '',
    }),
  );
  incidentCommand(
    'comments',
    "Add a comment to an incident's ticket timeline (also once resolved)",
    { text: Type.String({ minLength: 1, maxLength: 4000 }) },
    (id, actor, body, requestId) => ({
      kind: 'incident.comment',
      incidentId: id,
      actor,
      text: body.text ?? '',
      requestId,
    }),
  );
  incidentCommand(
    'resolve',
    'Resolve an incident by hand; its outages end now',
    { note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) },
    (id, actor, body) => ({
      kind: 'incident.resolve',
      incidentId: id,
      actor,
      ...(body.note === undefined ? {} : { note: body.note }),
    }),
  );

  app.post(
    '/api/alarms/:id/acknowledge',
    {
      config: { access: 'alarms:acknowledge' },
      schema: {
        summary: 'Acknowledge an alarm',
        tags: ['alarms'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        headers: HeadersSchema,
        body: NoBodySchema,
        response: { 200: AlarmResultSchema, ...COMMAND_ERRORS },
      },
    },
    async (request, reply) =>
      run(
        reply,
        {
          kind: 'alarm.acknowledge',
          alarmId: request.params.id,
          actor: request.principal?.name ?? 'unknown',
        },
        request.headers['idempotency-key'] ?? randomUUID(),
        `alarm ${request.params.id}`,
      ),
  );
  done();
};
