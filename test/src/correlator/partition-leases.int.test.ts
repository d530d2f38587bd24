// Partition leases of correlators started together (real Redis): they split the partitions at
// their first balance instead of the first taking every one.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createPartitionLeases } from '@faultline/correlator';
import { createLogger } from '@faultline/shared';
import { testSettings, uniqueName } from '../support/services.js';

const PARTITIONS = 8;

describe('partition leases', () => {
  const redis = new Redis(testSettings().redisUrl);

  afterAll(async () => {
    await redis.quit();
  });

  it('correlators started together take half the partitions each', async () => {
    const prefix = uniqueName('leases');
    // Partitions stopped: a handover waits for the batches in hand, so none should be needed.
    const stopped: number[] = [];
    const leases = ['first', 'second'].map((owner) =>
      createPartitionLeases({
        redis,
        prefix,
        partitions: PARTITIONS,
        ttlMs: 5_000,
        owner,
        logger: createLogger({ level: 'silent' }),
        start: () => Promise.resolve(),
        stop: (partition) => {
          stopped.push(partition);
          return Promise.resolve();
        },
      }),
    );
    // As the correlator starts them: each joins, and balances a period later.
    for (const lease of leases) await lease.join();
    for (const lease of leases) await lease.balance();
    const owned = leases.map((lease) => lease.owned());
    expect(owned.map((partitions) => partitions.length)).toEqual([4, 4]);
    expect(new Set(owned.flat()).size).toBe(PARTITIONS);
    expect(stopped).toEqual([]);
    for (const lease of leases) await lease.release();
  });
});
