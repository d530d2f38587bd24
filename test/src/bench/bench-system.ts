// The whole of Faultline in this process, built by the system's composition root against the
// machine's services, on a database, an InfluxDB database and a Redis prefix of its own, with a
// socket.io client that notes when each push arrives. What the storm and latency benchmarks drive.
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { Redis } from 'ioredis';
import {
  createLogger,
  loadConfigFile,
  parseConfig,
  startAll,
  type AlarmChange,
  type ClientToServerEvents,
  type Config,
  type IncidentChange,
  type Runtime,
  type ServerToClientEvents,
  type Settings,
} from '@faultline/shared';
import { createSystem } from '@faultline/system';
import { deleteRedisPrefix } from './bench-support.js';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { freeTcpPort, freeUdpPort } from '../support/ports.js';

const EXAMPLE = fileURLToPath(new URL('../../../config/example.yaml', import.meta.url));
const ADMIN_TOKEN = 'bench-admin-token-0123456789';

/** The example network, as `npm start` plays it. */
export async function exampleConfig(): Promise<Config> {
  const loaded = await loadConfigFile(EXAMPLE);
  if (!loaded.ok) throw new Error(`example config invalid: ${JSON.stringify(loaded.problems)}`);
  return loaded.value;
}

/**
 * The machine's load as a benchmark begins, in words for its notes: wall-clock figures on a
 * machine busy with other work are not the figures of an idle one.
 */
export function machineLoadNote(): string {
  const [oneMinute = 0] = loadavg();
  // The 1-minute average still holds the benchmark that ran just before this one in `npm run bench`.
  return `Load average (1 minute, which still counts the benchmark run just before) when the run began: ${oneMinute.toFixed(1)} on ${String(cpus().length)} cores.`;
}

/**
 * A device polled once an hour. No agent answers in the benchmarks, and failed polls would raise
 * deviceDown alarms of their own.
 */
export function pollHourly<D extends Config['devices'][number]>(device: D): D {
  return { ...device, pollIntervalS: 3600 };
}

/** Validates a config built in code (JSON is YAML), with the schema's defaults applied. */
export function checkedConfig(config: unknown): Config {
  const checked = parseConfig(JSON.stringify(config));
  if (!checked.ok) throw new Error(`bench config invalid: ${JSON.stringify(checked.problems)}`);
  return checked.value;
}

/** A change pushed to the socket.io client, with when it arrived (performance.now()). */
export interface Received<C> {
  readonly atMs: number;
  readonly change: C;
}

/** What the socket.io client has received since it connected. */
export interface LivePushes {
  /** Every `alarms:changed` entry, in arrival order. */
  readonly alarms: Received<AlarmChange>[];
  /** Every `incidents:changed` entry, in arrival order. */
  readonly incidents: Received<IncidentChange>[];
  /** `alarms:changed` and `incidents:changed` messages (each a batch). */
  messages: number;
}

export interface BenchSystem {
  readonly runtime: Runtime;
  readonly trapPort: number;
  readonly pushes: LivePushes;
  /** Every alarm change is also handed here the moment it arrives. */
  onAlarmChange?: (change: AlarmChange, atMs: number) => void;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A collector counter from the api's /metrics, e.g. `traps_received_total`. */
  collectorCounter(name: string): Promise<number>;
  /** Stops the system and the client, drops the databases and the Redis keys of the prefix. */
  stop(): Promise<void>;
}

/** A runtime on the machine's services with an InfluxDB database of its own; `drop` removes it. */
export async function createBenchRuntime(
  config: Config,
  settings: Partial<Settings>,
): Promise<{ runtime: Runtime; drop: () => Promise<void> }> {
  const influx = await createInfluxDatabase();
  const runtime: Runtime = {
    settings: testSettings(settings),
    // A bench's MQTT session must not outlive it on the shared broker.
    config: {
      ...config,
      influx: { ...config.influx, database: influx.name },
      telemetry: { ...config.telemetry, sessionExpiryS: 0 },
    },
    logger: createLogger({ level: 'silent' }),
  };
  return {
    runtime,
    drop: async () => {
      await influx.drop();
      const redis = new Redis(runtime.settings.redisUrl);
      await deleteRedisPrefix(redis, runtime.settings.prefix);
      await redis.quit();
    },
  };
}

/**
 * Starts every component of `createSystem` (no simulated network) with this config, then a
 * socket.io client with the admin token, resolving once it has its snapshots.
 */
export async function startBenchSystem(config: Config): Promise<BenchSystem> {
  const database: TestDatabase = await createTestDatabase();
  const trapPort = await freeUdpPort();
  const httpPort = await freeTcpPort();
  const { runtime, drop } = await createBenchRuntime(config, {
    databaseUrl: database.url,
    trapPort,
    httpPort,
    adminToken: ADMIN_TOKEN,
  });
  const stopSystem = await startAll(
    createSystem(runtime, { simulate: false, faultIntervalMs: 0 }),
    runtime.logger,
  );
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();

  const pushes: LivePushes = { alarms: [], incidents: [], messages: 0 };
  const system: BenchSystem = {
    runtime,
    trapPort,
    pushes,
    async query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    async collectorCounter(name) {
      const response = await fetch(`http://127.0.0.1:${String(httpPort)}/metrics`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const text = await response.text();
      const line = new RegExp(`^faultline_collector_${name} (\\S+)$`, 'm').exec(text);
      return Number(line?.[1] ?? Number.NaN);
    },
    async stop() {
      socket.disconnect();
      await db.end();
      await stopSystem();
      await database.drop();
      await drop();
    },
  };
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(
    `http://127.0.0.1:${String(httpPort)}`,
    { auth: { token: ADMIN_TOKEN }, transports: ['websocket'], reconnection: false },
  );
  socket.on('alarms:changed', (changes) => {
    const atMs = performance.now();
    pushes.messages += 1;
    for (const change of changes) {
      pushes.alarms.push({ atMs, change });
      system.onAlarmChange?.(change, atMs);
    }
  });
  socket.on('incidents:changed', (changes) => {
    const atMs = performance.now();
    pushes.messages += 1;
    for (const change of changes) pushes.incidents.push({ atMs, change });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('incidents:snapshot', () => {
      resolve();
    });
    socket.once('connect_error', reject);
  });
  return system;
}
