import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { periodContaining } from '@faultline/billing-bridge';
import { createLogger, type Config } from '@faultline/shared';
import { createDemoHistory } from '@faultline/system';
import {
  createInfluxDatabase,
  createTestDatabase,
  influxQuery,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { isolatedExampleConfig } from './example-network.js';

interface InfluxAnswer {
  results: { series?: { values: [string, number][] }[] }[];
}

/** The first usage sample of one customer, in ms. */
async function firstSampleMs(database: string, customer: string): Promise<number> {
  const answer = (await influxQuery(
    `SELECT first(in_octets) FROM interface WHERE customer = '${customer}'`,
    database,
  )) as InfluxAnswer;
  const time = answer.results[0]?.series?.[0]?.values[0]?.[0];
  if (time === undefined) throw new Error(`no usage for ${customer}`);
  return Date.parse(time);
}

describe('demo history', () => {
  let config: Config;
  let influx: { name: string; drop(): Promise<void> };
  let database: TestDatabase;

  beforeEach(async () => {
    const example = await isolatedExampleConfig();
    influx = await createInfluxDatabase();
    database = await createTestDatabase();
    config = { ...example, influx: { ...example.influx, database: influx.name } };
  });

  afterEach(async () => {
    await influx.drop();
    await database.drop();
  });

  it("covers every customer's last closed period with usage, and is skipped once history exists", async () => {
    const runtime = {
      settings: testSettings({ databaseUrl: database.url }),
      config,
      logger: createLogger({ level: 'silent' }),
    };
    // The history and this test read one instant: a period ending between two readings of the
    // wall clock would otherwise move the last closed period under the assertion.
    const now = Date.now();
    const clock = () => now;
    const noFirstRuns = () => Promise.resolve();
    await createDemoHistory(runtime, noFirstRuns, clock).start();
    for (const customer of config.customers) {
      const current = periodContaining(now, customer.billingAnchorDay, customer.timeZone);
      const lastClosed = periodContaining(
        current.startMs - 1,
        customer.billingAnchorDay,
        customer.timeZone,
      );
      expect(await firstSampleMs(influx.name, customer.id)).toBeLessThanOrEqual(lastClosed.startMs);
    }
    const first = await firstSampleMs(influx.name, config.customers[0]?.id ?? '');
    await createDemoHistory(runtime, noFirstRuns, clock).start();
    expect(await firstSampleMs(influx.name, config.customers[0]?.id ?? '')).toBe(first);
  });
});
