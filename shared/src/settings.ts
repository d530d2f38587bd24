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
  readonly redisUrl: string;
  readonly mqttUrl: string;
  readonly influxUrl: string;
  /** Token for InfluxDB 2.x/3.x (`INFLUX_TOKEN`); a secret, never logged. */
  readonly influxToken: string | undefined;
  readonly databaseUrl: string;
  /** Bootstrap token with the admin role (`FAULTLINE_ADMIN_TOKEN`); a secret, never logged. */
  readonly adminToken: string | undefined;
  /** Prefix for Redis keys, BullMQ queues and pub/sub channels; lets tests and tenants share a Redis. */
  readonly prefix: string;
  readonly logLevel: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

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
  const adminToken = env.FAULTLINE_ADMIN_TOKEN;
  if (adminToken !== undefined && adminToken !== '' && adminToken.length < 16) {
    problems.push({ path: 'FAULTLINE_ADMIN_TOKEN', message: 'must be at least 16 characters' });
  }
  const settings: Settings = {
    configPath: text('FAULTLINE_CONFIG', 'config/example.yaml'),
    httpHost: text('FAULTLINE_HTTP_HOST', '127.0.0.1'),
    httpPort: port('FAULTLINE_HTTP_PORT', 8080),
    trapHost: text('FAULTLINE_TRAP_HOST', '127.0.0.1'),
    trapPort: port('FAULTLINE_TRAP_PORT', 1162),
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    mqttUrl: url('MQTT_URL', 'mqtt://127.0.0.1:1883', ['mqtt:', 'mqtts:', 'ws:', 'wss:']),
    influxUrl: url('INFLUX_URL', 'http://127.0.0.1:8086', ['http:', 'https:']),
    influxToken: env.INFLUX_TOKEN === '' ? undefined : env.INFLUX_TOKEN,
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/faultline', [
      'postgres:',
      'postgresql:',
    ]),
    adminToken: adminToken === '' ? undefined : adminToken,
    prefix,
    logLevel,
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: settings };
}
