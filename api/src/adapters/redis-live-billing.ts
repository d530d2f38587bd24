import type { Redis } from 'ioredis';
import {
  BillingLiveSchema,
  createValidator,
  liveBillingKey,
  type BillingLive,
  type Logger,
} from '@faultline/shared';
import type { LiveBillingReader } from '../ports.js';

/**
 * Reads the billing bridge's latest live views from Redis (`liveBillingKey`). A view that is not
 * valid JSON of `BillingLive` is logged and left out, like a bad message on the feed.
 */
export function createRedisLiveBilling(deps: {
  redis: Redis;
  prefix: string;
  logger: Logger;
}): LiveBillingReader {
  const validator = createValidator(BillingLiveSchema);
  return {
    async latest(customerIds) {
      if (customerIds.length === 0) return [];
      const texts = await deps.redis.mget(customerIds.map((id) => liveBillingKey(deps.prefix, id)));
      const views: BillingLive[] = [];
      texts.forEach((text, index) => {
        if (text === null) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          deps.logger.warn({ customerId: customerIds[index] }, 'live billing view is not JSON');
          return;
        }
        const checked = validator.check(parsed);
        if (checked.ok) views.push(checked.value);
        else deps.logger.warn({ customerId: customerIds[index] }, 'invalid live billing view');
      });
      return views;
    },
  };
}
