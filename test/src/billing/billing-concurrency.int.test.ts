import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInfluxDatabase,
  createTestDatabase,
  type TestDatabase,
} from '../support/services.js';
import {
  billingConfig,
  insertOutages,
  monthLines,
  testBillingRuns,
  writeLines,
} from './billing-data.js';

describe('billing runs from two bridges at once', () => {
  let database: TestDatabase;
  let influx: { name: string; drop(): Promise<void> };
  const pools: pg.Pool[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    influx = await createInfluxDatabase();
    await writeLines(influx.name, monthLines());
    await insertOutages(database.url);
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await influx.drop();
    await database.drop();
  });

  /** One bridge's use-case, on its own pool (as a second process would have). */
  function bridgeRuns() {
    const pool = new pg.Pool({ connectionString: database.url });
    pools.push(pool);
    return testBillingRuns(billingConfig(influx.name, '{ minCoveragePercent: 99.95 }'), pool);
  }

  it('writes one run: the second bridge finds the bill unchanged', async () => {
    const request = { period: '2026-04', customerId: 'acme' };
    const [first, second] = await Promise.all([
      bridgeRuns().run(request),
      bridgeRuns().run(request),
    ]);
    const outcomes = [first[0], second[0]].map((outcome) =>
      outcome?.kind === 'run' ? [outcome.stored.run.id, outcome.stored.created] : outcome,
    );
    expect(outcomes).toEqual(
      expect.arrayContaining([
        ['acme/2026-04/v1', true],
        ['acme/2026-04/v1', false],
      ]),
    );
    const reader = new pg.Client({ connectionString: database.url });
    await reader.connect();
    const { rows } = await reader.query('SELECT id FROM billing_runs');
    await reader.end();
    expect(rows).toEqual([{ id: 'acme/2026-04/v1' }]);
  });
});
