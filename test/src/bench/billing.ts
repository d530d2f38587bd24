// Billing: a month (January 2026, 8,928 five-minute buckets) of samples for 10,000 circuits rated
// through the billing bridge's own use-case (`createBillingRuns`: usage → 95th percentile / volume
// / flat rating → SLA credits → run plan and reconciliation).
// Three figures: the path the bridge takes, 10,000 circuits rated from the usage ledger's 5-minute
// buckets read back from PostgreSQL; the old path's rating from raw readings served from memory
// (the CPU-bound core); and the old path from InfluxDB and into PostgreSQL for 500 circuits, whose
// steady rate gives the time for 10,000 (the bridge bills one customer after the other, its
// reads running two circuits ahead).
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';
import {
  createBillingRuns,
  createBillingStore,
  createInfluxReadings,
  createUsageLedgerStore,
  followReadings,
  seriesKey,
  type BillingStore,
  type InterfaceReading,
  type InterfaceReadings,
  type OutageRecord,
} from '@faultline/billing-bridge';
import { createLogger, type Config } from '@faultline/shared';
import { writeLines } from '../billing/billing-data.js';
import { createInfluxDatabase, createTestDatabase, testSettings } from '../support/services.js';
import { processCpuSeconds, seeded } from './bench-support.js';
import { checkedConfig, machineLoadNote } from './bench-system.js';
import { smallScale, writeResult } from './result.js';

const CUSTOMERS = smallScale ? 20 : 1_000;
const SERVICES_PER_CUSTOMER = 10;
const CIRCUITS = CUSTOMERS * SERVICES_PER_CUSTOMER;
/** Customers billed from InfluxDB and into PostgreSQL: enough for a steady rate. */
const INFLUX_CUSTOMERS = smallScale ? 2 : 50;
const INFLUX_CIRCUITS = INFLUX_CUSTOMERS * SERVICES_PER_CUSTOMER;
const PERIOD = '2026-01';
const PERIOD_START_MS = Date.UTC(2026, 0, 1);
const PERIOD_END_MS = Date.UTC(2026, 1, 1);
const NOW_MS = Date.UTC(2026, 1, 15);
const STEP_MS = 300_000;
/** The bridge reads an hour either side of the period (baseline and closing readings). */
const LOOKAROUND_MS = 3_600_000;
const TARGET_S = 60;
const PLANS = ['burst-95-1g', 'burst-95-dc', 'volume-1tb', 'flat-100m'];
const SLAS = ['gold', 'silver', undefined];

const deviceOf = (customer: number): string => `edge-${String(customer)}`;
const interfaceOf = (service: number): string => `ge-0/0/${String(service)}`;

/**
 * The readings of one circuit over the period and the hour either side, as the collector stores
 * them: 64-bit octet counters every 5 minutes, a diurnal curve with noise, 20 to 510 Mbit/s.
 */
function circuitReadings(circuit: number): InterfaceReading[] {
  const random = seeded(circuit + 1);
  const peakBps = 20e6 + (circuit % 50) * 10e6;
  let inOctets = circuit * 1e9;
  let outOctets = circuit * 5e8;
  const readings: InterfaceReading[] = [];
  const firstMs = PERIOD_START_MS - LOOKAROUND_MS;
  for (let timeMs = firstMs; timeMs < PERIOD_END_MS + LOOKAROUND_MS; timeMs += STEP_MS) {
    const diurnal = 0.55 + 0.45 * Math.sin((2 * Math.PI * timeMs) / 86_400_000);
    inOctets += Math.round((peakBps * diurnal * (0.8 + 0.4 * random()) * 300) / 8);
    outOctets += Math.round((peakBps * 0.3 * diurnal * (0.8 + 0.4 * random()) * 300) / 8);
    readings.push({
      timeMs,
      inOctets: BigInt(inOctets),
      outOctets: BigInt(outOctets),
      hasRate: timeMs > firstMs,
      quarantined: false,
    });
  }
  return readings;
}

/** The network and contracts: one edge device per customer, one circuit per interface. */
function billingConfig(customers: number): Config {
  const config = {
    devices: Array.from({ length: customers }, (_, c) => ({
      name: deviceOf(c),
      address: `10.${String(Math.floor(c / 250))}.${String((c % 250) + 1)}.1`,
      snmp: { version: '2c', community: 'public' },
      interfaces: Array.from({ length: SERVICES_PER_CUSTOMER }, (_, s) => ({
        ifIndex: s + 1,
        name: interfaceOf(s),
        speedMbps: 1000,
      })),
    })),
    pricePlans: [
      {
        id: 'burst-95-1g',
        type: 'percentile95',
        monthlyCharge: '900.00',
        commitMbps: 200,
        overagePerMbps: '4.50',
        direction: 'max',
      },
      {
        id: 'burst-95-dc',
        type: 'percentile95',
        monthlyCharge: '2400.00',
        commitMbps: 300,
        overagePerMbps: '3.20',
        direction: 'sum',
      },
      {
        id: 'volume-1tb',
        type: 'volume',
        monthlyCharge: '300.00',
        includedGB: 1000,
        perExtraGB: '0.80',
      },
      { id: 'flat-100m', type: 'flat', monthlyCharge: '150.00' },
    ],
    slas: [
      {
        id: 'gold',
        tiers: [
          { belowPercent: 99.95, creditPercent: 10 },
          { belowPercent: 99.9, creditPercent: 25 },
        ],
        creditCapPercent: 50,
      },
      { id: 'silver', tiers: [{ belowPercent: 99.9, creditPercent: 5 }], creditCapPercent: 30 },
    ],
    customers: Array.from({ length: customers }, (_, c) => ({
      id: `cust-${String(c)}`,
      name: `Customer ${String(c)}`,
      currency: 'EUR',
      timeZone: 'UTC',
      billingAnchorDay: 1,
      services: Array.from({ length: SERVICES_PER_CUSTOMER }, (_, s) => {
        const sla = SLAS[(c + s) % SLAS.length];
        return {
          id: `cust-${String(c)}-svc-${String(s)}`,
          device: deviceOf(c),
          interface: interfaceOf(s),
          plan: PLANS[(c + s) % PLANS.length],
          ...(sla === undefined ? {} : { sla }),
        };
      }),
    })),
  };
  return checkedConfig(config);
}

/** Readings served from memory: those of the circuits generated for the customer being billed. */
function memoryReadings(circuits: Map<string, InterfaceReading[]>): InterfaceReadings {
  return {
    read(device, iface, fromMs, toMs) {
      const readings = circuits.get(`${device}/${iface}`) ?? [];
      return Promise.resolve(readings.filter((r) => r.timeMs >= fromMs && r.timeMs < toMs));
    },
  };
}

/**
 * The billing store kept in memory: the first run of every customer, with each customer's
 * outages given. What the PostgreSQL store adds (a lock and a few inserts per run) is measured
 * by the InfluxDB and PostgreSQL half of this benchmark.
 */
function memoryStore(outagesOf: (customerId: string) => OutageRecord[]): BillingStore & {
  readonly hashes: Map<string, string>;
  readonly lineCounts: Map<string, number>;
} {
  const hashes = new Map<string, string>();
  const lineCounts = new Map<string, number>();
  return {
    hashes,
    lineCounts,
    readOutages: (customerId) => Promise.resolve(outagesOf(customerId)),
    readUsage: () => Promise.resolve(new Map()),
    commitRun(scope, _requestedBy, decide) {
      const { plan } = decide(null);
      const lines = plan.kind === 'unchanged' ? [] : plan.lines;
      hashes.set(scope.customerId, plan.targetHash);
      lineCounts.set(scope.customerId, lines.length);
      const billed = lines
        .filter((line) => line.status === 'billed')
        .reduce((total, line) => total + line.amountMinor, 0n);
      return Promise.resolve({
        created: true,
        lines: [],
        run: {
          id: `${scope.customerId}/${scope.period}/v1`,
          customerId: scope.customerId,
          period: scope.period,
          periodStart: new Date(scope.periodStartMs).toISOString(),
          periodEnd: new Date(scope.periodEndMs).toISOString(),
          version: 1,
          currency: scope.currency,
          contentHash: plan.targetHash,
          totalBilled: billed.toString(),
          totalHeld: '0',
          createdAt: new Date(NOW_MS).toISOString(),
        },
      });
    },
    readRun: () => Promise.resolve(null),
    hasRuns: () => Promise.resolve(hashes.size > 0),
    wasPushed: () => Promise.resolve(false),
    recordPush: () => Promise.resolve(),
  };
}

/** One 40-minute outage on each customer's first circuit: gold and silver SLAs then pay credits. */
function outageOf(customerId: string): OutageRecord[] {
  return [
    {
      id: `${customerId}-outage`,
      serviceId: `${customerId}-svc-0`,
      ticketId: `${customerId}-ticket`,
      incidentId: `${customerId}-incident`,
      claimId: null,
      startMs: Date.UTC(2026, 0, 10, 3),
      endMs: Date.UTC(2026, 0, 10, 3, 40),
      inMaintenance: false,
    },
  ];
}

/** Generates each customer's circuits, then bills it; only the billing is timed. */
async function rateInMemory(
  config: Config,
  outages: (customerId: string) => OutageRecord[],
): Promise<{
  ratingMs: number;
  /** CPU time of the process while rating (its GC threads included). */
  ratingCpuMs: number;
  store: ReturnType<typeof memoryStore>;
  peakHeapMiB: number;
}> {
  const circuits = new Map<string, InterfaceReading[]>();
  const store = memoryStore(outages);
  const runs = createBillingRuns({
    config,
    readings: memoryReadings(circuits),
    store,
    now: () => NOW_MS,
    minCoveragePercent: 99,
    logger: createLogger({ level: 'silent' }),
  });
  let ratingMs = 0;
  let ratingCpuMs = 0;
  let peakHeapMiB = 0;
  for (const [c, customer] of config.customers.entries()) {
    circuits.clear();
    for (let s = 0; s < SERVICES_PER_CUSTOMER; s++) {
      circuits.set(
        `${deviceOf(c)}/${interfaceOf(s)}`,
        circuitReadings(c * SERVICES_PER_CUSTOMER + s),
      );
    }
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const outcomes = await runs.run({ customerId: customer.id, period: PERIOD });
    ratingMs += performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    ratingCpuMs += (cpu.user + cpu.system) / 1000;
    if (outcomes[0]?.kind !== 'run') throw new Error(`${customer.id} was not billed`);
    peakHeapMiB = Math.max(peakHeapMiB, process.memoryUsage().heapUsed / 2 ** 20);
  }
  return { ratingMs, ratingCpuMs, store, peakHeapMiB };
}

/**
 * Fills the usage ledger in PostgreSQL with every circuit's month, as the follower would have
 * kept it (not timed): one step per customer, then the cursor moved past the period.
 */
async function fillLedger(pool: pg.Pool, config: Config): Promise<void> {
  const ledger = createUsageLedgerStore({ pool });
  const startMs = PERIOD_START_MS - LOOKAROUND_MS;
  const endMs = PERIOD_END_MS + LOOKAROUND_MS;
  const series = config.customers.flatMap((customer) =>
    customer.services.map((service) => ({ device: service.device, iface: service.interface })),
  );
  await ledger.begin(series, startMs);
  for (const [c, customer] of config.customers.entries()) {
    const ids = customer.services.map((service) => ({
      device: service.device,
      iface: service.interface,
    }));
    // From the cursor to itself: every customer's readings go into the same (first) window.
    const applied = await ledger.applyStep(startMs, startMs, ids, (states) => {
      const steps = new Map<string, ReturnType<typeof followReadings>>();
      for (const [s, id] of ids.entries()) {
        const key = seriesKey(id.device, id.iface);
        const state = states.get(key);
        if (state === undefined) continue;
        steps.set(key, followReadings(state, circuitReadings(c * SERVICES_PER_CUSTOMER + s)));
      }
      return steps;
    });
    if (!applied) throw new Error('the ledger cursor moved');
  }
  await ledger.applyStep(startMs, endMs, [], () => new Map());
}

/** Bills every customer from the ledger (runs kept in memory, as for the in-memory core). */
async function rateFromBuckets(
  pool: pg.Pool,
  config: Config,
  outages: (customerId: string) => OutageRecord[],
): Promise<{ wallMs: number; cpuMs: number; store: ReturnType<typeof memoryStore> }> {
  const store = memoryStore(outages);
  const runs = createBillingRuns({
    config,
    // Nothing to read raw: a circuit the ledger did not cover would bill differently and fail.
    readings: memoryReadings(new Map()),
    ledger: createUsageLedgerStore({ pool }),
    store,
    now: () => NOW_MS,
    minCoveragePercent: 99,
    logger: createLogger({ level: 'silent' }),
  });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const outcomes = await runs.run({ period: PERIOD, requestedBy: 'bench' });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (outcomes.some((outcome) => outcome.kind !== 'run')) throw new Error('a customer was skipped');
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, store };
}

/** The local influxd's process id, found by its command line, to report its CPU time. */
async function influxdPid(): Promise<number> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (command.split('\0')[0]?.endsWith('influxd') === true) return Number(entry);
  }
  throw new Error('no influxd process on this machine');
}

const machineLoad = machineLoadNote();
// The CPU-bound core: 10,000 circuits, readings from memory.
const fullConfig = billingConfig(CUSTOMERS);
const core = await rateInMemory(fullConfig, outageOf);
const credited = [...core.store.lineCounts.values()].reduce((sum, n) => sum + n, 0);

// The bridge's path: 10,000 circuits from the usage ledger in PostgreSQL.
const ledgerDatabase = await createTestDatabase();
const ledgerPool = new pg.Pool({ connectionString: ledgerDatabase.url, max: 4 });
let buckets: Awaited<ReturnType<typeof rateFromBuckets>>;
let ledgerBytesPerCircuit: number;
try {
  await fillLedger(ledgerPool, fullConfig);
  await ledgerPool.query('VACUUM ANALYZE billing_usage_days');
  const { rows } = await ledgerPool.query<{ bytes: string }>(
    "SELECT pg_total_relation_size('billing_usage_days')::text AS bytes",
  );
  ledgerBytesPerCircuit = Number(rows[0]?.bytes ?? 0) / CIRCUITS;
  buckets = await rateFromBuckets(ledgerPool, fullConfig, outageOf);
  for (const [customerId, hash] of core.store.hashes) {
    if (buckets.store.hashes.get(customerId) !== hash) {
      throw new Error(`${customerId}: the bucket path and the raw path bill differently`);
    }
  }
} finally {
  await ledgerPool.end();
  await ledgerDatabase.drop();
}

// The real path for a subset: InfluxDB written as the collector writes, PostgreSQL runs.
const subsetConfig = billingConfig(INFLUX_CUSTOMERS);
const influx = await createInfluxDatabase();
const database = await createTestDatabase();
const pool = new pg.Pool({ connectionString: database.url, max: 4 });
const influxd = await influxdPid();
let influxMsPerCircuit: number;
let influxdCpuMsPerCircuit: number;
let bridgeCpuMsPerCircuit: number;
let influxPeakRssMiB = 0;
try {
  const lines: string[] = [];
  for (let circuit = 0; circuit < INFLUX_CIRCUITS; circuit++) {
    const device = deviceOf(Math.floor(circuit / SERVICES_PER_CUSTOMER));
    const iface = interfaceOf(circuit % SERVICES_PER_CUSTOMER);
    for (const r of circuitReadings(circuit)) {
      const rates = r.hasRate ? ',in_bps=1,out_bps=1' : '';
      lines.push(
        `interface,device=${device},interface=${iface} in_octets=${String(r.inOctets)}i,out_octets=${String(r.outOctets)}i${rates} ${String(r.timeMs)}`,
      );
    }
    if (lines.length >= 50_000) await writeLines(influx.name, lines.splice(0));
  }
  await writeLines(influx.name, lines);
  const runs = createBillingRuns({
    config: subsetConfig,
    readings: createInfluxReadings({
      influxUrl: testSettings().influxUrl,
      database: influx.name,
      token: undefined,
    }),
    store: createBillingStore({ pool, now: () => NOW_MS }),
    now: () => NOW_MS,
    minCoveragePercent: 99,
    logger: createLogger({ level: 'silent' }),
  });
  const influxdCpuBefore = await processCpuSeconds(influxd);
  const bridgeCpuBefore = process.cpuUsage();
  const started = performance.now();
  const outcomes = await runs.run({ period: PERIOD, requestedBy: 'bench' }, () => {
    influxPeakRssMiB = Math.max(influxPeakRssMiB, process.memoryUsage().rss / 2 ** 20);
    return Promise.resolve();
  });
  influxMsPerCircuit = (performance.now() - started) / INFLUX_CIRCUITS;
  const bridgeCpu = process.cpuUsage(bridgeCpuBefore);
  bridgeCpuMsPerCircuit = (bridgeCpu.user + bridgeCpu.system) / 1000 / INFLUX_CIRCUITS;
  influxdCpuMsPerCircuit =
    ((await processCpuSeconds(influxd)) - influxdCpuBefore) * (1000 / INFLUX_CIRCUITS);
  // The same bills as the in-memory path gives for these customers (without outages: none are
  // stored in PostgreSQL here).
  const expected = await rateInMemory(subsetConfig, () => []);
  for (const outcome of outcomes) {
    if (outcome.kind !== 'run') throw new Error(`${outcome.customerId} was not billed`);
    if (outcome.stored.run.contentHash !== expected.store.hashes.get(outcome.customerId)) {
      throw new Error(`${outcome.customerId}: InfluxDB path and in-memory path bill differently`);
    }
  }
} finally {
  await pool.end();
  await database.drop();
  await influx.drop();
}

const peakRssMiB = process.resourceUsage().maxRSS / 1024;
const ratingS = core.ratingMs / 1000;
const extrapolatedS = (influxMsPerCircuit * 10_000) / 1000;
await writeResult({
  name: 'billing',
  title: 'Billing',
  figures: [
    {
      label: `${CIRCUITS.toLocaleString('en-US')} circuits from the 5-minute buckets in PostgreSQL (reading included)`,
      value: buckets.wallMs / 1000,
      unit: 's',
      target: '≤ 60 s',
      met: buckets.wallMs / 1000 <= TARGET_S,
    },
    {
      label: 'bridge CPU per circuit from the buckets (reading, rating)',
      value: buckets.cpuMs / CIRCUITS,
      unit: 'ms',
    },
    {
      label: 'buckets stored per circuit-month (PostgreSQL table size)',
      value: Math.round(ledgerBytesPerCircuit / 1024),
      unit: 'KiB',
    },
    {
      label: `old path: rating ${CIRCUITS.toLocaleString('en-US')} circuits, readings in memory`,
      value: ratingS,
      unit: 's',
      target: '≤ 60 s',
      met: ratingS <= TARGET_S,
    },
    {
      label: `old path: 10,000 circuits from InfluxDB into PostgreSQL (at the rate of ${String(INFLUX_CIRCUITS)})`,
      value: extrapolatedS,
      unit: 's',
      target: '≤ 60 s',
      met: extrapolatedS <= TARGET_S,
    },
    {
      label: 'CPU time of that rating (wall time on an idle core)',
      value: core.ratingCpuMs / 1000,
      unit: 's',
    },
    { label: 'per circuit from InfluxDB into PostgreSQL', value: influxMsPerCircuit, unit: 'ms' },
    { label: 'influxd CPU per circuit', value: influxdCpuMsPerCircuit, unit: 'ms' },
    {
      label: 'bridge CPU per circuit (reading, rating, PostgreSQL client)',
      value: bridgeCpuMsPerCircuit,
      unit: 'ms',
    },
    { label: 'peak RSS of the process', value: Math.round(peakRssMiB), unit: 'MiB' },
    {
      label: 'peak RSS while billing from InfluxDB (sampled per customer)',
      value: Math.round(influxPeakRssMiB),
      unit: 'MiB',
    },
    { label: 'peak heap used while rating', value: Math.round(core.peakHeapMiB), unit: 'MiB' },
  ],
  notes: [
    machineLoad,
    `The bucket path: every circuit's month followed into the usage ledger in PostgreSQL as the bridge's follower keeps it (\`followReadings\`, one transaction per customer; not timed), then all ${String(CUSTOMERS)} customers billed by \`createBillingRuns\` with the ledger: per circuit, its ledger extent, its 31 days of buckets (five columns of 288 per day, 36 bytes a bucket, sent as base64) and its no-rate intervals are read from PostgreSQL in one statement (one round trip), two circuits ahead, and rated; runs are kept in memory as for the in-memory figure. Every customer's bill (content hash) is checked to be the one the raw path gives from the same readings.`,
    `${CIRCUITS.toLocaleString('en-US')} circuits (${String(CUSTOMERS)} customers × ${String(SERVICES_PER_CUSTOMER)}; 95th-percentile max and sum, volume and flat plans; gold, silver or no SLA, one 40-minute outage per customer) billed for January 2026 through \`createBillingRuns\`, the bridge's use-case: ${(CIRCUITS * (8_928 + 24)).toLocaleString('en-US')} readings (8,928 buckets plus the hour either side it reads), ${credited.toLocaleString('en-US')} lines. Readings are generated per customer (not timed) and served from memory; runs are planned and reconciled, then kept in memory. Memory stays bounded: one customer's readings at a time.`,
    `The InfluxDB path: ${String(INFLUX_CIRCUITS)} circuits' readings (${String(INFLUX_CUSTOMERS)} customers) written to InfluxDB 1.6 as the collector writes them (not timed), billed by the same use-case with the real InfluxQL reader (one query per circuit, answered in MessagePack) and the PostgreSQL store, and checked to give the very same bills (content hashes) as the in-memory path. Customers are billed one after the other while the reads run two circuits ahead, across customers, so the rate is steady after the first read: 10,000 circuits take 10,000 × the time per circuit measured over the ${String(INFLUX_CIRCUITS)}. The readings were just written, so InfluxDB serves some of them from its in-memory cache rather than compacted files.`,
    `The limit: InfluxDB's CPU to select and encode one circuit's ~8,950 points (${influxdCpuMsPerCircuit.toFixed(1)} ms) and the bridge's to decode and rate them (${bridgeCpuMsPerCircuit.toFixed(1)} ms) share the 2 cores: at best ${(((influxdCpuMsPerCircuit + bridgeCpuMsPerCircuit) / 2) * 10).toFixed(0)} s for 10,000 circuits with both cores busy, whatever the order of the reads.`,
  ],
});
