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

/** `GET /api/openapi.json` (needs a token, like every /api route but health) and `GET /metrics`. */
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

  // Prometheus scrapes without a token by convention; the page holds counters, no data.
  app.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Prometheus metrics of this process',
        tags: ['system'],
        security: [],
        produces: ['text/plain'],
        response: { 200: Type.String() },
      },
    },
    async (_request, reply) => {
      await reply.type('text/plain; version=0.0.4; charset=utf-8').send(options.renderMetrics());
    },
  );
  done();
};
