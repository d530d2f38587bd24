import type { FastifyInstance } from 'fastify';
import { authorize, type Permission } from '../core/authorize.js';
import { bearerToken, type Principal, type TokenVerifier } from '../app/token-verifier.js';

/** Who may call a route: anyone, or a holder of one permission. */
export type Access = 'public' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route. A route under /api that declares nothing is admin-only. */
    access?: Access;
  }
  interface FastifyRequest {
    /** The authenticated caller, set by the auth hook on routes that need a token. */
    principal: Principal | null;
  }
}

/**
 * Adds bearer-token authentication and role checks to every route registered after it on this
 * instance. Routes outside /api (the dashboard's files) are public unless they declare access;
 * routes under /api must declare it, and fail closed (admin only) when they forget.
 */
export function registerAuth(app: FastifyInstance, deps: { verify: TokenVerifier }): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const declared = request.routeOptions.config.access;
    const path = request.url.split('?', 1)[0] ?? '';
    const underApi = path === '/api' || path.startsWith('/api/');
    if (declared === 'public' || (declared === undefined && !underApi)) return;
    // Unknown /api paths answer 404 to any valid token, 401 to others (no route probing);
    // a real /api route that forgot to declare its access is admin-only.
    const permission: Permission | undefined = request.is404 ? undefined : (declared ?? 'admin');
    const principal = deps.verify(bearerToken(request.headers.authorization));
    if (principal === undefined) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'a valid bearer token is required (Authorization: Bearer <token>)',
      });
    }
    const decision =
      permission === undefined ? { allowed: true as const } : authorize(principal.role, permission);
    if (!decision.allowed) {
      return reply
        .code(403)
        .send({ statusCode: 403, error: 'Forbidden', message: decision.reason });
    }
    request.principal = principal;
  });
}
