import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values are secrets: replaced in every log line, whatever logs them. */
const REDACT = [
  '*.community',
  '*.authKey',
  '*.privKey',
  '*.token',
  '*.adminToken',
  '*.influxToken',
  '*.password',
  'headers.authorization',
  'req.headers.authorization',
];

/** Creates the process logger (JSON lines on stdout); components take `logger.child({ component })`. */
export function createLogger(options: { level: string; name?: string }): Logger {
  return pino({
    level: options.level,
    name: options.name ?? 'faultline',
    redact: { paths: REDACT, censor: '[secret]' },
  });
}
