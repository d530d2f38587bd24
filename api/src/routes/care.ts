import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { CustomerCareSchema, StatusLinkSchema, type Customer } from '@faultline/shared';
import type { CustomerViews } from '../app/customer-views.js';
import { findCustomers } from '../core/care.js';
import type { CareStore } from '../ports.js';
import { AUTHENTICATED_ERRORS, NoBodySchema, errorResponses } from './schemas.js';

/** What the care desk routes need. */
export interface CareRouteOptions {
  readonly views: CustomerViews;
  readonly store: CareStore;
  readonly customers: () => readonly Customer[];
}

const CustomerParamsSchema = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' }),
});
const LinkParamsSchema = Type.Object({ id: Type.String({ pattern: '^sl-[A-Za-z0-9_-]{1,40}$' }) });

const CustomerSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  services: Type.Array(
    Type.Object({ id: Type.String(), description: Type.Union([Type.String(), Type.Null()]) }),
  ),
});

function notFound(what: string) {
  return { statusCode: 404, error: 'Not Found', message: `no ${what}` };
}

/**
 * The care desk (`care:read`): find a customer by name or service, and read one customer's live
 * state, incidents and credits; status links (`status-links:manage`): make, list and revoke a
 * customer's read-only links (docs/api.md, "Care desk and status links").
 */
export const careRoutes: FastifyPluginCallbackTypebox<CareRouteOptions> = (app, options, done) => {
  app.get(
    '/api/care/customers',
    {
      config: { access: 'care:read' },
      schema: {
        summary: 'Customers whose name or id, or a service id or description, contains the text',
        tags: ['care'],
        querystring: Type.Object({ search: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: {
          200: Type.Object({ customers: Type.Array(CustomerSummarySchema) }),
          ...errorResponses(400, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) =>
      reply.send({
        customers: findCustomers(options.customers(), request.query.search ?? '').map(
          (customer) => ({
            id: customer.id,
            name: customer.name,
            services: customer.services.map((service) => ({
              id: service.id,
              description: service.description ?? null,
            })),
          }),
        ),
      }),
  );

  app.get(
    '/api/care/customers/:id',
    {
      config: { access: 'care:read' },
      schema: {
        summary:
          "One customer: services' live state and cost, incidents, credits of closed periods",
        tags: ['care'],
        params: CustomerParamsSchema,
        response: {
          200: CustomerCareSchema,
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const view = await options.views.care(request.params.id);
      if (view === undefined)
        return reply.code(404).send(notFound(`customer ${request.params.id}`));
      return view;
    },
  );

  app.get(
    '/api/care/customers/:id/status-links',
    {
      config: { access: 'status-links:manage' },
      schema: {
        summary: "A customer's status links, revoked ones included",
        tags: ['care'],
        params: CustomerParamsSchema,
        response: {
          200: Type.Object({ links: Type.Array(StatusLinkSchema) }),
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!options.customers().some((customer) => customer.id === id))
        return reply.code(404).send(notFound(`customer ${id}`));
      return { links: await options.store.links(id) };
    },
  );

  app.post(
    '/api/care/customers/:id/status-links',
    {
      config: { access: 'status-links:manage' },
      schema: {
        summary: 'Make a status link; its token is in this answer only',
        tags: ['care'],
        params: CustomerParamsSchema,
        body: Type.Object(
          { label: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            link: StatusLinkSchema,
            token: Type.String(),
            path: Type.String({ description: 'The status page: /status#<token>.' }),
          }),
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!options.customers().some((customer) => customer.id === id))
        return reply.code(404).send(notFound(`customer ${id}`));
      const principal = request.principal;
      if (principal === null) throw new Error('the auth hook set no principal');
      const made = await options.store.createLink(id, request.body.label, principal.name);
      request.log.info({ linkId: made.link.id, customerId: id }, 'status link made');
      // The token goes in the fragment: browsers never send it in requests or Referer headers.
      return reply.code(201).send({ ...made, path: `/status#${made.token}` });
    },
  );

  app.post(
    '/api/care/status-links/:id/revoke',
    {
      config: { access: 'status-links:manage' },
      schema: {
        summary: 'Revoke a status link: its token gets 401 from then on',
        tags: ['care'],
        params: LinkParamsSchema,
        body: NoBodySchema,
        response: {
          200: Type.Object({ link: StatusLinkSchema }),
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal === null) throw new Error('the auth hook set no principal');
      const link = await options.store.revokeLink(request.params.id, principal.name);
      if (link === undefined)
        return reply.code(404).send(notFound(`status link ${request.params.id}`));
      request.log.info({ linkId: link.id, customerId: link.customerId }, 'status link revoked');
      return { link };
    },
  );
  done();
};
