import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { ServiceLiveCostSchema, type Customer } from '@faultline/shared';
import { serviceCosts } from '../core/live-cost.js';
import type { LiveBillingReader } from '../ports.js';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

/** What the live cost route needs. */
export interface LiveCostRouteOptions {
  readonly live: LiveBillingReader;
  readonly customers: () => readonly Customer[];
}

/**
 * `GET /api/live-cost`: what each customer service's SLA costs so far this period (the billing
 * bridge's latest live view), for the incident page, the on-call console and the wall. Readable
 * with `incidents:read`: the people who act on an incident see what it costs.
 */
export const liveCostRoutes: FastifyPluginCallbackTypebox<LiveCostRouteOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/api/live-cost',
    {
      config: { access: 'incidents:read' },
      schema: {
        summary: "Each service's SLA cost so far this period (downtime, tier, credit)",
        tags: ['billing'],
        response: {
          200: Type.Object({ services: Type.Array(ServiceLiveCostSchema) }),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    async () => {
      const customers = options.customers();
      const views = await options.live.latest(customers.map((customer) => customer.id));
      return { services: serviceCosts(views, customers) };
    },
  );
  done();
};
