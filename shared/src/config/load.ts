import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { parseDocument } from 'yaml';
import { createValidator, type Checked, type Problem } from '../validate.js';
import { ConfigSchema, type Config } from './schema.js';
import { checkReferences } from './references.js';

const validator = createValidator(ConfigSchema);

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
  const checked = validator.check(withDefaults);
  if (!checked.ok) return checked;
  const problems: Problem[] = checkReferences(checked.value);
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
