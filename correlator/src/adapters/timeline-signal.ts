import type { Redis } from 'ioredis';
import { channels, type Logger, type TimelineGrew } from '@faultline/shared';

/** Tells the dashboards an incident's timeline grew (`channels(prefix).timelines`). */
export type TimelineSignal = (incidentId: string) => Promise<void>;

/**
 * Publishes `TimelineGrew` on Redis. Best effort: the entry is stored already, and a page that
 * misses the signal shows it on its next load, so a failed publish is logged, never thrown (it
 * must not make the ticket or paging job retry).
 */
export function createTimelineSignal(deps: {
  readonly redis: Redis;
  readonly prefix: string;
  readonly logger: Logger;
}): TimelineSignal {
  const channel = channels(deps.prefix).timelines;
  return async (incidentId) => {
    const grew: TimelineGrew = { incidentId };
    try {
      await deps.redis.publish(channel, JSON.stringify(grew));
    } catch (error) {
      deps.logger.warn({ err: error, incidentId }, 'timeline signal not published');
    }
  };
}
