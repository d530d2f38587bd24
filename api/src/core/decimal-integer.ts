import type { ValidationIssue } from './validation-message.js';

/** A plain decimal integer as text: an optional minus and digits, nothing else. */
const DECIMAL_INTEGER = /^-?[0-9]+$/;

/**
 * The first of the named query parameters that is not written as a plain decimal integer, as a
 * validation issue, or undefined when all are (or are absent). Query values are text; a number
 * written `1e3`, `0x10`, ` 5` or `5.0` would otherwise be read as one by the type conversion.
 * A repeated parameter (an array) is checked value by value.
 */
export function decimalIntegerIssue(
  query: unknown,
  names: readonly string[],
): ValidationIssue | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  const values = query as Readonly<Record<string, unknown>>;
  for (const name of names) {
    const value = values[name];
    const texts = Array.isArray(value) ? (value as unknown[]) : [value];
    if (texts.some((text) => typeof text === 'string' && !DECIMAL_INTEGER.test(text))) {
      return {
        keyword: 'type',
        instancePath: `/${name}`,
        params: { type: 'integer' },
        message: 'must be a decimal integer (digits only)',
      };
    }
  }
  return undefined;
}
