import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { IncidentDetailSchema, IncidentSchema, type Customer } from '@faultline/shared';
import { describeImpactedServices } from '../core/impacted-services.js';
import {
  INCIDENT_STATE_FILTERS,
  incidentStatesFor,
  type IncidentStateFilter,
} from '../core/incident-filter.js';
import type { IncidentReader } from '../ports.js';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

const StateFilterSchema = Type.Unsafe<IncidentStateFilter>({
  type: 'string',
  enum: [...INCIDENT_STATE_FILTERS],
  default: 'unresolved',
  description:
    'unresolved (default): open or acknowledged; open; acknowledged; resolved; all: every incident.',
});

const ListQuerySchema = Type.Object({
  state: Type.Optional(StateFilterSchema),
  search: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Case-insensitive text in the id, title, ticket id, assignee, acknowledger or a cut-off device.',
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
});

/** Incident ids are the correlator's (`inc-…`): short, no spaces. */
export const IncidentIdParamsSchema = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,200}$' }),
});

/** What the incident routes need. */
export interface IncidentRouteOptions {
  readonly incidents: IncidentReader;
  readonly customers: () => readonly Customer[];
}

/** `GET /api/incidents` and `GET /api/incidents/:id`, read from PostgreSQL. */
export const incidentRoutes: FastifyPluginCallbackTypebox<IncidentRouteOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/api/incidents',
    {
      config: { access: 'incidents:read' },
      schema: {
        summary: 'List incidents, unresolved first, newest first',
        tags: ['incidents'],
        querystring: ListQuerySchema,
        response: {
          200: Type.Object({ incidents: Type.Array(IncidentSchema) }),
          ...errorResponses(400, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request) => {
      const { state = 'unresolved', search, limit } = request.query;
      const incidents = await options.incidents.list({
        states: incidentStatesFor(state),
        limit,
        search,
      });
      return { incidents };
    },
  );

  app.get(
    '/api/incidents/:id',
    {
      config: { access: 'incidents:read' },
      schema: {
        summary: 'One incident with its alarms, impacted services, ticket timeline and outages',
        tags: ['incidents'],
        params: IncidentIdParamsSchema,
        response: {
          200: IncidentDetailSchema,
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const detail = await options.incidents.detail(request.params.id);
      if (detail === undefined) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `no incident with id ${request.params.id}`,
        });
      }
      return {
        ...detail,
        impactedServices: describeImpactedServices(
          detail.incident.impactedServices,
          options.customers(),
        ),
      };
    },
  );
  done();
};
