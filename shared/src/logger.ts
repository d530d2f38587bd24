import { pino, type DestinationStream, type Logger } from 'pino';

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

/**
 * Creates the process logger (JSON lines on stdout, or on `destination`: tests read what was
 * logged there); components take `logger.child({ component })`.
 */
export function createLogger(options: {
  level: string;
  name?: string;
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'faultline',
      redact: { paths: REDACT, censor: '[secret]' },
    },
    options.destination,
  );
}
