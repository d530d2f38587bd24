import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { SeveritySchema } from '../severity.js';
import { BillingSchema } from './billing-schema.js';
import { PagingSchema } from './paging-schema.js';

const strict = { additionalProperties: false } as const;

/** An identifier used in cross-references: letters, digits, dot, dash, underscore. */
const Name = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' });
/** An object identifier in dotted-decimal form. */
const Oid = Type.String({ pattern: '^[0-2](\\.(0|[1-9][0-9]*))+$' });
/** A decimal amount of money in the customer's currency, e.g. "1250.00". */
const Money = Type.String({ pattern: '^[0-9]{1,12}(\\.[0-9]{1,4})?$' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });

function list<T extends TSchema>(item: T) {
  return Type.Array(item, { default: [] });
}

/** SNMP credentials used to poll one device. */
export const SnmpTargetSchema = Type.Union([
  Type.Object(
    {
      version: Type.Union([Type.Literal('1'), Type.Literal('2c')]),
      community: Type.String({ minLength: 1 }),
      port: Type.Optional(Port),
    },
    strict,
  ),
  Type.Object(
    {
      version: Type.Literal('3'),
      user: Name,
      port: Type.Optional(Port),
    },
    strict,
  ),
]);

/** Authentication protocols accepted for SNMPv3 users. */
export const AuthProtocolSchema = Type.Union(
  (['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'] as const).map((p) => Type.Literal(p)),
);
/** Privacy protocols accepted for SNMPv3 users. */
export const PrivProtocolSchema = Type.Union(
  (['des', 'aes', 'aes256b', 'aes256r'] as const).map((p) => Type.Literal(p)),
);

/** An SNMPv3 user (for traps received and for polls). Keys are secrets: never logged or served. */
export const SnmpUserSchema = Type.Object(
  {
    name: Name,
    authProtocol: Type.Optional(AuthProtocolSchema),
    authKey: Type.Optional(Type.String({ minLength: 8 })),
    privProtocol: Type.Optional(PrivProtocolSchema),
    privKey: Type.Optional(Type.String({ minLength: 8 })),
  },
  strict,
);

/** One interface of a device, by its SNMP ifIndex. */
export const InterfaceSchema = Type.Object(
  {
    ifIndex: Type.Integer({ minimum: 1 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    speedMbps: Type.Number({ exclusiveMinimum: 0 }),
    description: Type.Optional(Type.String()),
  },
  strict,
);

/** One managed device. */
export const DeviceSchema = Type.Object(
  {
    name: Name,
    /** The management address: polls go there, and traps from it are attributed to this device. */
    address: Type.String({ minLength: 1 }),
    kind: Type.Optional(
      Type.Union((['core', 'aggregation', 'access', 'other'] as const).map((k) => Type.Literal(k))),
    ),
    site: Type.Optional(Type.String()),
    snmp: SnmpTargetSchema,
    pollIntervalS: Type.Integer({ minimum: 5, maximum: 3600, default: 60 }),
    interfaces: list(InterfaceSchema),
  },
  strict,
);

/** One end of a link: a device and one of its interfaces, by name. */
export const LinkEndSchema = Type.Object({ device: Name, interface: Type.String() }, strict);

/** A physical or logical link between two device interfaces. */
export const LinkSchema = Type.Object({ a: LinkEndSchema, b: LinkEndSchema }, strict);

/** Where the NOC reaches the network from: reachability is computed from these devices. */
export const TopologySchema = Type.Object({ roots: Type.Array(Name, { minItems: 1 }) }, strict);

/**
 * A mid-period plan change: from the first instant of local day `from` (in the customer's time
 * zone) the service is billed on `plan`, or not billed at all with `plan: null` (cancelled).
 */
export const PlanChangeSchema = Type.Object(
  {
    /** A calendar date, `YYYY-MM-DD`, in the customer's time zone. */
    from: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
    plan: Type.Union([Name, Type.Null()]),
  },
  strict,
);

/** A customer service (circuit) and the interface that carries it. */
export const ServiceSchema = Type.Object(
  {
    id: Name,
    description: Type.Optional(Type.String()),
    device: Name,
    interface: Type.String(),
    /** The plan the service starts on, until its first plan change. */
    plan: Name,
    /** Plan changes, in strictly increasing `from` order (see docs/billing.md, pro-ration). */
    planChanges: Type.Optional(Type.Array(PlanChangeSchema)),
    sla: Type.Optional(Name),
  },
  strict,
);

/** A customer with its services, currency, billing period and time zone. */
export const CustomerSchema = Type.Object(
  {
    id: Name,
    name: Type.String({ minLength: 1 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    timeZone: Type.String({ minLength: 1, default: 'UTC' }),
    billingAnchorDay: Type.Integer({ minimum: 1, maximum: 28, default: 1 }),
    services: list(ServiceSchema),
    /**
     * The account's contact: the paging channels (`paging.channels`: slack, teams, webhook or
     * email) its budget warnings go to (docs/billing.md, "Budget warnings").
     */
    contact: Type.Optional(Type.Object({ channels: Type.Array(Name, { minItems: 1 }) }, strict)),
  },
  strict,
);

/** Traffic direction used to bill a 95th-percentile plan. */
export const DirectionSchema = Type.Union(
  (['in', 'out', 'max', 'sum'] as const).map((d) => Type.Literal(d)),
);

/** A price plan: flat, 95th-percentile burstable, or volume. */
export const PricePlanSchema = Type.Union([
  Type.Object({ id: Name, type: Type.Literal('flat'), monthlyCharge: Money }, strict),
  Type.Object(
    {
      id: Name,
      type: Type.Literal('percentile95'),
      monthlyCharge: Money,
      commitMbps: Type.Number({ minimum: 0 }),
      overagePerMbps: Money,
      direction: DirectionSchema,
    },
    strict,
  ),
  Type.Object(
    {
      id: Name,
      type: Type.Literal('volume'),
      monthlyCharge: Money,
      includedGB: Type.Number({ minimum: 0 }),
      perExtraGB: Money,
    },
    strict,
  ),
]);

/** An SLA: availability tiers with the credit each earns, and a cap. */
export const SlaSchema = Type.Object(
  {
    id: Name,
    tiers: Type.Array(
      Type.Object(
        {
          belowPercent: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
          creditPercent: Type.Number({ minimum: 0, maximum: 100 }),
        },
        strict,
      ),
      { minItems: 1 },
    ),
    creditCapPercent: Type.Number({ minimum: 0, maximum: 100 }),
  },
  strict,
);

/**
 * An event definition: how a trap becomes an event. Templates substitute `{device}`, `{type}`,
 * `{oid}`, `{vb:OID}` (value of the first varbind whose OID starts with OID), `{index:OID}`
 * (that varbind's instance suffix) and `{interface:OID}` (the configured name of the interface
 * whose ifIndex is that varbind's value).
 */
export const EventDefinitionSchema = Type.Object(
  {
    trapOid: Oid,
    /** Varbind values that must match, by OID prefix, for this definition to apply. */
    match: Type.Optional(Type.Record(Type.String(), Type.String())),
    type: Name,
    severity: SeveritySchema,
    reductionKey: Type.String({ minLength: 1 }),
    clearKey: Type.Optional(Type.String({ minLength: 1 })),
    component: Type.Optional(Type.String()),
    description: Type.String(),
  },
  strict,
);

/**
 * The roles an API token can hold, from least to most privileged; `metrics` may only scrape
 * `GET /metrics` (a Prometheus scrape token); `care` (customer-facing staff) reads the care desk
 * and manages customers' status links, and nothing of the network beyond it.
 */
export const ROLES = ['metrics', 'viewer', 'care', 'engineer', 'billing', 'admin'] as const;

/** API bearer token, stored as its SHA-256 hex digest, with a role. */
export const ApiTokenSchema = Type.Object(
  {
    name: Name,
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  strict,
);

/** Where metrics go. `v1` speaks `/write` (InfluxDB 1.x); `v2` speaks `/api/v2/write` (2.x, 3.x). */
export const InfluxSchema = Type.Object(
  {
    api: Type.Union([Type.Literal('v1'), Type.Literal('v2')], { default: 'v1' }),
    database: Type.String({ minLength: 1, default: 'faultline' }),
    retentionPolicy: Type.Optional(Type.String()),
    org: Type.Optional(Type.String()),
    bucket: Type.Optional(Type.String()),
    /** Lines held for retry while InfluxDB does not take them; beyond it the oldest are dropped. */
    maxBufferLines: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 100_000 }),
    /** Seconds a batch is retried before it is given up. */
    maxRetryS: Type.Integer({ minimum: 1, maximum: 86_400, default: 600 }),
  },
  strict,
);

/** The database InfluxQL reads go to: 2.x/3.x map a bucket to it (the bucket's name by default). */
export function influxReadDatabase(influx: Static<typeof InfluxSchema>): string {
  return influx.api === 'v2' ? (influx.bucket ?? influx.database) : influx.database;
}

/** A webhook that gets a POST for each new incident and for its resolution. */
export const WebhookSchema = Type.Object(
  { name: Name, url: Type.String({ pattern: '^https?://[^\\s]+$' }) },
  strict,
);

/** Pushes of incidents to people: webhook targets and their retry policy. */
export const NotifySchema = Type.Object(
  {
    webhooks: list(WebhookSchema),
    /** Seconds an open incident may stay unacknowledged before it is notified again. */
    ackTimeoutS: Type.Optional(Type.Integer({ minimum: 10 })),
    /** Delivery attempts per push before it is given up (with exponential backoff). */
    attempts: Type.Integer({ minimum: 1, maximum: 100, default: 12 }),
    /** First retry delay, seconds; each retry doubles it. */
    backoffS: Type.Number({ exclusiveMinimum: 0, maximum: 3600, default: 1 }),
    /** Seconds one POST may take. */
    timeoutS: Type.Number({ exclusiveMinimum: 0, maximum: 300, default: 10 }),
  },
  strict,
);

/** A weekly recurring maintenance slot, in a time zone. */
export const RecurrenceSchema = Type.Object(
  {
    days: Type.Array(
      Type.Union(
        (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => Type.Literal(d)),
      ),
      { minItems: 1 },
    ),
    /** Local start time, HH:MM (24 h). */
    at: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
    durationMin: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 }),
    timeZone: Type.String({ minLength: 1, default: 'UTC' }),
  },
  strict,
);

/**
 * A maintenance window: alarms of the devices, interfaces (`device:interface`) and services it
 * names are recorded but neither ticketed nor pushed while it is on, and outages then are flagged
 * `in_maintenance`. One-off (`start`, `end`, RFC 3339) or weekly (`recurring`).
 */
export const MaintenanceWindowSchema = Type.Object(
  {
    name: Name,
    devices: list(Name),
    interfaces: list(Type.String({ pattern: '^[^:]+:.+$' })),
    services: list(Name),
    start: Type.Optional(Type.String({ format: 'date-time' })),
    end: Type.Optional(Type.String({ format: 'date-time' })),
    recurring: Type.Optional(RecurrenceSchema),
  },
  strict,
);

const AlarmTypePattern = Type.String({ minLength: 1, maxLength: 200 });
const PagingSeverity = Type.Union(
  (['warning', 'minor', 'major', 'critical'] as const).map((s) => Type.Literal(s)),
);

/**
 * Which alarms open incidents (a ticket and a page) and which are only recorded: shown on the
 * wall and in the alarm list, auto-cleaned, but neither ticketed nor paged.
 */
export const IncidentPolicySchema = Type.Object(
  {
    /** Alarms at least this severe open incidents; milder ones are recorded only. */
    pageFrom: Type.Union(PagingSeverity.anyOf, { default: 'minor' }),
    /** Alarm types recorded only, whatever their severity. */
    recordOnly: Type.Array(AlarmTypePattern, { default: [] }),
    /**
     * An acknowledged incident that becomes this severe pages again (said in its timeline and
     * push); below it, changes keep the acknowledgement without a page.
     */
    repageOn: Type.Union(PagingSeverity.anyOf, { default: 'critical' }),
  },
  strict,
);

/**
 * Which alarm types a failed element explains (its symptoms: no incident, ticket or page of
 * their own). `*` stands for every type. Alarms raised before the failure's first event (beyond
 * the hold window) are never its symptoms, whatever their type.
 */
export const SymptomRulesSchema = Type.Object(
  {
    /** Alarm types a down link explains on both of its ends (loss of light, thresholds, oper status). */
    link: Type.Array(AlarmTypePattern, { default: ['*'] }),
    /** Alarm types a down device explains on itself. */
    device: Type.Array(AlarmTypePattern, { default: ['*'] }),
  },
  strict,
);

/** Correlation tuning. */
export const CorrelationSchema = Type.Object(
  {
    /** Seconds a new alarm is held before it is pushed or ticketed, so its root can claim it. */
    holdS: Type.Number({ minimum: 0, maximum: 600, default: 2 }),
    /** Raises of one reduction key within `flapWindowS` that make it flapping. */
    flapCount: Type.Integer({ minimum: 2, maximum: 1000, default: 3 }),
    /** The flap window, seconds; a flapping key is quiet again after one window without a raise. */
    flapWindowS: Type.Integer({ minimum: 10, maximum: 86_400, default: 300 }),
    /** Clear an open alarm nothing repeated for this many seconds (off when absent). */
    staleAlarmS: Type.Optional(Type.Integer({ minimum: 5 })),
    /**
     * Per alarm type, clear an open alarm nothing repeated for this many seconds, whatever
     * `staleAlarmS` says. By default a device's restart (coldStart, warmStart), which no trap
     * ever clears, is cleared after an hour.
     */
    staleAlarmByTypeS: Type.Record(
      Type.String({ minLength: 1, maxLength: 200 }),
      Type.Integer({ minimum: 5 }),
      { default: { coldStart: 3600, warmStart: 3600 } },
    ),
    /** Which alarms open incidents and page, and which are recorded only. */
    policy: Type.Object(IncidentPolicySchema.properties, { ...strict, default: {} }),
    /** What a failed link or device explains. */
    symptoms: Type.Object(SymptomRulesSchema.properties, { ...strict, default: {} }),
    /**
     * Seconds an alarm that was a symptom stays with its incident after the root cleared
     * (a device behind a repaired link waiting for its next poll is recovering, not a new
     * fault); still open after that, it is a fault of its own.
     */
    recoveryS: Type.Integer({ minimum: 0, maximum: 86_400, default: 300 }),
    /**
     * Event partitions: each event is applied by the owner of its reduction key's partition, one
     * correlator at a time. One keeps every event in arrival order (the correlation step never
     * sees half a batch); more spread the work over correlators and keep the order per key only.
     * The collector routes each event to its partition's queue by it: every part of a deployment
     * must use the same count; changing it needs the events queues drained first.
     */
    partitions: Type.Integer({ minimum: 1, maximum: 256, default: 1 }),
    /**
     * Seconds a partition lease outlives its owner's last renewal (renewed every fifth of it): a
     * dead correlator's partitions are taken over about this long after it died.
     */
    leaseTtlS: Type.Integer({ minimum: 2, maximum: 60, default: 5 }),
  },
  strict,
);

/**
 * The MQTT telemetry subscription. Every key has a default, so the section may be left out: the
 * collector then subscribes to `telemetry/#` at QoS 1 with a persistent session.
 */
export const TelemetrySchema = Type.Object(
  {
    /** Topic filters to subscribe to. */
    topics: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
      minItems: 1,
      default: ['telemetry/#'],
    }),
    /** Shared-subscription group: collectors in one group split the messages (`$share/<group>/…`). */
    group: Type.Optional(Name),
    qos: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)], { default: 1 }),
    /** The MQTT client id; stable across restarts so the broker keeps the session. */
    clientId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,100}$' })),
    /** Seconds the broker keeps the session (and queues messages) while the collector is away. */
    sessionExpiryS: Type.Integer({ minimum: 0, maximum: 4_294_967_295, default: 86_400 }),
    /** Larger payloads are invalid (dead-lettered, truncated). */
    maxPayloadBytes: Type.Integer({ minimum: 64, maximum: 16_777_216, default: 65_536 }),
    /** Invalid messages kept in the dead-letter list (the oldest go first). */
    deadLetterMax: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 1000 }),
  },
  strict,
);

/** The simulated network's settings (`npm start`, `npm run sim`). */
export const SimulatorSchema = Type.Object(
  {
    /**
     * A folder of the operator's own scenario files (`<name>.yaml`), relative to the working
     * directory; a name is looked up there first, then in the repository's `scenarios/`.
     */
    scenariosDir: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  strict,
);

/** The metrics a poll gives threshold rules: interface utilization in % of its configured speed. */
export const POLL_THRESHOLD_METRICS = [
  'utilization_percent',
  'in_utilization_percent',
  'out_utilization_percent',
] as const;

/**
 * A threshold rule: a metric beyond `raise` for `forS` seconds raises an event; it clears only
 * once back beyond `clear` (hysteresis). `above` rules clear below `clear`, `below` rules above.
 */
export const ThresholdSchema = Type.Object(
  {
    name: Name,
    /** `poll`: interface utilization from polled counters; `telemetry`: a telemetry metric. */
    source: Type.Union([Type.Literal('poll'), Type.Literal('telemetry')]),
    /** A poll metric (`utilization_percent`, `in_…`, `out_…`) or a telemetry metric name. */
    metric: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,99}$' }),
    /**
     * The metric's name for people ("Optical receive power"), used in the event's text instead of
     * the metric's own; poll metrics have built-in names.
     */
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** The metric's unit ("dBm", "°C"), written after values; `%` for poll metrics. */
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    direction: Type.Union([Type.Literal('above'), Type.Literal('below')]),
    raise: Type.Number(),
    clear: Type.Number(),
    forS: Type.Integer({ minimum: 0, maximum: 86_400, default: 0 }),
    severity: Type.Union(
      (['warning', 'minor', 'major', 'critical'] as const).map((s) => Type.Literal(s)),
      { default: 'major' },
    ),
    /** Only these devices (default: all). */
    devices: Type.Optional(Type.Array(Name, { minItems: 1 })),
    /** Only readings or interfaces with these tag values (`interface` for polls). */
    match: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  strict,
);

/**
 * An IPv4 address, a CIDR block (`10.0.0.0/24`) or an inclusive range (`10.0.0.1-10.0.0.30`).
 * The shape is checked here; the numbers are checked by the discovery's range parser.
 */
const AddressRange = Type.String({
  pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2}|-[0-9]{1,3}(\\.[0-9]{1,3}){3})?$',
});

/** Credentials discovery tries on each address, in order: a v2c community or a v3 user. */
export const DiscoveryCredentialSchema = Type.Union([
  Type.Object({ version: Type.Literal('2c'), community: Type.String({ minLength: 1 }) }, strict),
  Type.Object({ version: Type.Literal('3'), user: Name }, strict),
]);

/** One seed range: every address in it is probed, except those in `exclude`. */
export const DiscoveryRangeSchema = Type.Object(
  { range: AddressRange, exclude: list(AddressRange) },
  strict,
);

/** SNMP/LLDP discovery: where to look, with what, how fast, and how often again. */
export const DiscoverySchema = Type.Object(
  {
    ranges: Type.Array(DiscoveryRangeSchema, { minItems: 1 }),
    credentials: Type.Array(DiscoveryCredentialSchema, { minItems: 1 }),
    /** The UDP port agents listen on. */
    port: Type.Optional(Port),
    /** Addresses probed at once. */
    concurrency: Type.Integer({ minimum: 1, maximum: 1024, default: 32 }),
    /** New addresses probed per second at most. */
    ratePerS: Type.Integer({ minimum: 1, maximum: 100_000, default: 200 }),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 30_000, default: 1_000 }),
    retries: Type.Integer({ minimum: 0, maximum: 5, default: 1 }),
    /** Most addresses one run may probe (a typo of /8 for /24 is refused, not run). */
    maxAddresses: Type.Integer({ minimum: 1, maximum: 1_048_576, default: 65_536 }),
    /** Re-discovery every this many seconds; absent: only on request. */
    intervalS: Type.Optional(Type.Integer({ minimum: 60, maximum: 604_800 })),
  },
  strict,
);

/** The whole configuration file. */
export const ConfigSchema = Type.Object(
  {
    snmp: Type.Object(
      {
        communities: Type.Array(Type.String({ minLength: 1 }), { default: ['public'] }),
        users: list(SnmpUserSchema),
        mibDirs: list(Type.String()),
        /** Consecutive failed polls of a device that raise `deviceDown`. */
        pollFailuresToDown: Type.Integer({ minimum: 1, maximum: 100, default: 3 }),
        /**
         * How long a collector keeps its share of the devices to poll without renewing it: when it
         * dies, the others take its devices this long after its last renewal (every third of it).
         */
        pollShareLeaseS: Type.Integer({ minimum: 2, maximum: 300, default: 10 }),
      },
      { ...strict, default: {} },
    ),
    influx: Type.Object(InfluxSchema.properties, { ...strict, default: {} }),
    devices: list(DeviceSchema),
    links: list(LinkSchema),
    topology: Type.Optional(TopologySchema),
    customers: list(CustomerSchema),
    pricePlans: list(PricePlanSchema),
    slas: list(SlaSchema),
    events: list(EventDefinitionSchema),
    api: Type.Object(
      {
        tokens: list(ApiTokenSchema),
        /**
         * Addresses (or CIDR ranges) of the reverse proxies in front of the api: only a request
         * whose TCP peer is one of them has its client taken from X-Forwarded-For.
         */
        trustedProxies: list(Type.String({ minLength: 1, maxLength: 100 })),
      },
      { ...strict, default: {} },
    ),
    correlation: Type.Object(CorrelationSchema.properties, { ...strict, default: {} }),
    notify: Type.Optional(NotifySchema),
    paging: Type.Object(PagingSchema.properties, { ...strict, default: {} }),
    maintenance: list(MaintenanceWindowSchema),
    telemetry: Type.Object(TelemetrySchema.properties, { ...strict, default: {} }),
    thresholds: list(ThresholdSchema),
    discovery: Type.Optional(DiscoverySchema),
    billing: Type.Object(BillingSchema.properties, { ...strict, default: {} }),
    simulator: Type.Object(SimulatorSchema.properties, { ...strict, default: {} }),
  },
  strict,
);

/** The validated configuration. */
export type Config = Static<typeof ConfigSchema>;
/** The discovery settings. */
export type DiscoveryConfig = Static<typeof DiscoverySchema>;
/** One managed device. */
export type Device = Static<typeof DeviceSchema>;
/** One device interface. */
export type DeviceInterface = Static<typeof InterfaceSchema>;
/** An event definition. */
export type EventDefinition = Static<typeof EventDefinitionSchema>;
/** An SNMPv3 user. */
export type SnmpUser = Static<typeof SnmpUserSchema>;
/** An API token entry. */
export type ApiToken = Static<typeof ApiTokenSchema>;
/** An API role. */
export type Role = ApiToken['role'];
/** A customer service. */
export type Service = Static<typeof ServiceSchema>;
/** A mid-period plan change of a service. */
export type PlanChange = Static<typeof PlanChangeSchema>;
/** A customer. */
export type Customer = Static<typeof CustomerSchema>;
/** A price plan. */
export type PricePlan = Static<typeof PricePlanSchema>;
/** An SLA. */
export type Sla = Static<typeof SlaSchema>;
/** A webhook target. */
export type Webhook = Static<typeof WebhookSchema>;
/** A threshold rule. */
export type ThresholdRule = Static<typeof ThresholdSchema>;
/** The telemetry section. */
export type TelemetryConfig = Static<typeof TelemetrySchema>;
/** The incident policy: which alarms page. */
export type IncidentPolicy = Static<typeof IncidentPolicySchema>;
/** What failed links and devices explain. */
export type SymptomRules = Static<typeof SymptomRulesSchema>;
/** The notify section. */
export type NotifyConfig = Static<typeof NotifySchema>;
/** A maintenance window. */
export type MaintenanceWindow = Static<typeof MaintenanceWindowSchema>;
