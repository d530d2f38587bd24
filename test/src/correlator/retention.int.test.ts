import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLIED_BATCH_RETENTION_MS, pruneAppliedBatches } from '@faultline/correlator';
import { createTestDatabase, type TestDatabase } from '../support/services.js';

const DAY_MS = 86_400_000;

describe('applied batch retention', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeEach(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });

  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  const remembered = async (): Promise<string[]> => {
    const { rows } = await pool.query<{ batch_id: string }>(
      'SELECT batch_id FROM applied_batches ORDER BY batch_id',
    );
    return rows.map((row) => row.batch_id);
  };

  it('forgets batch ids older than the horizon, in chunks, and keeps the rest', async () => {
    const now = Date.now();
    // More old ids than one delete takes, so the chunked loop has to go round.
    await pool.query(
      `INSERT INTO applied_batches (batch_id, applied_at)
       SELECT 'old-' || n, $1 FROM generate_series(1, 25000) AS n`,
      [new Date(now - APPLIED_BATCH_RETENTION_MS - DAY_MS).toISOString()],
    );
    await pool.query(
      `INSERT INTO applied_batches (batch_id, applied_at) VALUES
       ('recent-1', $1), ('recent-2', $2), ('recent-3', now())`,
      [
        new Date(now - APPLIED_BATCH_RETENTION_MS + DAY_MS).toISOString(),
        new Date(now - DAY_MS).toISOString(),
      ],
    );

    expect(await pruneAppliedBatches(pool, now - APPLIED_BATCH_RETENTION_MS)).toBe(25_000);
    expect(await remembered()).toEqual(['recent-1', 'recent-2', 'recent-3']);
    expect(await pruneAppliedBatches(pool, now - APPLIED_BATCH_RETENTION_MS)).toBe(0);
  });

  it('keeps ids for longer than completed event jobs are kept (7 days)', () => {
    expect(APPLIED_BATCH_RETENTION_MS).toBeGreaterThan(7 * DAY_MS);
  });
});
