import type { FastifyInstance } from 'fastify';
import { nulCharacterAt } from '../core/nul-character.js';
import { PART_NAMES } from '../core/validation-message.js';

/**
 * Refuses with 400 any request whose query, path parameters or body hold a NUL character, which
 * PostgreSQL text cannot store: without it a filter like `?device=a%00b` is a 500 from the
 * database, and a comment with one is a command no correlator can record. Runs after the auth
 * hook and before schema validation.
 */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    const parts = { querystring: request.query, params: request.params, body: request.body };
    for (const [part, value] of Object.entries(parts)) {
      const at = nulCharacterAt(value);
      if (at === undefined) continue;
      const where = PART_NAMES[part] ?? 'request field';
      return reply.code(400).send({
        statusCode: 400,
        error: 'Bad Request',
        message: `${at === '' ? where : `${where} "${at}"`} must not contain NUL (U+0000) characters`,
      });
    }
  });
}
