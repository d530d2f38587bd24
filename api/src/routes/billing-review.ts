import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { BillingAction } from '@faultline/shared';
import type { BillingActionOutcome, BillingReview } from '../ports.js';
import { RunIdParamsSchema } from './billing.js';
import { AUTHENTICATED_ERRORS, PG_INTEGER_MAX, errorResponses } from './schemas.js';

const ActionSchema = Type.Object({
  actionNo: Type.Integer({ description: 'Its line is numbered after the run’s computed lines.' }),
  kind: Type.Union([Type.Literal('approval'), Type.Literal('adjustment')]),
  lineNo: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The held line an approval released; null for an adjustment.',
  }),
  lineKey: Type.String(),
  serviceId: Type.String(),
  description: Type.String(),
  amount: Type.String({ description: 'Major units, the currency’s digits; negative: credit.' }),
  currency: Type.String(),
  reason: Type.String(),
  actor: Type.String(),
  at: Type.String({ format: 'date-time' }),
});

const Reason = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'Why: shown on the line, in exports and in the audit record.',
});

/** The status and body answering an analyst's request. */
type Answer =
  | { readonly code: 201; readonly body: { action: BillingAction } }
  | {
      readonly code: 400 | 404;
      readonly body: { statusCode: number; error: string; message: string };
    };

/** What the analyst routes need. */
export interface BillingReviewRouteOptions {
  readonly review: BillingReview;
}

/**
 * The billing analyst's desk: release held lines and add manual credits and debits to a run.
 * Each action is a new line after the run's computed lines (which never change), with who, when
 * and why, and shows in the exports, totals and reconciliation.
 */
export const billingReviewRoutes: FastifyPluginCallbackTypebox<BillingReviewRouteOptions> = (
  app,
  options,
  done,
) => {
  const created = {
    201: Type.Object({ action: ActionSchema }),
    ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
  };
  const notFound = (runId: string) => ({
    statusCode: 404,
    error: 'Not Found',
    message: `no billing run with id ${runId}`,
  });
  const answer = (runId: string, outcome: BillingActionOutcome): Answer => {
    switch (outcome.kind) {
      case 'done':
        return { code: 201, body: { action: outcome.action } };
      case 'refused':
        return {
          code: 400,
          body: { statusCode: 400, error: 'Bad Request', message: outcome.message },
        };
      case 'no-run':
        return { code: 404, body: notFound(runId) };
    }
  };

  app.get(
    '/api/billing/runs/:id/actions',
    {
      config: { access: 'billing:read' },
      schema: {
        summary: 'The approvals and manual adjustments of a run, in order',
        tags: ['billing'],
        params: RunIdParamsSchema,
        response: {
          200: Type.Object({ actions: Type.Array(ActionSchema) }),
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const actions = await options.review.actions(request.params.id);
      if (actions === undefined) {
        return reply.code(404).send(notFound(request.params.id));
      }
      return { actions };
    },
  );

  app.post(
    '/api/billing/runs/:id/approvals',
    {
      config: { access: 'billing:approve' },
      schema: {
        summary: 'Release a held line of the latest version of a period: it is billed as is',
        tags: ['billing'],
        params: RunIdParamsSchema,
        body: Type.Object(
          { lineNo: Type.Integer({ minimum: 1, maximum: PG_INTEGER_MAX }), reason: Reason },
          { additionalProperties: false },
        ),
        response: created,
      },
    },
    async (request, reply) => {
      const outcome = await options.review.approve(request.params.id, {
        ...request.body,
        actor: request.principal?.name ?? 'unknown',
      });
      const { code, body } = answer(request.params.id, outcome);
      return reply.code(code).send(body);
    },
  );

  app.post(
    '/api/billing/runs/:id/adjustments',
    {
      config: { access: 'billing:approve' },
      schema: {
        summary: 'Add a manual credit or debit to the latest version of a period',
        tags: ['billing'],
        params: RunIdParamsSchema,
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('credit'), Type.Literal('debit')]),
            amount: Type.String({
              pattern: '^[0-9]{1,12}(\\.[0-9]{1,4})?$',
              description: 'Positive, major units, at most the currency’s minor digits: "25.00".',
            }),
            currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'The run’s currency.' }),
            serviceId: Type.String({ minLength: 1, maxLength: 100 }),
            reason: Reason,
          },
          { additionalProperties: false },
        ),
        response: created,
      },
    },
    async (request, reply) => {
      const outcome = await options.review.adjust(request.params.id, {
        ...request.body,
        actor: request.principal?.name ?? 'unknown',
      });
      const { code, body } = answer(request.params.id, outcome);
      return reply.code(code).send(body);
    },
  );
  done();
};
