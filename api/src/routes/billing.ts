import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { BillingRunReader } from '../ports.js';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);

const BillingRunsSchema = Type.Object({
  available: Type.Boolean({
    description: 'False until the billing bridge has created its tables.',
  }),
  runs: Type.Array(
    Type.Object({
      id: Type.String(),
      customerId: NullableString,
      periodStart: NullableString,
      periodEnd: NullableString,
      state: NullableString,
    }),
  ),
});

/** `GET /api/billing/runs`: a first look at billing runs, for the billing page. */
export const billingRoutes: FastifyPluginCallbackTypebox<{ runs: BillingRunReader }> = (
  app,
  options,
  done,
) => {
  app.get(
    '/api/billing/runs',
    {
      config: { access: 'billing:read' },
      schema: {
        summary: 'Billing runs (a placeholder until the billing API lands)',
        tags: ['billing'],
        response: { 200: BillingRunsSchema, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async () => {
      const runs = await options.runs.list(100);
      return { available: runs !== undefined, runs: runs ?? [] };
    },
  );
  done();
};
