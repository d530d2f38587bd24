import { CloneType, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from './schema.js';

/**
 * A copy of a schema in which every string with a pattern or a format has a default (the empty
 * string), because TypeBox can only make up a value for a string it knows no constraint of.
 */
function withStringDefaults<T extends TSchema>(schema: T): T {
  const copy = CloneType(schema);
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const record = node as Record<string, unknown>;
    if (
      record.type === 'string' &&
      (record.pattern !== undefined || record.format !== undefined) &&
      !('default' in record)
    ) {
      record.default = '';
    }
    Object.values(record).forEach(visit);
  };
  visit(copy);
  return copy;
}

const LENIENT_SCHEMA = withStringDefaults(ConfigSchema);

/**
 * The shape of a config that failed its schema check, for the cross-reference checks to run on:
 * what was written and valid is kept as it is (names, lists and their order, so paths still
 * point at the file), unknown keys are dropped, and each invalid value is replaced by one of the
 * right type (a union's first choice, an empty string, a minimum). Such stand-ins are not what the
 * operator wrote: a reference problem found at or around a schema problem's path is theirs, and
 * the caller drops it. Undefined when no such shape can be made.
 */
export function salvageConfig(value: unknown): Config | undefined {
  try {
    // A value cast from scratch takes its object's own default (`{}`), not those of its keys:
    // defaulting again fills them in.
    return Value.Default(LENIENT_SCHEMA, Value.Cast(LENIENT_SCHEMA, value)) as Config;
  } catch {
    return undefined;
  }
}
