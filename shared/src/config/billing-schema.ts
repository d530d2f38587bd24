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
