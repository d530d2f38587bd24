import type { Static, TSchema } from '@sinclair/typebox';
import {
  TypeCompiler,
  ValueErrorType,
  type TypeCheck,
  type ValueError,
} from '@sinclair/typebox/compiler';
import { registerStandardFormats } from './formats.js';

/** One problem found in a value: a JSON-pointer-like path and what is wrong there. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** The outcome of checking untrusted input: the typed value, or every problem at once. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** A compiled validator for one schema; compile once, call on every input. */
export interface Validator<S extends TSchema> {
  readonly schema: S;
  check(value: unknown): Checked<Static<S>>;
}

/** The literal values a union allows, when it is a choice between literals only. */
function literalChoices(schema: TSchema): string[] | undefined {
  const choices: unknown = schema.anyOf;
  if (!Array.isArray(choices)) return undefined;
  const values = choices.map((choice: unknown) =>
    typeof choice === 'object' && choice !== null
      ? (choice as { const?: unknown }).const
      : undefined,
  );
  if (!values.every((value) => typeof value === 'string' || typeof value === 'number')) {
    return undefined;
  }
  return values.map(String);
}

/**
 * What an operator reads for one error. "Unexpected property" says less than the name of the key
 * they mistyped, and "Expected union value" less than the values allowed. The value given is not
 * repeated: it may be a secret put in the wrong place.
 */
function messageOf(error: ValueError, path: string): string {
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    return `unknown key "${path.split('.').pop() ?? path}"`;
  }
  const choices = error.type === ValueErrorType.Union ? literalChoices(error.schema) : undefined;
  return choices === undefined ? error.message : `must be one of ${choices.join(', ')}`;
}

/**
 * Compiles a TypeBox schema into a validator that reports every problem with its path.
 * Paths use dots for readability (`devices.2.snmp.version`), which is what operators read in
 * config errors and API 400 answers.
 */
export function createValidator<S extends TSchema>(schema: S): Validator<S> {
  // The formats our schemas name (date-time, uuid) must be known before any value is checked.
  registerStandardFormats();
  const compiled: TypeCheck<S> = TypeCompiler.Compile(schema);
  return {
    schema,
    check(value) {
      if (compiled.Check(value)) return { ok: true, value };
      const errors = [...compiled.Errors(value)];
      // A missing property is also reported as a value of the wrong type: once is enough.
      const missing = new Set(
        errors
          .filter((error) => error.type === ValueErrorType.ObjectRequiredProperty)
          .map((error) => error.path),
      );
      const problems: Problem[] = [];
      const seen = new Set<string>();
      for (const error of errors) {
        if (missing.has(error.path) && error.type !== ValueErrorType.ObjectRequiredProperty) {
          continue;
        }
        const path = toDottedPath(error.path);
        const message = messageOf(error, path);
        const key = `${path}\u0000${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push({ path, message });
      }
      return { ok: false, problems };
    },
  };
}

/** `/devices/2/snmp` → `devices.2.snmp`; the root is shown as `(root)`. */
export function toDottedPath(pointer: string): string {
  const parts = pointer.split('/').filter((part) => part !== '');
  return parts.length === 0 ? '(root)' : parts.join('.');
}

/** Formats problems one per line, the way start-up errors and CLI output show them. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `  - ${problem.path}: ${problem.message}`).join('\n');
}
