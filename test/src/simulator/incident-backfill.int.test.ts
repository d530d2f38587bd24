import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBillingRuns,
  createBillingStore,
  createInfluxReadings,
  periodContaining,
  type Reconciliation,
  type RunOutcome,
} from '@faultline/billing-bridge';
import { createLogger, type Config } from '@faultline/shared';
import { backfillIncidents, backfillUsage } from '@faultline/simulator';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { isolatedExampleConfig } from './example-network.js';

const DAY_MS = 86_400_000;
/** Wednesday 10:00 UTC: the last closed periods are October (and 15 Oct – 15 Nov for Initech). */
const END_MS = Date.UTC(2026, 10, 25, 10);

describe('past incidents backfill', () => {
  const settings = testSettings();
  let config: Config;
  let database: TestDatabase;
  let pool: pg.Pool;

  const periodStartOf = (customerId: string): number => {
    const customer = config.customers.find((c) => c.id === customerId);
    if (customer === undefined) throw new Error(`no customer ${customerId}`);
    return periodContaining(END_MS, customer.billingAnchorDay, customer.timeZone).startMs;
  };

  beforeEach(async () => {
    config = await isolatedExampleConfig();
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });

  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  const count = async (table: string): Promise<number> => {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]?.n);
  };

  it('writes the correlator records of a fibre cut, a power loss, maintenance and a flap, once', async () => {
    const options = { config, databaseUrl: database.url, endMs: END_MS, periodStartOf };
    const first = await backfillIncidents(options);
    expect(first).toEqual({ skipped: false, incidents: 4, outages: 5 });

    const incidents = await pool.query<{
      title: string;
      state: string;
      cut_off_devices: string[];
      impacted_services: { customerId: string; serviceId: string }[];
      in_maintenance: boolean;
      ticket: string | null;
      alarms: number;
    }>(`
      SELECT i.title, i.state, i.cut_off_devices, i.impacted_services, i.in_maintenance,
        t.id AS ticket, cardinality(i.alarm_ids) AS alarms
      FROM incidents i LEFT JOIN tickets t ON t.incident_id = i.id ORDER BY i.opened_at`);
    expect(incidents.rows.map((r) => [r.title, r.cut_off_devices, r.in_maintenance])).toEqual([
      ['agg-1:ge-0/0/2 down: access-2 cut off', ['access-2'], true],
      ['agg-1:ge-0/0/1 down: access-1 cut off', ['access-1'], false],
      [
        'core-1:xe-0/0/2 and core-2:xe-0/0/3 down: access-3, agg-2 cut off',
        ['access-3', 'agg-2'],
        false,
      ],
      ['access-1:ge-0/0/1 down (flapping)', [], false],
    ]);
    expect(new Set(incidents.rows.map((r) => r.state))).toEqual(new Set(['resolved']));
    // Maintenance is recorded but never ticketed; every other incident has its ticket.
    expect(incidents.rows.map((r) => r.ticket === null)).toEqual([true, false, false, false]);
    // Every alarm is cleared, belongs to its incident, and the symptoms name their root.
    const alarms = await pool.query<{ state: string; caused_by: string | null; incident: boolean }>(
      `SELECT a.state, a.caused_by, i.id IS NOT NULL AND a.id = ANY (i.alarm_ids) AS incident
       FROM alarms a LEFT JOIN incidents i ON i.id = a.incident_id`,
    );
    expect(alarms.rows.length).toBe(incidents.rows.reduce((n, r) => n + r.alarms, 0));
    expect(alarms.rows.every((a) => a.state === 'cleared' && a.incident)).toBe(true);
    const symptoms = await pool.query<{ explanation: string }>(
      `SELECT explanation FROM alarms WHERE caused_by IS NOT NULL ORDER BY device`,
    );
    expect(symptoms.rows.map((r) => r.explanation)).toContain(
      'access-3 unreachable: cut off behind agg-2, whose uplinks core-1:xe-0/0/2 and core-2:xe-0/0/3 are down',
    );
    expect(await count('alarm_history')).toBe(2 * alarms.rows.length);
    expect(await count('ticket_events')).toBeGreaterThanOrEqual(9);

    // The same end again writes nothing; with history older than a day, nothing is even tried.
    expect(await backfillIncidents(options)).toEqual({
      skipped: false,
      incidents: 0,
      outages: 0,
    });
    expect(
      await backfillIncidents({
        ...options,
        endMs: END_MS + DAY_MS,
        unlessHistoryBeforeMs: END_MS,
      }),
    ).toEqual({ skipped: true, incidents: 0, outages: 0 });
    expect(await count('incidents')).toBe(4);
    expect(await count('outages')).toBe(5);
  });

  it('gives the first billing run of each last closed period SLA credits with their tickets', async () => {
    const influx = await createInfluxDatabase();
    try {
      await backfillUsage({
        config,
        influxUrl: settings.influxUrl,
        database: influx.name,
        endMs: END_MS,
      });
      await backfillIncidents({ config, databaseUrl: database.url, endMs: END_MS, periodStartOf });
      const runs = createBillingRuns({
        config,
        readings: createInfluxReadings({
          influxUrl: settings.influxUrl,
          database: influx.name,
          token: undefined,
        }),
        store: createBillingStore({ pool, now: () => END_MS }),
        now: () => END_MS,
        minCoveragePercent: 99,
        logger: createLogger({ level: 'silent' }),
      });
      const outcomes = await runs.run({ requestedBy: 'test' });
      const stored = (outcome: RunOutcome) => (outcome.kind === 'run' ? outcome.stored : null);
      const credits = new Map(
        outcomes.flatMap((outcome) => {
          const run = stored(outcome);
          if (run === null) return [];
          const credit = run.lines.filter((line) => line.kind === 'credit');
          return [[outcome.customerId, credit.map((line) => line.amount)]] as const;
        }),
      );
      // Gold 10 % of 900 and 2,400 EUR; silver 15 % of 150 GBP; Globex's outage was maintenance.
      expect(Object.fromEntries(credits)).toEqual({
        acme: ['-90.00'],
        umbrella: ['-240.00'],
        globex: [],
        initech: ['-22.50'],
      });
      // Each credit cites outages whose tickets exist, and maintenance shows as not counted.
      const tickets = new Set(
        (await pool.query<{ id: string }>('SELECT id FROM tickets')).rows.map((r) => r.id),
      );
      const reports = await pool.query<{ customer_id: string; reconciliation: Reconciliation }>(
        'SELECT customer_id, reconciliation FROM billing_runs',
      );
      const outages = reports.rows.flatMap((row) =>
        row.reconciliation.credits.flatMap((credit) =>
          credit.outages.map((outage) => ({ customerId: row.customer_id, ...outage })),
        ),
      );
      expect(outages.map((o) => [o.customerId, o.counted]).sort()).toEqual([
        ['acme', true],
        ['globex', false],
        ['initech', true],
        ['umbrella', true],
      ]);
      for (const outage of outages.filter((o) => o.counted)) {
        expect(tickets.has(outage.ticketId)).toBe(true);
      }
    } finally {
      await influx.drop();
    }
  });
});
