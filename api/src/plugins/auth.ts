import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize, type Permission } from '../core/authorize.js';
import {
  bearerToken,
  type AuthFailureGuard,
  type Principal,
  type TokenVerifier,
} from '@faultline/shared';

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
 * Checks the caller of a request for a permission (undefined: any valid token will do). Returns
 * the principal, or undefined once it has answered the refusal: 429 while the client is blocked
 * for refused tokens, 401 without a valid token, 403 when the role lacks the permission.
 */
export type AccessCheck = (
  request: FastifyRequest,
  reply: FastifyReply,
  permission: Permission | undefined,
) => Promise<Principal | undefined>;

/** Whether a path is the api's (where nothing is public unless a route says so). */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/** The path of a request without its query string. */
export function pathOf(request: FastifyRequest): string {
  return (request.raw.url ?? '').split('?', 1)[0] ?? '';
}

/**
 * The access check: refused tokens are counted per client (`clientAddress`, the same function the
 * socket.io handshake uses), and a client over its budget is refused before its token is looked
 * at, so a guess that happens to be right is refused too while it is blocked.
 */
export function createAccessCheck(deps: {
  verify: TokenVerifier;
  guard: AuthFailureGuard;
  clientAddress: (request: IncomingMessage) => string;
}): AccessCheck {
  return async (request, reply, permission) => {
    const client = deps.clientAddress(request.raw);
    if (await deps.guard.isBlocked(client)) {
      await reply.code(429).header('retry-after', '60').send({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'too many refused tokens from this address; try again in a minute',
      });
      return undefined;
    }
    const token = bearerToken(request.headers.authorization);
    const principal = deps.verify(token);
    if (principal === undefined) {
      // Only a presented token is a guess; a browser that has none yet is not.
      if (token !== undefined) await deps.guard.recordFailure(client);
      await reply.code(401).header('www-authenticate', 'Bearer').send({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'a valid bearer token is required (Authorization: Bearer <token>)',
      });
      return undefined;
    }
    const decision =
      permission === undefined ? { allowed: true as const } : authorize(principal.role, permission);
    if (!decision.allowed) {
      await reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: decision.reason });
      return undefined;
    }
    return principal;
  };
}

/**
 * Adds bearer-token authentication and role checks to every route registered after it on this
 * instance. Routes outside /api (the dashboard's files) are public unless they declare access;
 * routes under /api must declare it, and fail closed (admin only) when they forget.
 */
export function registerAuth(app: FastifyInstance, check: AccessCheck): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const declared = request.routeOptions.config.access;
    if (declared === 'public' || (declared === undefined && !isApiPath(pathOf(request)))) return;
    // Unknown /api paths answer 404 to any valid token, 401 to others (no route probing);
    // a real /api route that forgot to declare its access is admin-only.
    const permission: Permission | undefined = request.is404 ? undefined : (declared ?? 'admin');
    const principal = await check(request, reply, permission);
    if (principal !== undefined) request.principal = principal;
  });
}
