import { Type } from '@sinclair/typebox';

/** The largest value of a PostgreSQL `integer` column: request integers stored in one stay below. */
export const PG_INTEGER_MAX = 2_147_483_647;

/**
 * The body of a command that takes none: absent, or `{}`. Any field is refused, so a client that
 * believes it is passing an option (`{"force":true}`) learns that it is not.
 */
export const NoBodySchema = Type.Object(
  {},
  { additionalProperties: false, nullable: true, description: 'No body, or {}.' },
);

/** The body of every error answer. */
export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
  },
  { description: 'An error: the HTTP status, its name and a message for people.' },
);

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'A parameter is invalid; the message names it.',
  401: 'No token, or a token that matches none.',
  403: 'The token is valid but its role lacks the permission.',
  404: 'Nothing found.',
  429: 'Too many requests.',
  500: 'Internal error; details are in the api log only.',
};

/** Error answers for a route's response schema, so OpenAPI lists them and they serialize. */
export function errorResponses<const C extends number>(
  ...codes: C[]
): Record<C, typeof ErrorSchema> {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      { ...ErrorSchema, description: ERROR_DESCRIPTIONS[code] ?? 'Error.' },
    ]),
  ) as Record<C, typeof ErrorSchema>;
}

/** The error answers every authenticated route can give. */
export const AUTHENTICATED_ERRORS = [401, 403, 429, 500] as const;
