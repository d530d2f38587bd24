import type { FastifyInstance } from 'fastify';
import {
  MAX_VALUE_DEPTH,
  unstorableValue,
  type UnstorableValue,
} from '../core/unstorable-value.js';
import { PART_NAMES } from '../core/validation-message.js';

const PROBLEMS: Readonly<Record<UnstorableValue['kind'], string>> = {
  nul: 'must not contain NUL (U+0000) characters',
  'lone-surrogate': 'must not contain a lone UTF-16 surrogate (\\ud800 to \\udfff unpaired)',
  'too-deep': `is nested deeper than ${String(MAX_VALUE_DEPTH)} levels`,
};

/**
 * Refuses with 400 any request whose query, path parameters or body hold what the api cannot
 * take (see `unstorableValue`): a NUL character or a lone surrogate, which PostgreSQL's text and
 * json refuse (a filter with one would be a 500 from the database, a comment with one a command
 * no correlator can record), or a value nested deeper than any the api reads. Runs after the auth
 * hook and before schema validation.
 */
export function registerValueGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    const parts = { querystring: request.query, params: request.params, body: request.body };
    for (const [part, value] of Object.entries(parts)) {
      const issue = unstorableValue(value);
      if (issue === undefined) continue;
      const where = PART_NAMES[part] ?? 'request field';
      return reply.code(400).send({
        statusCode: 400,
        error: 'Bad Request',
        message: `${issue.path === '' ? where : `${where} "${issue.path}"`} ${PROBLEMS[issue.kind]}`,
      });
    }
  });
}
