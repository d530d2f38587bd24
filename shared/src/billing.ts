import { Type, type Static } from '@sinclair/typebox';

/** Name of the BullMQ queue on which billing runs are requested (by the api) and scheduled. */
export const BILLING_QUEUE = 'billing';
/** Name of the job that asks for a billing run. */
export const BILLING_RUN_JOB = 'run';

/**
 * A request for billing runs: one run per customer and period. Without `period`, each customer's
 * last closed period; without `customerId`, every configured customer.
 */
export const BillingRunRequestSchema = Type.Object(
  {
    /** A period label as billing writes it: `YYYY-MM` (anchor day 1) or `YYYY-MM-DD` (anchor day). */
    period: Type.Optional(Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])(-[0-2][0-9])?$' })),
    customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Who asked (a user name, or `schedule`), for the run's record. */
    requestedBy: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /**
     * Re-rate from InfluxDB's raw readings instead of the usage ledger's 5-minute buckets (the
     * bridge reads them raw anyway where its ledger does not cover the period).
     */
    fromRawReadings: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** A request for billing runs. */
export type BillingRunRequest = Static<typeof BillingRunRequestSchema>;

/**
 * What an SLA costs so far this period, computed by the billing core with the month's rules (see
 * docs/billing.md, "Live cost"): at the period's end it equals the run's credit line.
 */
export const LiveSlaCostSchema = Type.Object(
  {
    slaId: Type.String(),
    /** Availability so far over the whole period, percent, at most 4 decimals ("99.9312"). */
    availabilityPercent: Type.String(),
    /** The tier applied now (null: none breached yet), percents as exact decimals. */
    tier: Type.Union([
      Type.Object(
        { belowPercent: Type.String(), creditPercent: Type.String() },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    /** The tier more downtime would reach next (null: the deepest is applied). */
    nextTierBelowPercent: Type.Union([Type.String(), Type.Null()]),
    /** The credit accrued so far, minor units of `currency`, ≥ 0, a decimal string (exact). */
    creditMinor: Type.String(),
    /** The credit if the next tier were reached (null without a next tier), minor units. */
    nextTierCreditMinor: Type.Union([Type.String(), Type.Null()]),
    /**
     * Share of the downtime allowed before the next tier that is used, percent (null without a
     * next tier): what budget warnings compare with `billing.budgetWarnings.sharePercent`.
     */
    budgetUsedPercent: Type.Union([Type.Number(), Type.Null()]),
  },
  { additionalProperties: false },
);

/** What an SLA costs so far this period. */
export type LiveSlaCost = Static<typeof LiveSlaCostSchema>;

/** The live billing view of one customer service, for the current (open) period. */
export const BillingLiveServiceSchema = Type.Object(
  {
    serviceId: Type.String(),
    planId: Type.String(),
    /** Octets so far this period, decimal strings (exact). */
    inOctets: Type.String(),
    outOctets: Type.String(),
    /** The 95th so far of the plan's direction, bits per second (null without samples). */
    percentile95Bps: Type.Union([Type.Number(), Type.Null()]),
    /**
     * The 95th the month would end on if the rest of the period repeated the rates seen so far
     * (see docs/billing.md), bits per second; null without samples.
     */
    projectedPercentile95Bps: Type.Union([Type.Number(), Type.Null()]),
    /** Observed buckets / elapsed buckets, percent (100 when nothing has elapsed). */
    coveragePercent: Type.Number(),
    /** Downtime so far this period that counts against the SLA, minutes. */
    downtimeMinutes: Type.Number(),
    /** Availability so far over the whole period, percent, at most 4 decimals. */
    availabilityPercent: Type.String(),
    /** Downtime that can still be added before the next SLA tier, minutes (null: none left or no SLA). */
    slaBudgetMinutes: Type.Union([Type.Number(), Type.Null()]),
    /** The customer's currency (ISO 4217). */
    currency: Type.String(),
    /** The SLA's cost so far (null: the service has no SLA). */
    sla: Type.Union([LiveSlaCostSchema, Type.Null()]),
  },
  { additionalProperties: false },
);

/** The live billing view of one customer service. */
export type BillingLiveService = Static<typeof BillingLiveServiceSchema>;

/** What the billing bridge publishes on the `billing` channel, one message per customer. */
export const BillingLiveSchema = Type.Object(
  {
    customerId: Type.String(),
    /** The customer's name and IANA time zone (periods and times are shown in it). */
    customerName: Type.Optional(Type.String()),
    timeZone: Type.Optional(Type.String()),
    period: Type.String(),
    periodStart: Type.String({ format: 'date-time' }),
    periodEnd: Type.String({ format: 'date-time' }),
    /** When this view was computed. */
    at: Type.String({ format: 'date-time' }),
    services: Type.Array(BillingLiveServiceSchema),
  },
  { additionalProperties: false },
);

/** The live billing view of one customer. */
export type BillingLive = Static<typeof BillingLiveSchema>;

/**
 * How far a billing job has come, as the bridge reports it (BullMQ job progress) and the api
 * serves it: customers whose run is decided, of those the request covers.
 */
export const BillingRunProgressSchema = Type.Object(
  {
    customersDone: Type.Integer({ minimum: 0 }),
    customers: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** How far a billing job has come. */
export type BillingRunProgress = Static<typeof BillingRunProgressSchema>;

/**
 * What a billing job returns, one per customer: the run it stored (or found unchanged), or why
 * none was made (`unknown-customer`, `not-a-period-of-the-customer`, `period-not-closed`).
 */
export const BillingJobOutcomeSchema = Type.Union([
  Type.Object(
    { kind: Type.Literal('run'), customerId: Type.String(), runId: Type.String() },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('skipped'), customerId: Type.String(), reason: Type.String() },
    { additionalProperties: false },
  ),
]);

/** What a billing job returns for one customer. */
export type BillingJobOutcome = Static<typeof BillingJobOutcomeSchema>;

/**
 * The live cost of one customer service as the api serves it (`GET /api/live-cost`): the billing
 * bridge's latest live view of the service, named from the config.
 */
export const ServiceLiveCostSchema = Type.Object(
  {
    customerId: Type.String(),
    customerName: Type.String(),
    serviceId: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    /** The open period's label and when the view was computed. */
    period: Type.String(),
    at: Type.String({ format: 'date-time' }),
    currency: Type.String(),
    downtimeMinutes: Type.Number(),
    slaBudgetMinutes: Type.Union([Type.Number(), Type.Null()]),
    sla: Type.Union([LiveSlaCostSchema, Type.Null()]),
  },
  { additionalProperties: false },
);

/** The live cost of one customer service. */
export type ServiceLiveCost = Static<typeof ServiceLiveCostSchema>;
