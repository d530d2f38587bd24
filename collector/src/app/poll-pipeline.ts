import type { Logger } from '@faultline/shared';
import type { CounterSample, RateDecision } from '../core/counter-math.js';
import { pollToPoints, type DevicePoll } from '../core/interface-points.js';
import type { Inventory } from '../core/inventory.js';
import type { MetricsWriter } from '../ports.js';
import type { InterfacePoint } from '../core/interface-points.js';

/** Counter-math decisions, counted by kind. */
export type SampleOutcomes = Record<RateDecision['kind'], number>;

/** Answered poll → counter math → interface points → metrics writer. */
export interface PollPipeline {
  handle(poll: DevicePoll): void;
  readonly outcomes: Readonly<SampleOutcomes>;
}

/**
 * Keeps the last sample of every counter (in memory: after a restart the first poll of each
 * counter gives no rate) and counts what the counter math decided. Quarantined samples are
 * logged with their numbers, since each is a device counter doing something impossible.
 */
export function createPollPipeline(deps: {
  readonly inventory: Inventory;
  readonly writer: MetricsWriter;
  readonly logger: Logger;
  /** Sees the points of every poll after they are written (threshold rules). */
  readonly onPoints?: (points: readonly InterfacePoint[]) => void;
}): PollPipeline {
  const last = new Map<string, CounterSample>();
  const outcomes: SampleOutcomes = {
    first: 0,
    reset: 0,
    'no-interval': 0,
    rate: 0,
    quarantined: 0,
  };
  return {
    outcomes,
    handle(poll) {
      const { points, samples, decisions } = pollToPoints(last, poll, deps.inventory);
      for (const [key, sample] of samples) last.set(key, sample);
      for (const { device, ifIndex, counter, direction, decision } of decisions) {
        outcomes[decision.kind] += 1;
        if (decision.kind === 'quarantined') {
          deps.logger.warn(
            {
              device,
              ifIndex,
              counter,
              direction,
              ratePerS: decision.ratePerS,
              rateBps: decision.rateBps,
              limitBps: decision.limitBps,
              wrapped: decision.wrapped,
            },
            'counter rate above interface speed; sample quarantined',
          );
        } else if (decision.kind === 'reset') {
          deps.logger.info(
            { device, ifIndex, counter, direction, reason: decision.reason },
            'counter reset',
          );
        }
      }
      if (points.length > 0) {
        deps.writer.write(points);
        deps.onPoints?.(points);
      }
    },
  };
}
