import type { Logger } from 'pino';
import { loadConfigFile } from './config/load.js';
import type { Config } from './config/schema.js';
import { chooseLogFormat, createLogger } from './logger.js';
import { configPathOf, readSettings, type Settings } from './settings.js';
import { formatProblems } from './validate.js';

/**
 * A long-running part of Faultline (collector, correlator, api…). `start` resolves once it is
 * serving; `stop` drains what it holds and releases its connections, and is safe to call once
 * after a successful start.
 */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Everything a component's factory needs from the process: validated settings and config. */
export interface Runtime {
  readonly settings: Settings;
  readonly config: Config;
  readonly logger: Logger;
}

/**
 * Reads settings from the environment and the config file they name. On any problem it returns
 * the message to print: all problems at once, those of the environment and those of the file,
 * each with its path, and nothing has started.
 */
export async function loadRuntime(
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ ok: true; runtime: Runtime } | { ok: false; message: string }> {
  const settings = readSettings(env);
  const configPath = configPathOf(env);
  const config = await loadConfigFile(configPath);
  if (!settings.ok || !config.ok) {
    const sections = [
      ...(settings.ok ? [] : [`invalid environment:\n${formatProblems(settings.problems)}`]),
      ...(config.ok ? [] : [`invalid config ${configPath}:\n${formatProblems(config.problems)}`]),
    ];
    return { ok: false, message: sections.join('\n') };
  }
  const logger = createLogger({
    level: settings.value.logLevel,
    format: chooseLogFormat(settings.value.logFormat, process.stdout.isTTY),
  });
  return { ok: true, runtime: { settings: settings.value, config: config.value, logger } };
}

/** How long one component may take to stop before the rest are stopped without it. */
export const STOP_TIMEOUT_MS = 15_000;

/**
 * Starts components in order and stops them in reverse order (LIFO, like a teardown stack) on
 * SIGINT or SIGTERM. If one fails to start, those already started are stopped and the error is
 * rethrown, so nothing half-starts. Returns a function that stops everything and says whether
 * every component stopped cleanly. A component that has not stopped within `stopTimeoutMs` (one
 * whose connections are dead and whose teardown waits on them) is logged and left behind, so the
 * others still stop and the process can exit.
 */
export async function startAll(
  components: readonly Component[],
  logger: Logger,
  { stopTimeoutMs = STOP_TIMEOUT_MS }: { stopTimeoutMs?: number } = {},
): Promise<() => Promise<boolean>> {
  const started: Component[] = [];
  const stopOne = async (component: Component): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => {
        resolve('late');
      }, stopTimeoutMs);
    });
    try {
      if ((await Promise.race([component.stop(), late])) === 'late') {
        logger.error(
          { component: component.name, timeoutMs: stopTimeoutMs },
          'component did not stop in time; stopping the others without it',
        );
        return false;
      }
      logger.info({ component: component.name }, 'component stopped');
      return true;
    } catch (error) {
      logger.error({ err: error, component: component.name }, 'component failed to stop cleanly');
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
  const stopAll = async (): Promise<boolean> => {
    let clean = true;
    for (let component = started.pop(); component; component = started.pop()) {
      if (!(await stopOne(component))) clean = false;
    }
    return clean;
  };
  for (const component of components) {
    try {
      await component.start();
    } catch (error) {
      logger.error({ err: error, component: component.name }, 'component failed to start');
      await stopAll();
      throw new Error(`${component.name} failed to start`, { cause: error });
    }
    started.push(component);
    logger.info({ component: component.name }, 'component started');
  }
  return stopAll;
}

/**
 * Runs components until SIGINT/SIGTERM, then stops them and exits: code 1 if start failed or a
 * component did not stop cleanly. A second signal while stopping exits at once (code 1).
 */
export async function runUntilSignal(
  components: readonly Component[],
  logger: Logger,
): Promise<void> {
  let stopAll: () => Promise<boolean>;
  try {
    stopAll = await startAll(components, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'start failed; nothing is left running');
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'stopping at once: signalled again while stopping');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    void stopAll().then((clean) => {
      process.exit(clean ? 0 : 1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
