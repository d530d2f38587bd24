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

/**
 * Starts components in order and stops them in reverse order (LIFO, like a teardown stack) on
 * SIGINT or SIGTERM. If one fails to start, those already started are stopped and the error is
 * rethrown, so nothing half-starts. Returns a function that stops everything.
 */
export async function startAll(
  components: readonly Component[],
  logger: Logger,
): Promise<() => Promise<void>> {
  const started: Component[] = [];
  const stopAll = async (): Promise<void> => {
    while (started.length > 0) {
      const component = started.pop();
      if (!component) break;
      try {
        await component.stop();
        logger.info({ component: component.name }, 'component stopped');
      } catch (error) {
        logger.error({ err: error, component: component.name }, 'component failed to stop cleanly');
      }
    }
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

/** Runs components until SIGINT/SIGTERM, then stops them and exits (code 1 if start failed). */
export async function runUntilSignal(
  components: readonly Component[],
  logger: Logger,
): Promise<void> {
  let stopAll: () => Promise<void>;
  try {
    stopAll = await startAll(components, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'start failed; nothing is left running');
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void stopAll().then(() => {
      process.exit(0);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
