/**
 * The acceptance month: April 2026 (UTC, 720 h, 8,640 buckets) of 5-minute polls for two
 * services of customer `acme`, and their outages. Every number in the expected CSVs follows
 * from the constants here (see the comments in the fixtures test).
 */
import pg from 'pg';
import { createLogger, parseConfig, type Config } from '@faultline/shared';
import {
  createBillingRuns,
  createBillingStore,
  createInfluxReadings,
  type BillingRuns,
} from '@faultline/billing-bridge';
import { testSettings } from '../support/services.js';

export const START_MS = Date.UTC(2026, 3, 1);
export const END_MS = Date.UTC(2026, 4, 1);
export const STEP_MS = 300_000;
/** Polls k = 0..8640 at START + k × 5 min: poll k closes bucket k − 1. */
export const POLLS = (END_MS - START_MS) / STEP_MS;

/** acme-transit (64-bit counters): 900 Mbps in buckets 1000..1431, 245.3 Mbps in 5000, else 100. */
export function transitInOctets(bucket: number): bigint {
  if (bucket >= 1000 && bucket < 1432) return 33_750_000_000n;
  if (bucket === 5000) return 9_198_750_000n;
  return 3_750_000_000n;
}
/** 50 Mbps out. */
export const TRANSIT_OUT_OCTETS = 1_875_000_000n;

/** acme-backup (32-bit counters): 10 Mbps in, 5 Mbps out; they wrap about hourly. */
export const BACKUP_IN_OCTETS = 375_000_000n;
export const BACKUP_OUT_OCTETS = 187_500_000n;
/** The agent reboots before poll 1000: its counters start again from these. */
export const REBOOT_POLL = 1000;
/** Polls 2001..2005 are missing (a 30-minute gap) until they arrive late. */
export const GAP_POLLS = [2001, 2002, 2003, 2004, 2005];

const MOD32 = 1n << 32n;

function line(iface: string, k: number, inOctets: bigint, outOctets: bigint, rate: boolean) {
  const rates = rate ? `,in_bps=1,out_bps=1` : '';
  return (
    `interface,device=access-1,interface=${iface},customer=acme ` +
    `in_octets=${inOctets.toString()}i,out_octets=${outOctets.toString()}i${rates} ` +
    String(START_MS + k * STEP_MS)
  );
}

/** Line protocol of the month; `late` gives only the polls of the gap. */
export function monthLines(late = false): string[] {
  const lines: string[] = [];
  let transitIn = 0n;
  let transitOut = 0n;
  for (let k = 0; k <= POLLS; k++) {
    if (k > 0) {
      transitIn += transitInOctets(k - 1);
      transitOut += TRANSIT_OUT_OCTETS;
    }
    if (!late) lines.push(line('ge-0/0/1', k, transitIn, transitOut, k > 0));
    // The backup counters: from 4.0e9 / 4.2e9 before the reboot, from 123456 / 654321 after.
    const sinceReboot = k >= REBOOT_POLL;
    const base = sinceReboot
      ? { in: 123_456n, out: 654_321n }
      : { in: 4_000_000_000n, out: 4_200_000_000n };
    const steps = BigInt(sinceReboot ? k - REBOOT_POLL : k);
    const backupIn = (base.in + steps * BACKUP_IN_OCTETS) % MOD32;
    const backupOut = (base.out + steps * BACKUP_OUT_OCTETS) % MOD32;
    const inGap = GAP_POLLS.includes(k);
    if (inGap !== late) continue;
    // The collector writes no rate for the first poll and the one after the reboot.
    lines.push(line('ge-0/0/2', k, backupIn, backupOut, k > 0 && k !== REBOOT_POLL));
  }
  return lines;
}

/** Writes line protocol to the test InfluxDB (millisecond precision). */
export async function writeLines(database: string, lines: readonly string[]): Promise<void> {
  const url = new URL('/write', testSettings().influxUrl);
  url.searchParams.set('db', database);
  url.searchParams.set('precision', 'ms');
  const response = await fetch(url, { method: 'POST', body: lines.join('\n') });
  if (!response.ok)
    throw new Error(`InfluxDB write answered ${String(response.status)}: ${await response.text()}`);
}

/** The outages of the month, with the rows they need (alarm, incidents). */
export async function insertOutages(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`
      INSERT INTO alarms (id, reduction_key, device, device_known, type, source, severity, state,
        count, first_seen, last_seen, description, last_event_id, details)
      VALUES ('00000000-0000-4000-8000-000000000001', 'linkDown:access-1', 'access-1', true,
        'linkDown', 'trap', 'critical', 'cleared', 1, now(), now(), 'link down', 'e1', '{}')`);
    const outages: [string, string, string, boolean][] = [
      // Two overlapping outages merge into one hour.
      ['T-1', '2026-04-10T10:00:00Z', '2026-04-10T10:40:00Z', false],
      ['T-2', '2026-04-10T10:30:00Z', '2026-04-10T11:00:00Z', false],
      // Two hours in a maintenance window: excluded.
      ['M-1', '2026-04-20T02:00:00Z', '2026-04-20T04:00:00Z', true],
      // Runs over the period end: 10 minutes count in April.
      ['T-3', '2026-04-30T23:50:00Z', '2026-05-01T00:20:00Z', false],
    ];
    for (const [ticket, start, end, maintenance] of outages) {
      await client.query(
        `INSERT INTO incidents (id, state, title, severity, primary_alarm_id, root_alarm_ids,
           alarm_ids, cut_off_devices, impacted_services, ticket_id, opened_at, updated_at, version)
         VALUES ($1, 'resolved', $1, 'critical', '00000000-0000-4000-8000-000000000001',
           ARRAY['00000000-0000-4000-8000-000000000001']::uuid[],
           ARRAY['00000000-0000-4000-8000-000000000001']::uuid[], '{}', '[]', $2, $3, $4, 1)`,
        [`inc-${ticket}`, ticket, start, end],
      );
      await client.query(
        `INSERT INTO outages (customer_id, service_id, incident_id, ticket_id, root_alarm_id,
           root_cause, started_at, ended_at, in_maintenance)
         VALUES ('acme', 'acme-transit', $1, $2, '00000000-0000-4000-8000-000000000001',
           'linkDown access-1', $3, $4, $5)`,
        [`inc-${ticket}`, ticket, start, end, maintenance],
      );
    }
  } finally {
    await client.end();
  }
}

/**
 * The config of the test: customer acme (EUR, UTC, anchor day 1) with both services.
 * @param transitPlan the plan keys of acme-transit (YAML flow), by default burst-95-1g throughout.
 */
export function billingConfig(
  influxDatabase: string,
  billing: string,
  transitPlan = 'plan: burst-95-1g',
): Config {
  const checked = parseConfig(`
influx: { database: ${influxDatabase} }
billing: ${billing}
devices:
  - name: access-1
    address: 127.0.0.1
    kind: access
    snmp: { version: 2c, community: public }
    interfaces:
      - { ifIndex: 1, name: ge-0/0/1, speedMbps: 1000 }
      - { ifIndex: 2, name: ge-0/0/2, speedMbps: 1000 }
pricePlans:
  - { id: burst-95-1g, type: percentile95, monthlyCharge: '900.00', commitMbps: 200, overagePerMbps: '4.50', direction: max }
  - { id: flat-100m, type: flat, monthlyCharge: '150.00' }
  - { id: volume-4tb, type: volume, monthlyCharge: '100.00', includedGB: 4000, perExtraGB: '0.50' }
slas:
  - id: gold
    tiers:
      - { belowPercent: 99.95, creditPercent: 10 }
      - { belowPercent: 99.9, creditPercent: 25 }
      - { belowPercent: 99.5, creditPercent: 50 }
    creditCapPercent: 50
customers:
  - id: acme
    name: ACME Logistics
    currency: EUR
    timeZone: UTC
    services:
      - { id: acme-transit, device: access-1, interface: ge-0/0/1, ${transitPlan}, sla: gold }
      - { id: acme-backup, device: access-1, interface: ge-0/0/2, plan: volume-4tb }
`);
  if (!checked.ok) throw new Error(`invalid test config: ${JSON.stringify(checked.problems)}`);
  return checked.value;
}

/** The billing-runs use-case as a bridge on `pool` runs it, its clock on 2 May 2026. */
export function testBillingRuns(config: Config, pool: pg.Pool): BillingRuns {
  const now = () => Date.UTC(2026, 4, 2);
  return createBillingRuns({
    config,
    readings: createInfluxReadings({
      influxUrl: testSettings().influxUrl,
      database: config.influx.database,
      token: undefined,
    }),
    store: createBillingStore({ pool, now }),
    now,
    minCoveragePercent: config.billing.minCoveragePercent,
    logger: createLogger({ level: 'silent' }),
  });
}
