import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { createTestDatabase, testSettings, uniqueName } from '../support/services.js';
import { EXAMPLE_CONFIG, startPart, type PartProcess } from '../reliability/fault-world.js';
import { freeTcpPort, freeUdpPort } from '../support/ports.js';

/** The Prometheus scrape token these tests configure (role `metrics`). */
export const METRICS_TOKEN = 'scrape-token-of-the-scale-tests';
/** The admin and viewer tokens of the parts' environment. */
export const ADMIN_TOKEN = 'admin-token-of-the-scale-tests';
export const VIEWER_TOKEN = 'viewer-token-of-the-scale-tests';

/** A config file of the example network for separate parts, and where it is. */
export interface ScaleConfig {
  readonly path: string;
  /** The topic root telemetry is read from (`<root>/#`). */
  readonly telemetryRoot: string;
  remove(): Promise<void>;
}

/**
 * The example network (or `base`) in a file of its own: a `metrics` token for Prometheus, 127.0.0.1 a trusted
 * proxy (so a test can speak for other client addresses through X-Forwarded-For), telemetry on a
 * topic root of its own, and whatever `change` adds.
 */
export async function scaleConfig(
  change: (config: Record<string, unknown>) => void = () => undefined,
  base?: Record<string, unknown>,
): Promise<ScaleConfig> {
  const config = base ?? (parse(await readFile(EXAMPLE_CONFIG, 'utf8')) as Record<string, unknown>);
  const telemetryRoot = uniqueName('scale');
  const sha256 = createHash('sha256').update(METRICS_TOKEN).digest('hex');
  config.api = {
    ...(config.api as object),
    tokens: [{ name: 'prometheus', role: 'metrics', sha256 }],
    trustedProxies: ['127.0.0.1'],
  };
  config.telemetry = {
    ...(config.telemetry as object),
    topics: [`${telemetryRoot}/#`],
    sessionExpiryS: 0,
  };
  change(config);
  const dir = await mkdtemp(join(tmpdir(), 'faultline-scale-'));
  const path = join(dir, 'faultline.yaml');
  await writeFile(path, stringify(config));
  return { path, telemetryRoot, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The environment of one part: the given settings, its own free metrics port, tokens. */
export async function partEnv(
  base: NodeJS.ProcessEnv,
): Promise<{ env: NodeJS.ProcessEnv; metricsPort: number }> {
  const metricsPort = await freeTcpPort();
  return {
    metricsPort,
    env: {
      PATH: process.env.PATH,
      FAULTLINE_ADMIN_TOKEN: ADMIN_TOKEN,
      FAULTLINE_VIEWER_TOKEN: VIEWER_TOKEN,
      FAULTLINE_METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      ...base,
    },
  };
}

/** GET /metrics of a port with a token (and a claimed client address), as Prometheus would. */
export async function scrape(
  port: number,
  options: { token?: string; forwardedFor?: string } = { token: METRICS_TOKEN },
): Promise<{ status: number; body: string; contentType: string | null }> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.forwardedFor !== undefined) headers['x-forwarded-for'] = options.forwardedFor;
  // A part that stopped answering fails the read (and the test) instead of hanging it.
  const response = await fetch(`http://127.0.0.1:${String(port)}/metrics`, {
    headers,
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: response.status,
    body: await response.text(),
    contentType: response.headers.get('content-type'),
  };
}

/**
 * The value of one sample in Prometheus text (`name` or `name{labels}` exactly as rendered), or
 * undefined when the text has no such sample.
 */
export function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

/** The metric names a Prometheus text declares (its `# TYPE` lines). */
export function metricNames(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((line) => line.startsWith('# TYPE '))
      .map((line) => line.split(' ')[2] ?? ''),
  );
}

/** The four parts as processes of their own, each with the port its /metrics is on. */
export type RunningParts = Map<string, { process: PartProcess; metricsPort: number }>;

/** The four parts as processes on one config and a database of their own. */
export interface PartsWorld {
  readonly parts: RunningParts;
  /** Where the collector takes traps. */
  readonly trapTarget: string;
  readonly databaseUrl: string;
  /** Stops the parts, then drops the database and the config file. */
  destroy(): Promise<void>;
}

/**
 * Starts the correlator, collector, billing bridge and api as processes on the example network
 * (`scaleConfig`), a fresh database, the machine's MQTT broker and InfluxDB and the given Redis
 * settings (`REDIS_URL`, or sentinels) and whatever `change` does to the config; resolves once
 * each answers its /metrics (the api's on its HTTP port).
 */
export async function startParts(
  redis: NodeJS.ProcessEnv,
  change?: (config: Record<string, unknown>) => void,
): Promise<PartsWorld> {
  const settings = testSettings();
  const database = await createTestDatabase();
  const config = await scaleConfig(change);
  const trapPort = await freeUdpPort();
  const httpPort = await freeTcpPort();
  const shared = {
    FAULTLINE_CONFIG: config.path,
    FAULTLINE_PREFIX: settings.prefix,
    FAULTLINE_HTTP_PORT: String(httpPort),
    FAULTLINE_TRAP_PORT: String(trapPort),
    MQTT_URL: settings.mqttUrl,
    INFLUX_URL: settings.influxUrl,
    DATABASE_URL: database.url,
    ...redis,
  };
  const parts: RunningParts = new Map();
  for (const part of ['correlator', 'collector', 'billing-bridge', 'api']) {
    const { env, metricsPort } = await partEnv(shared);
    parts.set(part, {
      process: await startPart(part, env),
      metricsPort: part === 'api' ? httpPort : metricsPort,
    });
  }
  const destroy = async (): Promise<void> => {
    for (const { process } of parts.values()) await process.stop();
    await database.drop();
    await config.remove();
  };
  try {
    await vi.waitFor(
      async () => {
        for (const { process, metricsPort } of parts.values()) {
          expect(process.running()).toBe(true);
          expect((await scrape(metricsPort)).status).toBe(200);
        }
      },
      { timeout: 60_000, interval: 250 },
    );
  } catch (error) {
    await destroy();
    throw error;
  }
  return { parts, trapTarget: `127.0.0.1:${String(trapPort)}`, databaseUrl: database.url, destroy };
}
