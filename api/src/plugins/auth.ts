import type { FastifyInstance } from 'fastify';
import { authorize, type Permission } from '../core/authorize.js';
import type { AuthFailureGuard } from '../app/auth-failure-guard.js';
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
 * routes under /api must declare it, and fail closed (admin only) when they forget. Addresses that
 * present too many refused tokens are refused with 429 for a while (see `AuthFailureGuard`).
 */
export function registerAuth(
  app: FastifyInstance,
  deps: { verify: TokenVerifier; guard: AuthFailureGuard },
): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const declared = request.routeOptions.config.access;
    const path = request.url.split('?', 1)[0] ?? '';
    const underApi = path === '/api' || path.startsWith('/api/');
    if (declared === 'public' || (declared === undefined && !underApi)) return;
    // Unknown /api paths answer 404 to any valid token, 401 to others (no route probing);
    // a real /api route that forgot to declare its access is admin-only.
    const permission: Permission | undefined = request.is404 ? undefined : (declared ?? 'admin');
    // Checked before the token, so a guess that happens to be right is refused too while blocked.
    if (await deps.guard.isBlocked(request.ip)) {
      return reply.code(429).header('retry-after', '60').send({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'too many refused tokens from this address; try again in a minute',
      });
    }
    const token = bearerToken(request.headers.authorization);
    const principal = deps.verify(token);
    if (principal === undefined) {
      // Only a presented token is a guess; a browser that has none yet is not.
      if (token !== undefined) await deps.guard.recordFailure(request.ip);
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
