import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { LogFormatSetting } from './settings.js';

export type { Logger } from 'pino';

/** Keys whose values are secrets. */
const SECRET_KEYS = [
  'community',
  'authKey',
  'privKey',
  'token',
  'adminToken',
  'viewerToken',
  'influxToken',
  'password',
];

/**
 * Paths whose values are secrets: replaced in every log line, whatever logs them, at the top of
 * a line's fields (`{ token }`) or one level down (`{ snmp: { community } }`).
 */
const REDACT = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  'headers.authorization',
  'req.headers.authorization',
];

/**
 * A service URL fit for a log line or an error message: its user name and password (as in
 * `mqtt://collector:pass@broker:1883`) are replaced, the rest is kept to say which server it was.
 * Text that is not a URL is returned as it is.
 */
export function withoutCredentials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username === '' && parsed.password === '') return url;
  return `${parsed.protocol}//[secret]@${parsed.host}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/** How log lines are written: one JSON object a line, or one readable line for a person. */
export type LogFormat = 'json' | 'pretty';

/**
 * The format a process logs in: readable lines on a terminal, JSON lines when its output goes to a
 * file, a pipe or a log collector, unless `LOG_FORMAT` asks for one of them.
 */
export function chooseLogFormat(setting: LogFormatSetting, isTerminal: boolean): LogFormat {
  if (setting !== 'auto') return setting;
  return isTerminal ? 'pretty' : 'json';
}

/**
 * Readable lines for a person at a terminal: time, level, `component/part: message`, then the
 * other fields on the same line. Written synchronously, like pino's own stdout, so nothing is
 * lost when the process exits.
 */
function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  return PinoPretty({
    destination: destination ?? 1,
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,name,component,part',
    messageFormat: (log, messageKey) => {
      const where = [log.component, log.part].filter((name) => typeof name === 'string').join('/');
      const message = String(log[messageKey]);
      return where === '' ? message : `${where}: ${message}`;
    },
  });
}

/**
 * Creates the process logger (on stdout, or on `destination`: tests read what was logged there),
 * as JSON lines unless `format` is `pretty`; components take `logger.child({ component })`.
 * Secrets are redacted before either format writes a line.
 */
export function createLogger(options: {
  level: string;
  name?: string;
  destination?: DestinationStream;
  format?: LogFormat;
}): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'faultline',
      redact: { paths: REDACT, censor: '[secret]' },
    },
    options.format === 'pretty' ? prettyStream(options.destination) : options.destination,
  );
}
