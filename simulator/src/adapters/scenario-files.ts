import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Checked, Config } from '@faultline/shared';
import { parseScenario, SCENARIO_NAME_PATTERN, type Scenario } from '../core/scenario.js';

/**
 * The repository's `scenarios/` folder. Both `simulator/src/adapters` and
 * `simulator/dist/adapters` sit three levels below the repository root.
 */
export const DEFAULT_SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

/** Scenario files are `<name>.yaml`. */
const SUFFIX = '.yaml';

/** The names of the scenarios in a folder, sorted. */
export async function listScenarioFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir);
  return entries
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .filter((name) => SCENARIO_NAME_PATTERN.test(name))
    .sort();
}

/** Reads and validates one scenario by name against the network it will run on. */
export async function loadScenarioFile(
  dir: string,
  name: string,
  config: Pick<Config, 'devices'>,
): Promise<Checked<Scenario>> {
  if (!SCENARIO_NAME_PATTERN.test(name)) {
    return { ok: false, problems: [{ path: '(name)', message: `no scenario named "${name}"` }] };
  }
  let text: string;
  try {
    text = await readFile(join(dir, `${name}${SUFFIX}`), 'utf8');
  } catch {
    const known = await listScenarioFiles(dir).catch(() => []);
    return {
      ok: false,
      problems: [
        { path: '(name)', message: `no scenario named "${name}"; known: ${known.join(', ')}` },
      ],
    };
  }
  return parseScenario(name, text, config);
}
