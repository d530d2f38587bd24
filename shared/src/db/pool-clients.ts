/** Something that emits 'error': a pg client, seen without depending on pg here. */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The one event of a pg `Pool` that `guardPoolClients` uses. */
export interface ClientPool {
  on(event: 'connect', listener: (client: ErrorEmitter) => void): unknown;
}

/**
 * Keeps a PostgreSQL restart from crashing the process. pg-pool listens for 'error' only on idle
 * clients (and re-emits it on the pool); a client checked out of the pool has no listener while
 * it is out, so when its server goes away its 'error' event would be an uncaught exception. Each
 * new client gets a listener of its own that ignores the event: the query in progress, or the
 * next one on that client, fails with the same error, and its caller (a job) retries.
 */
export function guardPoolClients(pool: ClientPool): void {
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
}
