import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, readSettings, type Settings } from '@faultline/shared';

/** A name unique to this test run, safe for Redis prefixes, queue names, databases and topics. */
export function uniqueName(label: string): string {
  return `${label}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/**
 * How long an integration test waits for what it asserts to come true (`vi.waitFor`,
 * `expect.poll`). The thing waited on crosses processes (Redis, Mosquitto, PostgreSQL, snmptrap,
 * a browser), and on a busy 2-core machine each of them may go without the CPU for seconds;
 * vitest's default of 1 s is a bet on an idle machine. The bound only says when to give up: a
 * wait that succeeds returns at the first poll that sees the value.
 */
export const EVENTUALLY = { timeout: 20_000, interval: 50 } as const;

/** Settings for a test: the machine's service URLs, a unique Redis/BullMQ prefix, the given overrides. */
export function testSettings(overrides: Partial<Settings> = {}): Settings {
  const checked = readSettings(process.env);
  if (!checked.ok) throw new Error(`invalid test environment: ${JSON.stringify(checked.problems)}`);
  return { ...checked.value, prefix: uniqueName('t'), logLevel: 'silent', ...overrides };
}

/** A fresh PostgreSQL database with every migration applied; `drop` removes it. */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates an isolated, migrated database on the test PostgreSQL server (or the one of `base`). */
export async function createTestDatabase(
  base: string = testSettings().databaseUrl,
): Promise<TestDatabase> {
  const name = uniqueName('ft').toLowerCase();
  const admin = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(base, name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(client);
  } finally {
    await client.end();
  }
  return {
    url,
    async drop() {
      const dropper = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
      await dropper.connect();
      try {
        // Sessions that were just ended may take a moment to leave the server. Terminating them
        // (WITH FORCE) while their client is still closing makes that client emit an error
        // nobody listens to any more, so wait for them first and force only as a last resort.
        for (let attempt = 0; attempt < 50; attempt++) {
          const { rows } = await dropper.query<{ n: string }>(
            'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1',
            [name],
          );
          if (rows[0]?.n === '0') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** Runs one InfluxQL statement against the test InfluxDB (or the one at `influxUrl`). */
export async function influxQuery(
  q: string,
  database?: string,
  influxUrl: string = testSettings().influxUrl,
): Promise<unknown> {
  const url = new URL('/query', influxUrl);
  url.searchParams.set('q', q);
  if (database !== undefined) url.searchParams.set('db', database);
  const response = await fetch(url, { method: 'POST' });
  if (!response.ok) throw new Error(`InfluxDB answered ${String(response.status)} to ${q}`);
  return response.json();
}

/** How many points of one telemetry metric an InfluxDB database holds. */
export async function telemetryPoints(
  database: string,
  metric: string,
  influxUrl?: string,
): Promise<number> {
  const answer = (await influxQuery(
    `SELECT count(value) FROM telemetry WHERE metric = '${metric}'`,
    database,
    influxUrl,
  )) as { results: { series?: { values: [string, number][] }[] }[] };
  return answer.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
}

/** A fresh InfluxDB database; `drop` removes it. */
export async function createInfluxDatabase(): Promise<{ name: string; drop(): Promise<void> }> {
  const name = uniqueName('ft');
  await influxQuery(`CREATE DATABASE "${name}"`);
  return {
    name,
    drop: async () => {
      await influxQuery(`DROP DATABASE "${name}"`);
    },
  };
}
