import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isApiPath, pathOf, type AccessCheck } from './auth.js';

/** The longest path parameter the router takes; longer ones are refused with 414. */
export const MAX_PARAM_LENGTH = 1024;

/**
 * Answers the errors fastify's router raises before any hook runs: a path parameter that is not
 * valid percent-encoded UTF-8 (400) or is longer than `MAX_PARAM_LENGTH` (414). Both arise only
 * on a path that matches a route, so under /api they are answered only to a valid token, after
 * the same access check an unknown path gets (401 otherwise): they must not tell an anonymous
 * caller which paths exist. The answer has the documented error body and never echoes the URL.
 */
export function createFrameworkErrorHandler(check: AccessCheck) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
    const answer = tooLong
      ? {
          statusCode: 414,
          error: 'URI Too Long',
          message: `a path segment is longer than ${String(MAX_PARAM_LENGTH)} characters`,
        }
      : {
          statusCode: 400,
          error: 'Bad Request',
          message: 'the path is not valid percent-encoded UTF-8',
        };
    const respond = async (): Promise<void> => {
      if (isApiPath(pathOf(request)) && (await check(request, reply, undefined)) === undefined) {
        return;
      }
      await reply.code(answer.statusCode).send(answer);
    };
    respond().catch((failure: unknown) => {
      request.log.error({ err: failure }, 'answering a malformed path failed');
      if (!reply.sent) reply.raw.destroy();
    });
  };
}
