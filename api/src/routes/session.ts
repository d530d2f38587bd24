import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { authorize, PERMISSIONS } from '../core/authorize.js';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

const SessionSchema = Type.Object({
  name: Type.String(),
  role: Type.String(),
  permissions: Type.Array(Type.String()),
});

/**
 * `GET /api/session`: who the token belongs to and what it may do, so the dashboard shows the
 * buttons of its role (the api still checks every command).
 */
export const sessionRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  app.get(
    '/api/session',
    {
      // Every dashboard role reads alarms; a metrics (scrape) token has no session to show.
      config: { access: 'alarms:read' },
      schema: {
        summary: 'The caller: token name, role and permissions',
        tags: ['system'],
        response: { 200: SessionSchema, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal === null) throw new Error('the auth hook set no principal');
      return reply.send({
        name: principal.name,
        role: principal.role,
        permissions: PERMISSIONS.filter((p) => authorize(principal.role, p).allowed),
      });
    },
  );
  done();
};
