import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_SCENARIO_DEFINITION_CHARS, type Checked, type Config } from '@faultline/shared';
import { parseScenario, SCENARIO_NAME_PATTERN, type Scenario } from '../core/scenario.js';

/**
 * The repository's `scenarios/` folder. Both `simulator/src/adapters` and
 * `simulator/dist/adapters` sit three levels below the repository root.
 */
export const DEFAULT_SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

/** Scenario files are `<name>.yaml`. */
const SUFFIX = '.yaml';

/** A scenario's file, before it is parsed: its name and its YAML. */
export interface ScenarioSource {
  readonly name: string;
  readonly text: string;
}

/**
 * The folders a scenario name is looked up in, in order: the config's `simulator.scenariosDir`
 * (relative to the working directory), then the repository's `scenarios/`.
 */
export function scenarioFolders(config: Pick<Config, 'simulator'>): string[] {
  const own = config.simulator.scenariosDir;
  return own === undefined ? [DEFAULT_SCENARIOS_DIR] : [resolve(own), DEFAULT_SCENARIOS_DIR];
}

/** Where each scenario's file is, by name; a name in an earlier folder hides a later one. */
async function scenarioIndex(dirs: readonly string[]): Promise<Map<string, string>> {
  const index = new Map<string, string>();
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot read the scenarios folder ${dir}: ${reason}`, { cause: error });
    }
    for (const file of entries) {
      const name = file.slice(0, -SUFFIX.length);
      if (file.endsWith(SUFFIX) && SCENARIO_NAME_PATTERN.test(name) && !index.has(name)) {
        index.set(name, join(dir, file));
      }
    }
  }
  return index;
}

/** The names of the scenarios in the folders, sorted, each once. */
export async function listScenarioFiles(dirs: readonly string[]): Promise<string[]> {
  return [...(await scenarioIndex(dirs)).keys()].sort();
}

/** Reads a scenario by name from the first folder that has it; unknown names list the known. */
export async function readScenarioByName(
  dirs: readonly string[],
  name: string,
): Promise<Checked<ScenarioSource>> {
  const index = await scenarioIndex(dirs);
  const path = index.get(name);
  if (path === undefined) {
    const known = [...index.keys()].sort().join(', ');
    return {
      ok: false,
      problems: [{ path: '(name)', message: `no scenario named "${name}"; known: ${known}` }],
    };
  }
  return readScenarioPath(path);
}

/** Whether a command-line argument is a scenario file's path rather than a scenario's name. */
export function isScenarioPath(argument: string): boolean {
  return argument.includes('/') || argument.includes('\\') || /\.ya?ml$/i.test(argument);
}

/**
 * Reads a scenario file from any path. Its name is the file's, lower-cased, with anything but
 * letters, digits and dashes made a dash (`Core_Cut.yaml` runs as `core-cut`).
 */
export async function readScenarioPath(path: string): Promise<Checked<ScenarioSource>> {
  const name = basename(path, extname(path))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 100);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [{ path: '(file)', message: `cannot read ${resolve(path)}: ${reason}` }],
    };
  }
  if (text.length > MAX_SCENARIO_DEFINITION_CHARS) {
    return {
      ok: false,
      problems: [
        {
          path: '(file)',
          message: `${resolve(path)} is larger than ${String(MAX_SCENARIO_DEFINITION_CHARS)} characters`,
        },
      ],
    };
  }
  return { ok: true, value: { name, text } };
}

/** Reads and validates one scenario by name against the network it will run on. */
export async function loadScenarioFile(
  dirs: readonly string[],
  name: string,
  config: Pick<Config, 'devices'>,
): Promise<Checked<Scenario>> {
  const source = await readScenarioByName(dirs, name);
  return source.ok ? parseScenario(source.value.name, source.value.text, config) : source;
}
