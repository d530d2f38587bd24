import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { parseDocument } from 'yaml';
import { createValidator, toDottedPath, type Checked, type Problem } from '../validate.js';
import { ConfigSchema, type Config } from './schema.js';
import { checkReferences } from './references.js';
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

/**
 * Parses and validates a configuration from YAML text: syntax, schema (unknown keys are errors)
 * and cross-references (a service on a device that does not exist). Every problem is returned at
 * once, each with its path, so an operator fixes the file in one pass.
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
  if (!checked.ok) return { ok: false, problems: [...misplaced, ...checked.problems] };
  if (misplaced.length > 0) return { ok: false, problems: misplaced };
  const problems: Problem[] = [
    ...checkReferences(checked.value),
    ...trustedProxyProblems(checked.value),
  ];
  return problems.length > 0 ? { ok: false, problems } : checked;
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
