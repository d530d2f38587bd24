import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

/** What the system routes need. */
export interface SystemRouteOptions {
  /** The api's own metrics followed by whatever the composition root adds. */
  readonly renderMetrics: () => string;
}

const OpenApiSchema = Type.Object(
  {
    openapi: Type.String(),
    info: Type.Object({}, { additionalProperties: true }),
    paths: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: true, description: 'The OpenAPI 3 document of this API.' },
);

/**
 * `GET /api/openapi.json` (needs a token, like every /api route but health) and `GET /metrics`
 * (needs `metrics:read`).
 */
export const systemRoutes: FastifyPluginCallbackTypebox<SystemRouteOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/api/openapi.json',
    {
      config: { access: 'alarms:read' },
      schema: {
        summary: 'This document',
        tags: ['system'],
        response: { 200: OpenApiSchema, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    () =>
      Promise.resolve(app.swagger() as unknown as { openapi: string; info: object; paths: object }),
  );

  // The counters name every route called and count billing runs: not for anonymous callers.
  // Prometheus scrapes with a bearer token (`authorization: { credentials_file: … }`), one of
  // the `metrics` role, which may read nothing else, or an admin token.
  app.get(
    '/metrics',
    {
      config: { access: 'metrics:read' },
      schema: {
        summary: 'Prometheus metrics of this process (a metrics or admin token)',
        tags: ['system'],
        produces: ['text/plain'],
        response: { 200: Type.String(), ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (_request, reply) => {
      await reply.type('text/plain; version=0.0.4; charset=utf-8').send(options.renderMetrics());
    },
  );
  done();
};
