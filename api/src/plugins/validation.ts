import AjvCompiler from '@fastify/ajv-compiler';
import { decimalIntegerIssue } from '../core/decimal-integer.js';

type Compile = ReturnType<AjvCompiler.ValidatorFactory>;
type Validate = ReturnType<Compile>;

const fromPool = AjvCompiler();

/** The names of a query schema's integer properties, which arrive as text and are converted. */
function integerProperties(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null || !('properties' in schema)) return [];
  const properties = schema.properties;
  if (typeof properties !== 'object' || properties === null) return [];
  return Object.entries(properties as Record<string, { type?: unknown }>)
    .filter(([, property]) => property.type === 'integer')
    .map(([name]) => name);
}

/** A query validator that first requires the integer parameters to be plain decimal text. */
function decimalIntegersFirst(validate: Validate, integers: readonly string[]): Validate {
  const checked = (query: unknown): boolean => {
    const issue = decimalIntegerIssue(query, integers);
    if (issue !== undefined) {
      checked.errors = [
        {
          ...issue,
          message: issue.message ?? 'is invalid',
          schemaPath: `#/properties${issue.instancePath}/type`,
        },
      ];
      return false;
    }
    const valid = validate(query) as boolean;
    checked.errors = validate.errors;
    return valid;
  };
  checked.errors = validate.errors;
  return checked as unknown as Validate;
}

/**
 * fastify's validator factory for this api: JSON bodies (and path parameters and headers) are
 * checked as sent, with no type coercion, so `{"text":123}` is refused rather than stored as
 * "123" and an amount must be the decimal string it is documented as. Query strings are text by
 * nature and are converted to their declared types, but an integer must be written as a plain
 * decimal integer: the conversion alone would read `1e3` and `0x10` as numbers. Undeclared body
 * fields are refused, not dropped, so a client that misspells a field learns it at once.
 */
export const buildRequestValidator: AjvCompiler.ValidatorFactory = (externalSchemas, options) => {
  // fastify passes its `ajv` option here: custom Ajv options and plugins (never JTD mode here).
  const custom = options?.mode === 'JTD' ? {} : options?.customOptions;
  const plugins = options?.plugins ?? [];
  const customOptions = { ...custom, removeAdditional: false } as const;
  const asSent = fromPool(externalSchemas, {
    plugins,
    customOptions: { ...customOptions, coerceTypes: false },
  });
  const fromText = fromPool(externalSchemas, { plugins, customOptions });
  return (route) => {
    if (route.httpPart !== 'querystring') return asSent(route);
    const validate = fromText(route);
    const integers = integerProperties(route.schema);
    return integers.length === 0 ? validate : decimalIntegersFirst(validate, integers);
  };
};
