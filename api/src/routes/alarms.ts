import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { AlarmSchema } from '@faultline/shared';
import { ALARM_STATE_FILTERS, statesFor, type AlarmStateFilter } from '../core/alarm-filter.js';
import type { AlarmReader } from '../ports.js';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

/** A string enum as plain JSON Schema `enum`, which gives one clear 400 message and clean OpenAPI. */
const StateFilterSchema = Type.Unsafe<AlarmStateFilter>({
  type: 'string',
  enum: [...ALARM_STATE_FILTERS],
  default: 'open',
  description:
    'open (default): every alarm that is not cleared; active: not cleared and not acknowledged; ' +
    'acknowledged; cleared; all: every alarm, cleared ones included.',
});

const ListQuerySchema = Type.Object({
  state: Type.Optional(StateFilterSchema),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
  device: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'Exact device name.' }),
  ),
});

const AlarmListSchema = Type.Object({ alarms: Type.Array(AlarmSchema) });

/** What the alarm routes need. */
export interface AlarmRouteOptions {
  readonly alarms: AlarmReader;
}

/** `GET /api/alarms` and `GET /api/alarms/:id`, read from PostgreSQL. */
export const alarmRoutes: FastifyPluginCallbackTypebox<AlarmRouteOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/api/alarms',
    {
      config: { access: 'alarms:read' },
      schema: {
        summary: 'List alarms, newest last-seen first',
        tags: ['alarms'],
        querystring: ListQuerySchema,
        response: { 200: AlarmListSchema, ...errorResponses(400, ...AUTHENTICATED_ERRORS) },
      },
    },
    async (request) => {
      const { state = 'open', limit, device } = request.query;
      const alarms = await options.alarms.list({ states: statesFor(state), limit, device });
      return { alarms };
    },
  );

  app.get(
    '/api/alarms/:id',
    {
      config: { access: 'alarms:read' },
      schema: {
        summary: 'One alarm by id',
        tags: ['alarms'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: AlarmSchema, ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS) },
      },
    },
    async (request, reply) => {
      const alarm = await options.alarms.get(request.params.id);
      if (alarm === undefined) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `no alarm with id ${request.params.id}`,
        });
      }
      return alarm;
    },
  );
  done();
};
