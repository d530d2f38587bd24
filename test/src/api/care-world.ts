import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  createLogger,
  liveBillingKey,
  type BillingLive,
  type BillingLiveService,
  type Config,
  type Settings,
} from '@faultline/shared';
import { buildApp, createApi, type ApiComponent } from '@faultline/api';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import {
  billingConfig,
  insertOutages,
  monthLines,
  testBillingRuns,
  writeLines,
} from '../billing/billing-data.js';
import { TOKENS, withTokens } from './incident-world.js';

/**
 * Two customers sharing the network: acme (billing-data.ts, its April outages billed and
 * credited) and globex. Open incidents: `inc-acme` takes acme's transit down (with a public and
 * an internal comment), `inc-globex` globex's VPN only, and `inc-shared` takes globex's VPN down
 * and degrades acme's backup. The billing bridge's live views are set in Redis (the transit has
 * 225.00 EUR of credit so far). Whatever acme's care desk view, status page and incident costs
 * show, globex is never in them.
 */
export interface CareWorld {
  readonly settings: Settings;
  readonly config: Config;
  readonly pool: pg.Pool;
  readonly redis: Redis;
  /** An in-process app for `inject()`. */
  app(): Promise<FastifyInstance>;
  /** A listening api serving the built dashboard, for browsers. */
  listen(): Promise<{ api: ApiComponent; baseUrl: string }>;
  close(): Promise<void>;
}

const ALARM = '00000000-0000-4000-8000-000000000001';

function withGlobex(config: Config): Config {
  return {
    ...config,
    customers: [
      ...config.customers,
      {
        id: 'globex',
        name: 'Globex Corporation',
        currency: 'USD',
        timeZone: 'UTC',
        billingAnchorDay: 1,
        services: [
          {
            id: 'globex-vpn',
            device: 'access-1',
            interface: 'ge-0/0/2',
            plan: 'flat-100m',
            sla: 'gold',
            description: 'Globex head office VPN',
          },
        ],
      },
    ],
  };
}

async function insertIncident(
  pool: pg.Pool,
  id: string,
  services: { customerId: string; serviceId: string }[],
  notes: [kind: string, body: string][],
  outages: { customerId: string; serviceId: string }[],
): Promise<void> {
  const ticket = `T-${id}`;
  await pool.query(
    `INSERT INTO incidents (id, state, title, severity, primary_alarm_id, root_alarm_ids,
       alarm_ids, cut_off_devices, impacted_services, ticket_id, opened_at, updated_at, version)
     VALUES ($1, 'open', $2, 'critical', $3, ARRAY[$3]::uuid[], ARRAY[$3]::uuid[], '{}', $4,
       $5, now() - interval '10 minutes', now(), 1)`,
    [id, `link down on access-1 (${id})`, ALARM, JSON.stringify(services), ticket],
  );
  await pool.query(
    `INSERT INTO tickets (id, incident_id, state, title, severity, impacted_services, version,
       created_at, updated_at)
     VALUES ($1, $2, 'open', 't', 'critical', $3, 1, now(), now())`,
    [ticket, id, JSON.stringify(services)],
  );
  for (const [index, [kind, body]] of notes.entries()) {
    await pool.query(
      `INSERT INTO ticket_events (ticket_id, dedup_key, at, kind, actor, body)
       VALUES ($1, $2, now() - interval '10 minutes' + $3 * interval '1 second', $4, 'alice', $5)`,
      [ticket, `${ticket}-${String(index)}`, index, kind, body],
    );
  }
  for (const outage of outages) {
    await pool.query(
      `INSERT INTO outages (customer_id, service_id, incident_id, ticket_id, root_alarm_id,
         root_cause, started_at, ended_at, in_maintenance)
       VALUES ($1, $2, $3, $4, $5, 'linkDown access-1', now() - interval '10 minutes', NULL, false)`,
      [outage.customerId, outage.serviceId, id, ticket, ALARM],
    );
  }
}

function liveService(
  serviceId: string,
  currency: string,
  availabilityPercent: string,
  creditMinor: string | null,
): BillingLiveService {
  return {
    serviceId,
    planId: 'p',
    inOctets: '0',
    outOctets: '0',
    percentile95Bps: null,
    projectedPercentile95Bps: null,
    coveragePercent: 100,
    downtimeMinutes: 70,
    availabilityPercent,
    slaBudgetMinutes: creditMinor === null ? null : 146,
    currency,
    sla:
      creditMinor === null
        ? null
        : {
            slaId: 'gold',
            availabilityPercent,
            tier: { belowPercent: '99.9', creditPercent: '25' },
            nextTierBelowPercent: '99.5',
            creditMinor,
            nextTierCreditMinor: '45000',
            budgetUsedPercent: 32.41,
          },
  };
}

function liveView(customerId: string, services: BillingLiveService[]): BillingLive {
  return {
    customerId,
    period: '2026-12',
    periodStart: '2026-12-01T00:00:00.000Z',
    periodEnd: '2027-01-01T00:00:00.000Z',
    at: new Date().toISOString(),
    services,
  };
}

/** Builds the world: a fresh database, InfluxDB database and key prefix. */
export async function createCareWorld(): Promise<CareWorld> {
  const database: TestDatabase = await createTestDatabase();
  const influx = await createInfluxDatabase();
  await writeLines(influx.name, monthLines());
  await insertOutages(database.url);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const settings: Settings = {
    ...testSettings({ databaseUrl: database.url, httpHost: '127.0.0.1', httpPort: 0 }),
    adminToken: TOKENS.admin,
  };
  const config = withTokens(withGlobex(billingConfig(influx.name, '{ liveIntervalS: 0 }')));
  // April is billed: acme's transit gets its credit, globex (no outage in April) none.
  await testBillingRuns(config, pool).run({ period: '2026-04' });
  await insertIncident(
    pool,
    'inc-acme',
    [{ customerId: 'acme', serviceId: 'acme-transit' }],
    [
      ['opened', 'Opened: link down; impacted: acme/acme-transit'],
      ['comment', '[public] Fibre cut near the depot, a crew is on site.'],
      ['comment', 'swap the line card in slot 3'],
    ],
    [{ customerId: 'acme', serviceId: 'acme-transit' }],
  );
  await insertIncident(
    pool,
    'inc-globex',
    [{ customerId: 'globex', serviceId: 'globex-vpn' }],
    [['comment', '[public] Globex only: VPN concentrator restarting']],
    [{ customerId: 'globex', serviceId: 'globex-vpn' }],
  );
  await insertIncident(
    pool,
    'inc-shared',
    [
      { customerId: 'globex', serviceId: 'globex-vpn' },
      { customerId: 'acme', serviceId: 'acme-backup' },
    ],
    [['opened', 'Opened: impacted: globex/globex-vpn, acme/acme-backup']],
    [{ customerId: 'globex', serviceId: 'globex-vpn' }],
  );
  const redis = new Redis(settings.redisUrl);
  redis.on('error', () => undefined);
  await redis.set(
    liveBillingKey(settings.prefix, 'acme'),
    JSON.stringify(
      liveView('acme', [
        liveService('acme-transit', 'EUR', '99.838', '22500'),
        liveService('acme-backup', 'EUR', '100', null),
      ]),
    ),
  );
  await redis.set(
    liveBillingKey(settings.prefix, 'globex'),
    JSON.stringify(liveView('globex', [liveService('globex-vpn', 'USD', '99.1', '3750')])),
  );
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const apps: FastifyInstance[] = [];
  const apis: ApiComponent[] = [];
  return {
    settings,
    config,
    pool,
    redis,
    async app() {
      const app = await buildApp({ pool, redis, config, settings, logger, dashboardDir: null });
      apps.push(app);
      return app;
    },
    async listen() {
      const api = createApi({ runtime: { settings, config, logger } });
      await api.start();
      apis.push(api);
      const address = api.address();
      if (address === undefined) throw new Error('api started but has no address');
      return { api, baseUrl: `http://127.0.0.1:${String(address.port)}` };
    },
    async close() {
      for (const app of apps) await app.close();
      for (const api of apis) await api.stop();
      await redis.quit();
      await pool.end();
      await influx.drop();
      await database.drop();
    },
  };
}
