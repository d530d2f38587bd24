import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '@faultline/shared';
import type { OutageClaim, OutageClaims } from '../ports.js';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

const NullableText = Type.Union([Type.String(), Type.Null()]);

const ClaimSchema = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  serviceId: Type.String(),
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time', description: 'Exclusive.' }),
  reference: Type.String({ description: 'The outside record: a carrier’s ticket, a visit.' }),
  evidence: Type.String(),
  claimedBy: Type.String(),
  claimedAt: Type.String({ format: 'date-time' }),
  approvedBy: NullableText,
  approvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  approvalReason: NullableText,
  timeZone: Type.String({
    description: "The customer's IANA time zone (UTC when no longer configured), to show times in.",
  }),
});

const Text = (maxLength: number, description: string) =>
  Type.String({ minLength: 1, maxLength, description });

/** What the claim routes need. */
export interface OutageClaimRouteOptions {
  readonly claims: OutageClaims;
  readonly config: () => Config;
  readonly nowMs: () => number;
}

/**
 * Claimed outages (docs/billing.md, "Claimed outages"): a billing analyst records an outage the
 * network never saw with its evidence; once approved (with a reason, like a held line), the next
 * run of its period rates it like any outage of the service.
 */
export const outageClaimRoutes: FastifyPluginCallbackTypebox<OutageClaimRouteOptions> = (
  app,
  options,
  done,
) => {
  const badRequest = (message: string) => ({ statusCode: 400, error: 'Bad Request', message });
  const withZone = (claim: OutageClaim) => ({
    ...claim,
    timeZone:
      options.config().customers.find((customer) => customer.id === claim.customerId)?.timeZone ??
      'UTC',
  });

  app.get(
    '/api/billing/claims',
    {
      config: { access: 'billing:read' },
      schema: {
        summary: 'Claimed outages, newest first (pending and approved)',
        tags: ['billing'],
        querystring: Type.Object({ customer: Type.Optional(Text(100, 'A customer id.')) }),
        response: {
          200: Type.Object({ claims: Type.Array(ClaimSchema) }),
          ...errorResponses(400, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request) => ({
      claims: (await options.claims.list({ customerId: request.query.customer })).map(withZone),
    }),
  );

  app.post(
    '/api/billing/claims',
    {
      config: { access: 'billing:approve' },
      schema: {
        summary: 'Record an outage the network never saw, with its evidence (pending approval)',
        tags: ['billing'],
        body: Type.Object(
          {
            customer: Text(100, 'The customer id.'),
            service: Text(100, 'One of its services.'),
            start: Type.String({ format: 'date-time' }),
            end: Type.String({ format: 'date-time', description: 'Exclusive; after start.' }),
            reference: Text(200, 'The carrier’s ticket or visit report it rests on.'),
            evidence: Text(2000, 'What shows the service was down.'),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ claim: ClaimSchema }),
          ...errorResponses(400, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const { customer, service, start, end, reference, evidence } = request.body;
      const found = options.config().customers.find((candidate) => candidate.id === customer);
      if (found === undefined) return reply.code(400).send(badRequest(`no customer ${customer}`));
      if (!found.services.some((candidate) => candidate.id === service)) {
        return reply.code(400).send(badRequest(`customer ${customer} has no service ${service}`));
      }
      const startMs = Date.parse(start);
      const endMs = Date.parse(end);
      if (!(endMs > startMs)) return reply.code(400).send(badRequest('end must be after start'));
      if (endMs > options.nowMs()) {
        return reply
          .code(400)
          .send(badRequest('a claimed outage must have ended (end in the past)'));
      }
      const claim = await options.claims.record({
        customerId: customer,
        serviceId: service,
        startMs,
        endMs,
        reference,
        evidence,
        actor: request.principal?.name ?? 'unknown',
      });
      return reply.code(201).send({ claim: withZone(claim) });
    },
  );

  app.post(
    '/api/billing/claims/:id/approval',
    {
      config: { access: 'billing:approve' },
      schema: {
        summary: 'Approve a claimed outage: the next run of its period rates it',
        tags: ['billing'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 30 }) }),
        body: Type.Object(
          { reason: Text(500, 'Why it is accepted: shown with the claim.') },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ claim: ClaimSchema }),
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const outcome = await options.claims.approve(request.params.id, {
        actor: request.principal?.name ?? 'unknown',
        reason: request.body.reason,
      });
      if (outcome === undefined) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `no claimed outage ${request.params.id}`,
        });
      }
      if (outcome.kind === 'already-approved') {
        return reply
          .code(400)
          .send(
            badRequest(
              `claimed outage ${request.params.id} was approved already by ${String(outcome.claim.approvedBy)}`,
            ),
          );
      }
      return { claim: withZone(outcome.claim) };
    },
  );
  done();
};
