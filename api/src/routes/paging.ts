import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { PushSubscriptionSchema, pushEndpointAllowed, verifyAckToken } from '@faultline/shared';
import { commandJobId } from '../core/command-job-id.js';
import type { CommandSender, PagingRecords } from '../ports.js';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

/** What the paging routes need. */
export interface PagingRouteOptions {
  readonly paging: PagingRecords;
  readonly commands: CommandSender;
  /** `paging.webPush.allowLoopbackHttp`: accept http endpoints on loopback (tests only). */
  readonly allowLoopbackHttp: boolean;
  readonly nowMs: () => number;
}

const ACK_ERRORS = errorResponses(400, 401, 404, 409, 429, 500, 503);

/**
 * Web Push for the dashboard's service worker: the VAPID public key, the signed-in person's
 * subscriptions, and the acknowledgement a notification's Acknowledge action posts without the
 * app's token (it carries the page's signed token instead).
 */
export const pagingRoutes: FastifyPluginCallbackTypebox<PagingRouteOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/api/paging/vapid-public-key',
    {
      config: { access: 'paging:subscribe' },
      schema: {
        summary: "The installation's VAPID public key, for pushManager.subscribe",
        tags: ['paging'],
        response: {
          200: Type.Object({
            publicKey: Type.String({
              description: 'Base64url uncompressed P-256 point: the applicationServerKey.',
            }),
          }),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    async () => ({ publicKey: (await options.paging.keys()).vapidPublicKey }),
  );

  app.get(
    '/api/paging/subscriptions',
    {
      config: { access: 'paging:subscribe' },
      schema: {
        summary: 'How many browsers the signed-in person subscribed to pages',
        tags: ['paging'],
        response: {
          200: Type.Object({ person: Type.String(), subscriptions: Type.Integer() }),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request) => {
      const person = request.principal?.name ?? '';
      return { person, subscriptions: await options.paging.subscriptionCount(person) };
    },
  );

  app.post(
    '/api/paging/subscriptions',
    {
      config: { access: 'paging:subscribe' },
      schema: {
        summary: "Subscribe this browser to the signed-in person's pages (PushSubscription JSON)",
        tags: ['paging'],
        body: PushSubscriptionSchema,
        response: {
          201: Type.Object({ person: Type.String(), subscribed: Type.Literal(true) }),
          ...errorResponses(400, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      if (!pushEndpointAllowed(request.body.endpoint, options.allowLoopbackHttp)) {
        return reply.code(400).send({
          statusCode: 400,
          error: 'Bad Request',
          message: 'body/endpoint must be an https URL',
        });
      }
      const person = request.principal?.name ?? '';
      await options.paging.saveSubscription(person, request.body);
      return reply.code(201).send({ person, subscribed: true as const });
    },
  );

  app.delete(
    '/api/paging/subscriptions',
    {
      config: { access: 'paging:subscribe' },
      schema: {
        summary: "Unsubscribe a browser from the signed-in person's pages",
        tags: ['paging'],
        body: Type.Object(
          { endpoint: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: true },
        ),
        response: {
          204: Type.Null({ description: 'Unsubscribed.' }),
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const removed = await options.paging.deleteSubscription(
        request.principal?.name ?? '',
        request.body.endpoint,
      );
      if (!removed) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: 'no subscription of yours has this endpoint',
        });
      }
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/paging/ack',
    {
      // The token in the body is the credential: it grants acknowledging one incident, as the
      // person paged, for 24 hours.
      config: { access: 'public' },
      schema: {
        summary: "Acknowledge from a notification: the page's ackToken, no bearer token",
        tags: ['paging'],
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            incidentId: Type.String(),
            acknowledgedBy: Type.String(),
            changed: Type.Boolean({ description: 'False when it was acknowledged already.' }),
          }),
          ...ACK_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const { ackSecret } = await options.paging.keys();
      const verified = verifyAckToken(request.body.token, ackSecret, options.nowMs());
      if (!verified.ok) {
        return reply.code(401).send({
          statusCode: 401,
          error: 'Unauthorized',
          message: `the acknowledgement token is ${verified.reason === 'expired' ? 'expired' : 'invalid'}`,
        });
      }
      const { incidentId, person } = verified.grant;
      const command = { kind: 'incident.acknowledge' as const, incidentId, actor: person };
      // One job per token: a notification that posts twice acknowledges once.
      const requestId = `page-ack-${createHash('sha256').update(request.body.token).digest('hex').slice(0, 32)}`;
      const outcome = await options.commands.send(command, commandJobId(command, requestId));
      if (outcome.status === 'timeout') {
        return reply.code(503).send({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'no correlator answered in time; try again',
        });
      }
      if (outcome.status === 'failed') {
        return reply.code(500).send({
          statusCode: 500,
          error: 'Internal Server Error',
          message: 'the correlator failed to apply the command; details are in its log',
        });
      }
      const { result } = outcome;
      if (!result.ok) {
        return result.error === 'not-found'
          ? reply
              .code(404)
              .send({ statusCode: 404, error: 'Not Found', message: `no incident ${incidentId}` })
          : reply.code(409).send({
              statusCode: 409,
              error: 'Conflict',
              message: `incident ${incidentId} is already ${result.error}`,
            });
      }
      await options.paging.recordAcknowledgement(incidentId, person, 'webpush');
      return reply.send({ incidentId, acknowledgedBy: person, changed: result.changed });
    },
  );
  done();
};
