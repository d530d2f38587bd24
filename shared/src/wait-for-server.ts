import type { Logger } from 'pino';

/**
 * Error codes that mean "the server is not there (yet)", not "the request is wrong": the socket
 * was refused, reset or timed out, the name did not resolve, or PostgreSQL is starting up
 * (57P03), shutting down (57P01) or dropped the connection (08xxx).
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P03',
  '08000',
  '08001',
  '08006',
]);

/**
 * True when an error, or one it was caused by (`cause`, or any of an `AggregateError`'s errors,
 * which Node gives when every address of a host refused), says the server could not be reached.
 */
export function isUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  if (error instanceof AggregateError && error.errors.some(isUnreachable)) return true;
  if (error instanceof Error) {
    // pg reports a server that closes the socket during the handshake with this message only;
    // ioredis gives up a command after its reconnection attempts with this error.
    if (error.message === 'Connection terminated unexpectedly') return true;
    if (error.name === 'MaxRetriesPerRequestError') return true;
  }
  return isUnreachable(cause);
}

/** The wait before attempt `n + 1` (n ≥ 1): doubling from 250 ms up to `maxDelayMs`. */
export function retryDelayMs(attempt: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, 250 * 2 ** Math.min(attempt - 1, 10));
}

/** What `waitForServer` needs. */
export interface WaitForServerOptions<T> {
  /** The server, for the log: `PostgreSQL`. */
  readonly server: string;
  /** The first thing a component does with the server at start (connect, migrate). */
  readonly attempt: () => Promise<T>;
  readonly logger: Logger;
  /** The longest wait between attempts (default 5 s). */
  readonly maxDelayMs?: number;
}

/**
 * Runs `attempt` until the server answers: a component started before its server waits for it
 * (logging once, then at each tenth attempt) instead of failing its start, so a process started
 * first never crashes in a loop under its supervisor. Any other error fails at once.
 */
export async function waitForServer<T>(options: WaitForServerOptions<T>): Promise<T> {
  const maxDelayMs = options.maxDelayMs ?? 5000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await options.attempt();
      if (attempt > 1) options.logger.info({ server: options.server, attempt }, 'server reached');
      return result;
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      if (attempt % 10 === 1) {
        options.logger.warn(
          { err: error, server: options.server, attempt },
          'server not reachable yet; waiting for it',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, maxDelayMs)));
    }
  }
}
