import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { parseDocument } from 'yaml';
import { createValidator, toDottedPath, type Checked, type Problem } from '../validate.js';
import { ConfigSchema, type Config } from './schema.js';
import { checkReferences } from './references.js';
import { salvageConfig } from './salvage.js';
import { trustedProxyProblems } from './trusted-proxies.js';

const validator = createValidator(ConfigSchema);

/**
 * Where a map was given for a list that has a default. TypeBox's `Value.Default` merges such a
 * map into the default list (`Object.assign([], map)`), which then checks as an empty list: a
 * whole section (`devices: { core-1: … }`) would vanish without a word. Found by walking what was
 * written next to what defaulting made of it.
 */
function mapsGivenForLists(
  written: unknown,
  defaulted: unknown,
  path: readonly string[] = [],
): Problem[] {
  if (typeof written !== 'object' || written === null) return [];
  if (!Array.isArray(written) && Array.isArray(defaulted)) {
    return [{ path: toDottedPath(path.join('/')), message: 'Expected array, got a map' }];
  }
  const inside = (key: string): unknown =>
    typeof defaulted === 'object' && defaulted !== null
      ? (defaulted as Record<string, unknown>)[key]
      : undefined;
  return Object.entries(written).flatMap(([key, item]) =>
    mapsGivenForLists(item, inside(key), [...path, key]),
  );
}

/** The problems a schema cannot express: cross-references, and the values checked by code. */
function crossProblems(config: Config): Problem[] {
  return [...checkReferences(config), ...trustedProxyProblems(config)];
}

/** Whether two dotted paths are the same place or one lies inside the other. */
function overlaps(a: string, b: string): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  return longer === shorter || longer.startsWith(`${shorter}.`);
}

/**
 * The cross-reference problems of a config that failed its schema check, found in what could be
 * salvaged of it, without those at or around a schema problem (they would be about the stand-in
 * values, not about what was written). A list written as a map hides its whole section, so
 * everything referring into it would be reported: then only the schema problems are.
 */
function referenceProblemsDespite(
  value: unknown,
  schemaProblems: readonly Problem[],
  misplaced: readonly Problem[],
): Problem[] {
  if (misplaced.length > 0) return [];
  const salvaged = salvageConfig(value);
  if (salvaged === undefined) return [];
  return crossProblems(salvaged).filter(
    (problem) => !schemaProblems.some((known) => overlaps(known.path, problem.path)),
  );
}

/**
 * Parses and validates a configuration from YAML text: syntax, schema (unknown keys are errors)
 * and cross-references (a service on a device that does not exist). Every problem is returned at
 * once, each with its path, so an operator fixes the file in one pass: the cross-references are
 * checked on the rest of the file even when parts of it fail the schema.
 */
export function parseConfig(text: string): Checked<Config> {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        path: error.linePos ? `line ${String(error.linePos[0].line)}` : '(file)',
        message: error.message.split('\n')[0] ?? error.message,
      })),
    };
  }
  const raw: unknown = document.toJS() ?? {};
  const withDefaults = Value.Default(ConfigSchema, Value.Clone(raw));
  const misplaced = mapsGivenForLists(raw, withDefaults);
  const checked = validator.check(withDefaults);
  if (checked.ok && misplaced.length === 0) {
    const problems = crossProblems(checked.value);
    return problems.length > 0 ? { ok: false, problems } : checked;
  }
  const schemaProblems = [...misplaced, ...(checked.ok ? [] : checked.problems)];
  return {
    ok: false,
    problems: [
      ...schemaProblems,
      ...referenceProblemsDespite(withDefaults, schemaProblems, misplaced),
    ],
  };
}

/** Reads and validates a configuration file; a missing or unreadable file is one problem. */
export async function loadConfigFile(path: string): Promise<Checked<Config>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ path: '(file)', message: `cannot read ${path}: ${reason}` }] };
  }
  return parseConfig(text);
}
