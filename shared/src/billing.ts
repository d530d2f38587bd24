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
  },
  { additionalProperties: false },
);

/** A request for billing runs. */
export type BillingRunRequest = Static<typeof BillingRunRequestSchema>;

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
    /** Downtime that can still be added before the next SLA tier, minutes (null: none left or no SLA). */
    slaBudgetMinutes: Type.Union([Type.Number(), Type.Null()]),
  },
  { additionalProperties: false },
);

/** The live billing view of one customer service. */
export type BillingLiveService = Static<typeof BillingLiveServiceSchema>;

/** What the billing bridge publishes on the `billing` channel, one message per customer. */
export const BillingLiveSchema = Type.Object(
  {
    customerId: Type.String(),
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
