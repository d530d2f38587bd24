import { Type, type Static } from '@sinclair/typebox';

/**
 * Billing bridge settings (`billing:` in the config file). Every key is optional; an empty or
 * missing section keeps the defaults.
 */
export const BillingSchema = Type.Object(
  {
    /**
     * Usage (overage) lines of a service whose coverage — observed 5-minute buckets over the
     * period's buckets — is below this percentage are held for review instead of billed.
     */
    minCoveragePercent: Type.Number({ minimum: 0, maximum: 100, default: 99 }),
    /** Seconds between two live billing views on the `billing` channel (0: none). */
    liveIntervalS: Type.Integer({ minimum: 0, maximum: 86_400, default: 60 }),
    /**
     * Budget warnings: when a service has used this share (percent) of the downtime its SLA allows
     * before the next credit tier, its customer's `contact.channels` are told, once per period and
     * tier (0: never).
     */
    budgetWarningPercent: Type.Number({ minimum: 0, maximum: 100, default: 80 }),
    /**
     * The usage ledger: each billed interface's 5-minute buckets, kept in PostgreSQL as the
     * collector's readings reach InfluxDB, so that a run rates a period from its buckets.
     */
    usageLedger: Type.Object(
      {
        /** Seconds between two catch-ups with InfluxDB's new readings (0: no ledger, runs read raw). */
        followIntervalS: Type.Integer({ minimum: 0, maximum: 3_600, default: 60 }),
        /**
         * Seconds a reading's time is left behind before it is followed: longer than the
         * collector holds and retries its InfluxDB writes (`influx.maxRetryS`).
         */
        settleS: Type.Integer({ minimum: 0, maximum: 86_400, default: 660 }),
        /** Days of readings a new ledger starts with (the periods it can rate at once). */
        backfillDays: Type.Integer({ minimum: 0, maximum: 400, default: 35 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Where each new billing run is POSTed (the BSS), with retries and an idempotency key. */
    webhook: Type.Optional(
      Type.Object(
        {
          url: Type.String({ pattern: '^https?://[^\\s]+$' }),
          /** Delivery attempts before the push is given up (exponential backoff from 1 s). */
          attempts: Type.Integer({ minimum: 1, maximum: 100, default: 8 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** The billing section of the config. */
export type BillingSettings = Static<typeof BillingSchema>;
