import type { Problem, Checked } from './validate.js';

/**
 * What differs per machine, read from the environment: ports, service URLs, the bootstrap admin
 * token. The network and the business live in the YAML config instead.
 */
export interface Settings {
  /** Path of the YAML configuration (`FAULTLINE_CONFIG`). */
  readonly configPath: string;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly trapHost: string;
  readonly trapPort: number;
  /**
   * Redis (`REDIS_URL`): the server itself, or, with `redisSentinels`, only the credentials, the
   * database number and TLS of the primary the sentinels name.
   */
  readonly redisUrl: string;
  /** Sentinels to ask for the primary (`REDIS_SENTINELS`, `host:port,…`); none: `redisUrl` direct. */
  readonly redisSentinels: readonly RedisNode[];
  /** The primary's name among the sentinels (`REDIS_SENTINEL_MASTER`, default `faultline`). */
  readonly redisSentinelMaster: string;
  /** Password of the sentinels themselves (`REDIS_SENTINEL_PASSWORD`); a secret, never logged. */
  readonly redisSentinelPassword: string | undefined;
  /**
   * Replicas a queued event batch must reach before the collector counts it as queued
   * (`REDIS_WAIT_REPLICAS`, default 0): with 1 or more, a batch survives a failover to a replica.
   */
  readonly redisWaitReplicas: number;
  /** Where a standalone part serves its /metrics (`FAULTLINE_METRICS_HOST`). */
  readonly metricsHost: string;
  /** Its port (`FAULTLINE_METRICS_PORT`); unset, each part has its own default. */
  readonly metricsPort: number | undefined;
  readonly mqttUrl: string;
  readonly influxUrl: string;
  /** Token for InfluxDB 2.x/3.x (`INFLUX_TOKEN`); a secret, never logged. */
  readonly influxToken: string | undefined;
  readonly databaseUrl: string;
  /** Bootstrap token with the admin role (`FAULTLINE_ADMIN_TOKEN`); a secret, never logged. */
  readonly adminToken: string | undefined;
  /**
   * Bootstrap token with the viewer role for wall displays (`FAULTLINE_VIEWER_TOKEN`); `npm start`
   * makes one per checkout. A secret, never logged.
   */
  readonly viewerToken: string | undefined;
  /** Prefix for Redis keys, BullMQ queues and pub/sub channels; lets tests and tenants share a Redis. */
  readonly prefix: string;
  readonly logLevel: string;
  /** `LOG_FORMAT`: `pretty` lines for people, `json` lines for machines, `auto` picks by the terminal. */
  readonly logFormat: LogFormatSetting;
}

/** A Redis sentinel's address. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** How log lines are written; `auto` is `pretty` on a terminal and `json` otherwise. */
export type LogFormatSetting = 'auto' | 'json' | 'pretty';

const LOG_FORMATS: readonly LogFormatSetting[] = ['auto', 'json', 'pretty'];

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The config file an environment names (`FAULTLINE_CONFIG`): known even when other variables are
 * malformed, so the file's problems can be reported with theirs.
 */
export function configPathOf(env: Env): string {
  const path = env.FAULTLINE_CONFIG;
  return path === undefined || path === '' ? 'config/example.yaml' : path;
}

/** Reads settings from an environment, reporting every malformed variable at once. */
export function readSettings(env: Env): Checked<Settings> {
  const problems: Problem[] = [];
  const text = (name: string, fallback: string): string => {
    const value = env[name];
    return value === undefined || value === '' ? fallback : value;
  };
  const port = (name: string, fallback: number): number => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
      problems.push({
        path: name,
        message: `must be a port number from 1 to 65535, got "${value}"`,
      });
      return fallback;
    }
    return parsed;
  };
  const url = (name: string, fallback: string, protocols: readonly string[]): string => {
    const value = text(name, fallback);
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        problems.push({
          path: name,
          message: `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`,
        });
      }
    } catch {
      problems.push({ path: name, message: 'is not a valid URL' });
    }
    return value;
  };
  const prefix = text('FAULTLINE_PREFIX', 'faultline');
  if (!/^[A-Za-z0-9_-]{1,50}$/.test(prefix)) {
    problems.push({ path: 'FAULTLINE_PREFIX', message: 'must be 1 to 50 letters, digits, - or _' });
  }
  const logLevel = text('LOG_LEVEL', 'info');
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push({ path: 'LOG_LEVEL', message: `must be one of ${LOG_LEVELS.join(', ')}` });
  }
  const logFormat = text('LOG_FORMAT', 'auto');
  if (!(LOG_FORMATS as readonly string[]).includes(logFormat)) {
    problems.push({ path: 'LOG_FORMAT', message: `must be one of ${LOG_FORMATS.join(', ')}` });
  }
  const sentinels = (name: string): RedisNode[] => {
    const value = env[name];
    if (value === undefined || value === '') return [];
    return value.split(',').flatMap((entry) => {
      // `host:port`, or `[v6 address]:port`.
      const match = /^\[?([^\]]+?)\]?:([0-9]{1,5})$/.exec(entry.trim());
      const portNumber = Number(match?.[2]);
      if (match?.[1] === undefined || portNumber < 1 || portNumber > 65535) {
        problems.push({ path: name, message: `"${entry}" is not host:port` });
        return [];
      }
      return [{ host: match[1], port: portNumber }];
    });
  };
  const count = (name: string, max: number): number => {
    const value = env[name];
    if (value === undefined || value === '') return 0;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > max) {
      problems.push({ path: name, message: `must be a whole number from 0 to ${String(max)}` });
      return 0;
    }
    return parsed;
  };
  const token = (name: string): string | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    if (value.length < 16) problems.push({ path: name, message: 'must be at least 16 characters' });
    return value;
  };
  const settings: Settings = {
    configPath: configPathOf(env),
    httpHost: text('FAULTLINE_HTTP_HOST', '127.0.0.1'),
    httpPort: port('FAULTLINE_HTTP_PORT', 8080),
    trapHost: text('FAULTLINE_TRAP_HOST', '127.0.0.1'),
    trapPort: port('FAULTLINE_TRAP_PORT', 1162),
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisSentinels: sentinels('REDIS_SENTINELS'),
    redisSentinelMaster: text('REDIS_SENTINEL_MASTER', 'faultline'),
    redisSentinelPassword:
      env.REDIS_SENTINEL_PASSWORD === '' ? undefined : env.REDIS_SENTINEL_PASSWORD,
    redisWaitReplicas: count('REDIS_WAIT_REPLICAS', 16),
    metricsHost: text('FAULTLINE_METRICS_HOST', '127.0.0.1'),
    metricsPort:
      (env.FAULTLINE_METRICS_PORT ?? '') === '' ? undefined : port('FAULTLINE_METRICS_PORT', 0),
    mqttUrl: url('MQTT_URL', 'mqtt://127.0.0.1:1883', ['mqtt:', 'mqtts:', 'ws:', 'wss:']),
    influxUrl: url('INFLUX_URL', 'http://127.0.0.1:8086', ['http:', 'https:']),
    influxToken: env.INFLUX_TOKEN === '' ? undefined : env.INFLUX_TOKEN,
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/faultline', [
      'postgres:',
      'postgresql:',
    ]),
    adminToken: token('FAULTLINE_ADMIN_TOKEN'),
    viewerToken: token('FAULTLINE_VIEWER_TOKEN'),
    prefix,
    logLevel,
    logFormat: logFormat as LogFormatSetting,
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: settings };
}
