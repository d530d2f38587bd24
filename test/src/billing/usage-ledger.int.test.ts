import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createBillingRuns,
  createBillingStore,
  createInfluxFeed,
  createInfluxReadings,
  createUsageFollower,
  createUsageLedgerStore,
  createUsageSource,
  type UsageFollowerDeps,
} from '@faultline/billing-bridge';
import { createLogger } from '@faultline/shared';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import {
  billingConfig,
  END_MS,
  insertOutages,
  monthLines,
  START_MS,
  STEP_MS,
  writeLines,
} from './billing-data.js';

/** The scheduled run's time: 01:00 after the period closed. */
const NOW_MS = END_MS + 3_600_000;
const SETTLE_MS = 660_000;
/** The ledger starts two hours before the month. */
const BACKFILL_MS = NOW_MS - (START_MS - 7_200_000);
const WINDOW_MS = 3_600_000;
const SERIES = [
  { device: 'access-1', iface: 'ge-0/0/1' },
  { device: 'access-1', iface: 'ge-0/0/2' },
  { device: 'access-1', iface: 'ge-0/0/3' },
];

/**
 * A third interface polled off the 5-minute grid (97 s past it) with traffic that changes every
 * poll: windows end inside buckets, so the open bucket is carried from one window to the next.
 */
function offGridLines(): string[] {
  const lines: string[] = [];
  let inOctets = 0n;
  for (let timeMs = START_MS - 3_600_000 + 97_000; timeMs < END_MS + 3_600_000; timeMs += STEP_MS) {
    inOctets += BigInt(1_000_000_000 + ((timeMs / 1000) % 7919) * 100_000);
    lines.push(
      `interface,device=access-1,interface=ge-0/0/3 in_octets=${String(inOctets)}i,` +
        `out_octets=${String(inOctets / 3n)}i,in_bps=1,out_bps=1 ${String(timeMs)}`,
    );
  }
  return lines;
}

/**
 * A glitch between two polls of acme-transit, and the poll after it, both quarantined by the
 * collector (the poll's counters went back down from the glitch's at an impossible rate).
 */
const QUARANTINED_LINES = [
  'interface,device=access-1,interface=ge-0/0/1,customer=acme ' +
    `in_octets=99999999999999i,out_octets=5i,quarantined=true ${String(START_MS + 3000 * STEP_MS + 150_000)}`,
  'interface,device=access-1,interface=ge-0/0/1,customer=acme ' +
    `quarantined=true ${String(START_MS + 3001 * STEP_MS)}`,
];

/**
 * A follower in a process of its own (the built package), to be killed: it follows the month
 * window by window until it is.
 */
function followInChild(env: Record<string, string>) {
  const code = `
    import pg from 'pg';
    import { createInfluxFeed, createUsageFollower, createUsageLedgerStore } from '@faultline/billing-bridge';
    import { createLogger } from '@faultline/shared';
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
    const follower = createUsageFollower({
      feed: createInfluxFeed({ influxUrl: process.env.INFLUX_URL, database: process.env.INFLUX_DB, token: undefined }),
      store: createUsageLedgerStore({ pool }),
      series: ${JSON.stringify(SERIES)},
      settleMs: ${String(SETTLE_MS)},
      backfillMs: ${String(BACKFILL_MS)},
      windowMs: ${String(WINDOW_MS)},
      now: () => ${String(NOW_MS)},
      logger: createLogger({ level: 'silent' }),
    });
    await follower.catchUp();
    await pool.end();
  `;
  return spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'ignore',
  });
}

describe('the usage ledger against InfluxDB and PostgreSQL', () => {
  let database: TestDatabase;
  let influx: { name: string; drop(): Promise<void> };
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    influx = await createInfluxDatabase();
    // The month with its wraps (32-bit backup counters), a reboot (a reading without a rate), a
    // 30-minute gap (its polls never written), and a quarantined reading.
    await writeLines(influx.name, [...monthLines(), ...QUARANTINED_LINES, ...offGridLines()]);
    await insertOutages(database.url);
    pool = new pg.Pool({ connectionString: database.url, max: 6 });
  });

  afterAll(async () => {
    await pool.end();
    await influx.drop();
    await database.drop();
  });

  const followedTo = async (): Promise<number> => {
    const { rows } = await pool.query<{ followed_to_ms: string }>(
      'SELECT followed_to_ms FROM billing_usage_follow',
    );
    return Number(rows[0]?.followed_to_ms ?? 0);
  };

  it('stops following between windows when asked (a bridge stopping in a backfill)', async () => {
    const other = await createTestDatabase();
    const otherPool = new pg.Pool({ connectionString: other.url, max: 2 });
    try {
      const stopped = new AbortController();
      stopped.abort();
      const follower = createUsageFollower({
        feed: createInfluxFeed({
          influxUrl: testSettings().influxUrl,
          database: influx.name,
          token: undefined,
        }),
        store: createUsageLedgerStore({ pool: otherPool }),
        series: SERIES,
        settleMs: SETTLE_MS,
        backfillMs: BACKFILL_MS,
        windowMs: WINDOW_MS,
        now: () => NOW_MS,
        logger: createLogger({ level: 'silent' }),
      });
      // Begun (the cursor set where the backfill starts), and not one window read.
      expect(await follower.catchUp(stopped.signal)).toEqual({
        windows: 0,
        readings: 0,
        followedToMs: NOW_MS - BACKFILL_MS,
      });
    } finally {
      await otherPool.end();
      await other.drop();
    }
  });

  it('follows the month through a SIGKILL and two bridges, and bills it as the raw readings do, to the cent', async () => {
    // A follower killed in the middle of the month: whatever window it was applying is not.
    const child = followInChild({
      DATABASE_URL: database.url,
      INFLUX_URL: testSettings().influxUrl,
      INFLUX_DB: influx.name,
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await vi.waitFor(
      async () => {
        expect(await followedTo()).toBeGreaterThan(START_MS + 10 * 86_400_000);
      },
      { timeout: 120_000, interval: 20 },
    );
    child.kill('SIGKILL');
    await exited;
    const killedAt = await followedTo();
    expect(killedAt).toBeLessThan(NOW_MS - SETTLE_MS);

    // Two bridges take over at once: each window is applied by one of them.
    const deps: UsageFollowerDeps = {
      feed: createInfluxFeed({
        influxUrl: testSettings().influxUrl,
        database: influx.name,
        token: undefined,
      }),
      store: createUsageLedgerStore({ pool }),
      series: SERIES,
      settleMs: SETTLE_MS,
      backfillMs: BACKFILL_MS,
      windowMs: WINDOW_MS,
      now: () => NOW_MS,
      logger: createLogger({ level: 'silent' }),
    };
    const [one, two] = await Promise.all([
      createUsageFollower(deps).catchUp(),
      createUsageFollower(deps).catchUp(),
    ]);
    expect(one.followedToMs).toBe(NOW_MS - SETTLE_MS);
    expect(two.followedToMs).toBe(NOW_MS - SETTLE_MS);
    expect(await followedTo()).toBe(NOW_MS - SETTLE_MS);
    // The windows after the kill, each applied once (none empty: polls every 5 minutes).
    expect(one.windows + two.windows).toBe(Math.ceil((NOW_MS - SETTLE_MS - killedAt) / WINDOW_MS));

    // What the ledger kept of the gap, the reboot and the quarantined glitch (the off-grid
    // series began with the ledger: its first reading is a baseline, not a reset).
    const { rows: intervals } = await pool.query<{ interface: string; kind: string }>(
      'SELECT interface, kind FROM billing_usage_intervals ORDER BY interface, end_ms',
    );
    expect(intervals).toEqual([
      { interface: 'ge-0/0/1', kind: 'quarantined' },
      { interface: 'ge-0/0/1', kind: 'quarantined' },
      { interface: 'ge-0/0/2', kind: 'reset' },
      { interface: 'ge-0/0/2', kind: 'long' },
    ]);

    // Each service's usage from the buckets is the raw path's, bucket by bucket.
    const readings = createInfluxReadings({
      influxUrl: testSettings().influxUrl,
      database: influx.name,
      token: undefined,
    });
    const usage = createUsageSource({ readings, ledger: createUsageLedgerStore({ pool }) });
    const april = { startMs: START_MS, endMs: END_MS };
    for (const series of SERIES) {
      const fromBuckets = await usage.read(series, april, false);
      const fromRaw = await usage.read(series, april, true);
      expect(fromBuckets.origin).toBe('buckets');
      expect(fromRaw.origin).toBe('raw');
      expect(fromBuckets.usage).toEqual(fromRaw.usage);
    }

    const config = billingConfig(influx.name, '{ minCoveragePercent: 99.95, liveIntervalS: 0 }');
    const runs = createBillingRuns({
      config,
      readings,
      ledger: createUsageLedgerStore({ pool }),
      store: createBillingStore({ pool, now: () => NOW_MS }),
      now: () => NOW_MS,
      minCoveragePercent: config.billing.minCoveragePercent,
      logger: createLogger({ level: 'silent' }),
    });
    const raw = await runs.run({ customerId: 'acme', period: '2026-04', fromRawReadings: true });
    const buckets = await runs.run({ customerId: 'acme', period: '2026-04' });
    if (raw[0]?.kind !== 'run' || buckets[0]?.kind !== 'run') throw new Error('not billed');
    // The bucket run finds the raw run's bill: every line, amount and evidence the same.
    expect(raw[0].stored.created).toBe(true);
    expect(buckets[0].stored.created).toBe(false);
    expect(buckets[0].stored.run.contentHash).toBe(raw[0].stored.run.contentHash);
    expect(buckets[0].stored.run.totalBilled).toBe(raw[0].stored.run.totalBilled);
    expect(raw[0].stored.lines.length).toBeGreaterThan(0);
  }, 240_000);
});
