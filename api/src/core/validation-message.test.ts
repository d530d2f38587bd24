import { describe, expect, it } from 'vitest';
import { validationMessage, type ValidationIssue } from './validation-message.js';

const issue = (
  keyword: string,
  instancePath: string,
  params: Record<string, unknown>,
  message?: string,
): ValidationIssue => ({
  keyword,
  instancePath,
  params,
  message,
});

describe('validationMessage', () => {
  it.each<[string | undefined, ValidationIssue[], string]>([
    [
      'querystring',
      [
        issue(
          'enum',
          '/state',
          { allowedValues: ['open', 'all'] },
          'must be equal to one of the allowed values',
        ),
      ],
      'query parameter "state" must be one of: open, all',
    ],
    [
      'querystring',
      [issue('maximum', '/limit', { limit: 1000 }, 'must be <= 1000')],
      'query parameter "limit" must be <= 1000',
    ],
    [
      'params',
      [issue('format', '/id', { format: 'uuid' }, 'must match format "uuid"')],
      'path parameter "id" must match format "uuid"',
    ],
    [
      'body',
      [issue('required', '', { missingProperty: 'note' }, "must have required property 'note'")],
      'body field "note" is required',
    ],
    ['body', [issue('required', '/a', { missingProperty: 'b' })], 'body field "a.b" is required'],
    [
      'body',
      [issue('additionalProperties', '', { additionalProperty: 'x' })],
      'body field "x" is not allowed',
    ],
    [
      'body',
      [issue('type', '', { type: 'object' }, 'must be object')],
      'body field must be object',
    ],
    [undefined, [], 'invalid request field'],
  ])('%s %j → %s', (part, issues, expected) => {
    expect(validationMessage(part, issues)).toBe(expected);
  });
});
