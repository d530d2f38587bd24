import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  INSERT_ALARMS,
  channels,
  createLogger,
  parseConfig,
  recordsToColumns,
  type Alarm,
  type AlarmChange,
  type AlarmChangeKind,
  type Config,
  type Incident,
  type Settings,
} from '@faultline/shared';
import { createApi, type ApiComponent } from '@faultline/api';
import { createTestDatabase, testSettings, type TestDatabase } from '../support/services.js';

/** Tokens the api harness configures: a config viewer token and the bootstrap admin token. */
export const VIEWER_TOKEN = 'viewer-token-for-tests-0001';
export const ADMIN_TOKEN = 'admin-token-for-tests-0001';
/** A community that must never appear in any API answer. */
export const SECRET_COMMUNITY = 'never-show-this-community';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** A small valid config: two devices (one with a secret community) and the viewer token. */
export function apiTestConfig(): Config {
  const checked = parseConfig(`
snmp:
  users: [{ name: poller }]
devices:
  - name: core-1
    address: 127.0.1.1
    kind: core
    site: fra1
    snmp: { version: 2c, community: ${SECRET_COMMUNITY}, port: 1161 }
    interfaces:
      - { ifIndex: 1, name: xe-0/0/0, speedMbps: 10000, description: to core-2 }
  - name: access-1
    address: 127.0.1.21
    snmp: { version: '3', user: poller }
api:
  tokens:
    - { name: wall, role: viewer, sha256: ${digest(VIEWER_TOKEN)} }
paging:
  people: [{ name: alice }, { name: bob }]
  rotations:
    - { name: primary, timeZone: Europe/Paris, start: '2026-12-01', shiftDays: 7, people: [alice, bob] }
`);
  if (!checked.ok) throw new Error(`invalid test config: ${JSON.stringify(checked.problems)}`);
  return checked.value;
}

/** An alarm with fresh ids and recent times; override what a test cares about. */
export function sampleAlarm(overrides: Partial<Alarm> = {}): Alarm {
  const now = new Date();
  const id = randomUUID();
  return {
    id,
    reductionKey: `linkDown:core-1:ifIndex=${id.slice(0, 8)}`,
    device: 'core-1',
    deviceKnown: true,
    component: 'xe-0/0/0',
    type: 'linkDown',
    source: 'trap',
    severity: 'major',
    state: 'active',
    count: 1,
    firstSeen: new Date(now.getTime() - 60_000).toISOString(),
    lastSeen: now.toISOString(),
    clearedAt: null,
    description: 'Interface xe-0/0/0 on core-1 is down',
    lastEventId: `event-${id}`,
    causedBy: null,
    explanation: null,
    ticketId: null,
    acknowledgedBy: null,
    ...overrides,
  };
}

/** An open incident opened now on one root alarm (a fresh id); override what a test cares about. */
export function sampleIncident(overrides: Partial<Incident> = {}): Incident {
  const root = randomUUID();
  const now = new Date().toISOString();
  return {
    id: `inc-${root}`,
    state: 'open',
    title: 'core-1 xe-0/0/0 down',
    severity: 'major',
    primaryAlarmId: root,
    rootAlarmIds: [root],
    alarmIds: [root],
    cutOffDevices: [],
    impactedServices: [],
    ticketId: `tkt-${root}`,
    openedAt: now,
    updatedAt: now,
    resolvedAt: null,
    resolution: null,
    acknowledgedBy: null,
    assignee: null,
    inMaintenance: false,
    announced: true,
    version: 1,
    ...overrides,
  };
}

/** Writes an alarm row the way the correlator would (insert, or replace by id). */
export async function upsertAlarm(db: pg.ClientBase | pg.Pool, alarm: Alarm): Promise<void> {
  await db.query(
    `${INSERT_ALARMS}
     ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, count = EXCLUDED.count,
       last_seen = EXCLUDED.last_seen, cleared_at = EXCLUDED.cleared_at,
       severity = EXCLUDED.severity, acknowledged_by = EXCLUDED.acknowledged_by`,
    recordsToColumns([{ alarm, details: { secret: SECRET_COMMUNITY } }]),
  );
}

/**
 * Inserts `count` open alarms in one statement, the shape the correlator writes: devices `dev-1` …
 * `dev-<count>`, severities critical, major, minor, warning in turn (so `count / 4` of each for a
 * multiple of 4), the latest `lastSeen` first.
 */
export async function insertActiveAlarms(
  db: pg.ClientBase | pg.Pool,
  count: number,
): Promise<void> {
  await db.query(
    `INSERT INTO alarms (id, reduction_key, device, device_known, component, type, source, severity,
       state, count, first_seen, last_seen, description, last_event_id, details)
     SELECT gen_random_uuid(), 'linkDown:dev-' || n, 'dev-' || n, false, 'ge-0/0/1', 'linkDown',
       'trap', (ARRAY['critical','major','minor','warning'])[1 + n % 4], 'active', 1,
       now() - interval '1 minute', now() - n * interval '1 millisecond', 'Link down ' || n,
       'e-' || n, '{}'::jsonb
     FROM generate_series(1, $1) AS n`,
    [count],
  );
}

/** Everything a test needs around the api: its database, a Redis client, settings and config. */
export interface ApiFixture {
  readonly settings: Settings;
  readonly config: Config;
  readonly database: TestDatabase;
  readonly pool: pg.Pool;
  readonly redis: Redis;
  /** Stores the alarm and publishes the change on the alarm channel, as the correlator does. */
  change(kind: AlarmChangeKind, alarm: Alarm): Promise<void>;
  close(): Promise<void>;
}

/** Creates a test database, a Redis client and settings with a unique prefix and port 0. */
export async function createApiFixture(): Promise<ApiFixture> {
  const database = await createTestDatabase();
  const settings = testSettings({
    databaseUrl: database.url,
    adminToken: ADMIN_TOKEN,
    httpHost: '127.0.0.1',
    httpPort: 0,
  });
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const redis = new Redis(settings.redisUrl);
  redis.on('error', () => undefined);
  return {
    settings,
    config: apiTestConfig(),
    database,
    pool,
    redis,
    async change(kind, alarm) {
      await upsertAlarm(pool, alarm);
      const message: AlarmChange = { kind, alarm };
      await redis.publish(channels(settings.prefix).alarms, JSON.stringify(message));
    },
    async close() {
      await redis.quit();
      await pool.end();
      await database.drop();
    },
  };
}

/**
 * Starts the api component on a random loopback port; returns it and its base URL. Without a
 * `dashboardDir` it serves the built dashboard (dashboard/dist); `null` serves none.
 */
export async function startApi(
  fixture: ApiFixture,
  options: { dashboardDir?: string | null } = {},
): Promise<{ api: ApiComponent; baseUrl: string }> {
  const api = createApi({
    runtime: {
      settings: fixture.settings,
      config: fixture.config,
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    },
    dashboardDir: options.dashboardDir,
  });
  await api.start();
  const address = api.address();
  if (address === undefined) throw new Error('api started but has no address');
  return { api, baseUrl: `http://127.0.0.1:${String(address.port)}` };
}
