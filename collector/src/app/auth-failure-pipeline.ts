import type { Logger } from '@faultline/shared';
import { authFailureEvent } from '../core/auth-failure-event.js';
import type { Inventory } from '../core/inventory.js';
import type { Clock, EventSink } from '../ports.js';
import { createRateLimiter } from './rate-limiter.js';

/** Refused notifications → at most one security event per source and interval. */
export interface AuthFailurePipeline {
  handle(sourceAddress: string, reason: string): void;
  /** Security events sent. */
  readonly counters: { events: number };
}

/** Default: one security event per source per 15 minutes. */
export const AUTH_FAILURE_EVENT_INTERVAL_MS = 15 * 60_000;

/**
 * Sends an `authFailureEvent` for the first refused notification of a source, then none for that
 * source until the interval is over; the next one reports how many were folded in. The limiter's
 * memory is bounded, so spoofed source addresses cannot grow it without end.
 */
export function createAuthFailurePipeline(deps: {
  readonly inventory: Pick<Inventory, 'deviceByAddress'>;
  readonly sink: EventSink;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly intervalMs?: number;
}): AuthFailurePipeline {
  const limiter = createRateLimiter({
    intervalMs: deps.intervalMs ?? AUTH_FAILURE_EVENT_INTERVAL_MS,
    clock: deps.clock,
  });
  const counters = { events: 0 };
  return {
    counters,
    handle(sourceAddress, reason) {
      const decision = limiter.check(sourceAddress);
      if (decision.kind === 'suppress') return;
      const event = authFailureEvent({
        id: deps.newId(),
        timeMs: deps.clock(),
        sourceAddress,
        device: deps.inventory.deviceByAddress(sourceAddress)?.name,
        reason,
        suppressedBefore: decision.suppressedBefore,
      });
      deps.logger.warn(
        { source: sourceAddress, reason, suppressedBefore: decision.suppressedBefore },
        'notification failed authorization',
      );
      counters.events += 1;
      deps.sink.enqueue(event);
    },
  };
}
