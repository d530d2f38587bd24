import pg from 'pg';
import { guardPoolClients, migrate, type Logger } from '@faultline/shared';

/** Options of the correlator's PostgreSQL pool. */
export interface PostgresDeps {
  readonly databaseUrl: string;
  /** Enough for every part of the correlator that holds a connection at once. */
  readonly maxConnections: number;
  readonly logger: Logger;
}

/**
 * Creates the pool. An idle client that loses its server emits 'error' on the pool; without a
 * listener that would crash the process, so it is logged and the pool replaces the client. A
 * client checked out while its server goes away is guarded too (`guardPoolClients`).
 */
export function createPostgresPool(deps: PostgresDeps): pg.Pool {
  const pool = new pg.Pool({ connectionString: deps.databaseUrl, max: deps.maxConnections });
  pool.on('error', (error) => {
    deps.logger.error({ err: error }, 'idle PostgreSQL connection failed');
  });
  guardPoolClients(pool);
  return pool;
}

/** Applies pending migrations on one connection (their advisory lock is per session). */
export async function migrateWithPool(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    return await migrate(client);
  } catch (error) {
    failure = new Error('database migration failed', { cause: error });
    throw failure;
  } finally {
    client.release(failure);
  }
}
