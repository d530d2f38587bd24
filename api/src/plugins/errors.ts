import type { FastifyError, FastifyInstance } from 'fastify';
import { validationMessage } from '../core/validation-message.js';

/** The standard reason phrase of an HTTP status, for the `error` field. */
function reason(statusCode: number): string {
  const phrases: Readonly<Record<number, string>> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    406: 'Not Acceptable',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
  };
  return phrases[statusCode] ?? 'Error';
}

/**
 * The one error handler: validation errors become 400 with a sentence naming the bad field;
 * other client errors keep their status and message (fastify's and plugins' messages are written
 * for clients); everything else is a 500 whose details stay in the log, with the request id to
 * find them.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation !== undefined) {
      return reply.code(400).send({
        statusCode: 400,
        error: 'Bad Request',
        message: validationMessage(error.validationContext, error.validation),
      });
    }
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 400 && statusCode < 500) {
      request.log.info({ err: error }, 'client error');
      return reply
        .code(statusCode)
        .send({ statusCode, error: reason(statusCode), message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({
      statusCode: 500,
      error: 'Internal Server Error',
      message: `internal error (request ${request.id}); details are in the api log`,
    });
  });
}
