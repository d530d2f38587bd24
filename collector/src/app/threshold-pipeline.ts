import type { Logger, ThresholdRule } from '@faultline/shared';
import {
  evaluateThresholds,
  thresholdEvent,
  type SeriesState,
  type ThresholdSample,
} from '../core/thresholds.js';
import { createCounters, type Counters, type EventSink } from '../ports.js';

/** What the threshold rules count. */
export const THRESHOLD_COUNTER_NAMES = [
  /** Raise events sent. */
  'raised',
  /** Clear events sent. */
  'cleared',
  /** Threshold events the queue could not take. */
  'dropped',
] as const;
/** A threshold counter. */
export type ThresholdCounterName = (typeof THRESHOLD_COUNTER_NAMES)[number];

/** Samples → threshold rules → events. */
export interface ThresholdPipeline {
  observe(samples: readonly ThresholdSample[]): void;
  readonly counters: Readonly<Counters<ThresholdCounterName>>;
}

/**
 * Keeps the state of every series that is pending or raised (normal series are forgotten, so memory
 * follows the number of open problems, not of readings) and sends each raise and clear to the
 * events queue. State is in memory: after a restart a raised series raises again once it is seen
 * beyond its level for `forS`, which the correlator deduplicates under the same reduction key.
 */
export function createThresholdPipeline(deps: {
  readonly rules: readonly ThresholdRule[];
  readonly sink: EventSink;
  readonly newId: () => string;
  readonly logger: Logger;
}): ThresholdPipeline {
  const counters = createCounters(THRESHOLD_COUNTER_NAMES);
  const states = new Map<string, SeriesState>();
  return {
    counters,
    observe(samples) {
      if (deps.rules.length === 0) return;
      for (const sample of samples) {
        const { updates, decisions } = evaluateThresholds(states, deps.rules, sample);
        for (const [key, state] of updates) {
          if (state.status === 'normal') states.delete(key);
          else states.set(key, state);
        }
        for (const decision of decisions) {
          const event = thresholdEvent(decision, deps.newId());
          counters[decision.kind] += 1;
          deps.logger.info(
            { rule: decision.rule.name, device: event.device, reductionKey: event.reductionKey },
            decision.kind === 'raised' ? 'threshold raised' : 'threshold cleared',
          );
          if (!deps.sink.enqueue(event)) counters.dropped += 1;
        }
      }
    },
  };
}
