import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { expect, vi } from 'vitest';
import {
  EVENT_BATCH_JOB,
  createLogger,
  loadConfigFile,
  type EventBatch,
  type FaultEvent,
  type Config,
  type Runtime,
  type Settings,
} from '@faultline/shared';
import { snmptrap } from '../collector/snmp-tools.js';
import { linkDown } from '../correlator/correlator-harness.js';
import { uniqueName } from '../support/services.js';
import { freeTcpPort } from '../support/ports.js';

/** The example network's config file: core-1 is 127.0.1.1. */
export const EXAMPLE_CONFIG = fileURLToPath(
  new URL('../../../config/example.yaml', import.meta.url),
);

/** What a fault test changes in the example network. */
export interface FaultConfigOptions {
  /** Telemetry is read from `<telemetryRoot>/#` (default: a unique root). */
  readonly telemetryRoot?: string;
  /** How long the broker keeps the collector's session (default 0: none is left behind). */
  readonly sessionExpiryS?: number;
  /** The InfluxDB database written to (default: the example's). */
  readonly influxDatabase?: string;
}

/**
 * The example network with telemetry on a topic root of its own, so a test on the shared broker
 * neither hears other tests nor, by default, leaves sessions behind.
 */
export async function faultConfig(options: FaultConfigOptions = {}): Promise<Config> {
  const loaded = await loadConfigFile(EXAMPLE_CONFIG);
  if (!loaded.ok) throw new Error(`example config invalid: ${JSON.stringify(loaded.problems)}`);
  const config = loaded.value;
  return {
    ...config,
    telemetry: {
      ...config.telemetry,
      topics: [`${options.telemetryRoot ?? uniqueName('tl')}/#`],
      sessionExpiryS: options.sessionExpiryS ?? 0,
    },
    influx: { ...config.influx, database: options.influxDatabase ?? config.influx.database },
  };
}

/** A silent runtime for in-process components. */
export function faultRuntime(settings: Settings, config: Config): Runtime {
  return { settings, config, logger: createLogger({ level: 'silent' }) };
}

const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const LINK_UP = '1.3.6.1.6.3.1.1.5.4';
const IF_INDEX = '1.3.6.1.2.1.2.2.1.1';

/** A linkDown (or linkUp) trap for `ifIndex` from a device's own address, as it would send it. */
export async function linkTrap(
  target: string,
  ifIndex: number,
  options: { readonly from: string; readonly up?: boolean },
): Promise<void> {
  const index = String(ifIndex);
  await snmptrap([
    ...['-v', '2c', '-c', 'public', `--clientaddr=${options.from}`, target, ''],
    ...[options.up === true ? LINK_UP : LINK_DOWN, `${IF_INDEX}.${index}`, 'i', index],
  ]);
}

/**
 * A linkDown trap from core-1 (127.0.1.1) for `ifIndex`: each index is its own problem, so every
 * trap must become exactly one alarm `linkDown:core-1:ifIndex=<n>` with count 1.
 */
export function linkDownTrap(target: string, ifIndex: number): Promise<void> {
  return linkTrap(target, ifIndex, { from: '127.0.1.1' });
}

/** Runs one query on a fresh connection (the server may have restarted since the last one). */
export async function queryRows<T extends pg.QueryResultRow>(
  databaseUrl: string,
  sql: string,
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The alarms of a database as the fault tests count them: reduction key → event count. */
export async function alarmCounts(databaseUrl: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ reduction_key: string; count: number }>(
    databaseUrl,
    'SELECT reduction_key, count FROM alarms',
  );
  return new Map(rows.map((row) => [row.reduction_key, row.count]));
}

/** `jobs` batches of `eventsPerJob` linkDown events; every reduction key is in two batches. */
export function keysTwiceBatches(jobs: number, eventsPerJob: number): FaultEvent[][] {
  return Array.from({ length: jobs }, (_, job) =>
    Array.from({ length: eventsPerJob }, (_, n) => {
      const key = (job % (jobs / 2)) * eventsPerJob + n;
      return linkDown(`e-${String(job)}-${String(n)}`, { reductionKey: `k-${String(key)}` });
    }),
  );
}

/** Adds the batches (3 attempts each) and waits until at least `done` are done and some active. */
export async function addUntilMidway(
  queue: Queue<EventBatch>,
  batches: readonly FaultEvent[][],
  done: number,
  timeoutMs: number,
): Promise<void> {
  await queue.addBulk(
    batches.map((events) => ({ name: EVENT_BATCH_JOB, data: { events }, opts: { attempts: 3 } })),
  );
  await vi.waitFor(
    async () => {
      const counts = await queue.getJobCounts('completed', 'active');
      expect(counts.completed).toBeGreaterThanOrEqual(done);
      expect(counts.active).toBeGreaterThan(0);
    },
    { timeout: timeoutMs, interval: 5 },
  );
}

/** Waits until every batch of `keysTwiceBatches` completed (none failed); each key counts 2. */
export async function expectEveryKeyTwice(
  queue: Queue<EventBatch>,
  databaseUrl: string,
  batches: readonly FaultEvent[][],
): Promise<void> {
  await vi.waitFor(
    async () => {
      expect(await queue.getJobCounts('completed', 'failed')).toEqual({
        completed: batches.length,
        failed: 0,
      });
    },
    { timeout: 100_000, interval: 500 },
  );
  const counts = await alarmCounts(databaseUrl);
  expect(counts.size).toBe(new Set(batches.flat().map((event) => event.reductionKey)).size);
  expect([...counts.values()].filter((count) => count !== 2)).toEqual([]);
}

/** The alarms `linkDownTrap` must have made for indexes 1..n, each seen once. */
export function expectedLinkDowns(n: number): Map<string, number> {
  return new Map(
    Array.from({ length: n }, (_, i) => [`linkDown:core-1:ifIndex=${String(i + 1)}`, 1]),
  );
}

/** One log line of a Faultline process, as far as the tests read it. */
export interface LogLine {
  readonly msg: string;
  /** The server a part waits for (`waitForServer`). */
  readonly server?: string;
}

/** A Faultline process started by a test from a workspace's built entry. */
export interface PartProcess {
  readonly child: ChildProcess;
  /** Its stdout so far: each JSON log line parsed, any other line as its `msg`. */
  readonly logs: LogLine[];
  /** True while it runs. */
  running(): boolean;
  /** Resolves with its exit code once it ended. */
  exited(): Promise<number | null>;
  /** Sends `signal` unless it ended already, resolving once it has. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node <part>/dist/main.js` (`system` is the whole of Faultline) with only `env`. A part's
 * own /metrics listens on a free port unless `env` names one: its default (9101–9103) may be held
 * by `npm start` or another suite on the machine.
 */
export async function startPart(part: string, env: NodeJS.ProcessEnv): Promise<PartProcess> {
  const main = fileURLToPath(new URL(`../../../${part}/dist/main.js`, import.meta.url));
  const metricsPort = env.FAULTLINE_METRICS_PORT ?? String(await freeTcpPort());
  const child = spawn(process.execPath, [main], {
    env: { ...env, FAULTLINE_METRICS_PORT: metricsPort },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const logs: LogLine[] = [];
  let rest = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    child,
    logs,
    running,
    exited: () => exit,
    async stop(signal = 'SIGTERM') {
      if (running()) child.kill(signal);
      await exit;
    },
  };
}
