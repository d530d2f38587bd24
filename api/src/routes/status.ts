import type { IncomingMessage } from 'node:http';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { bearerToken, StatusPageSchema, type AuthFailureGuard } from '@faultline/shared';
import type { CustomerViews } from '../app/customer-views.js';
import { couldBeLinkToken } from '../core/care.js';
import type { CareStore } from '../ports.js';
import { errorResponses } from './schemas.js';

/** What the status route needs. */
export interface StatusRouteOptions {
  readonly views: CustomerViews;
  readonly store: Pick<CareStore, 'customerOfToken'>;
  readonly guard: AuthFailureGuard;
  readonly clientAddress: (request: IncomingMessage) => string;
}

/**
 * `GET /api/status`: a customer's status page, for the bearer of one of its status links (not an
 * api token: the route is public to the auth hook and checks the link itself). A revoked or
 * unknown link gets 401, and a presented link-shaped token that matches none counts toward the
 * client's refused-token budget like a bad api token.
 */
export const statusRoutes: FastifyPluginCallbackTypebox<StatusRouteOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/api/status',
    {
      config: { access: 'public' },
      schema: {
        summary: "A customer's status page: services' state and availability, open incidents",
        description: 'Authorization: Bearer <status link token> (see docs/api.md).',
        tags: ['care'],
        response: { 200: StatusPageSchema, ...errorResponses(401, 429, 500) },
      },
    },
    async (request, reply) => {
      const client = options.clientAddress(request.raw);
      if (await options.guard.isBlocked(client)) {
        return reply.code(429).header('retry-after', '60').send({
          statusCode: 429,
          error: 'Too Many Requests',
          message: 'too many refused tokens from this address; try again in a minute',
        });
      }
      const token = bearerToken(request.headers.authorization);
      const customerId =
        token === undefined ? undefined : await options.store.customerOfToken(token);
      const page = customerId === undefined ? undefined : await options.views.status(customerId);
      if (page === undefined) {
        if (token !== undefined && couldBeLinkToken(token))
          await options.guard.recordFailure(client);
        return reply.code(401).header('www-authenticate', 'Bearer').send({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'this status link is unknown or was revoked',
        });
      }
      // A status page is one customer's: never kept by a shared cache.
      void reply.header('cache-control', 'private, no-store');
      return page;
    },
  );
  done();
};
