import type { EventBatch, Logger } from '@faultline/shared';
import { countDecisions, type DecisionCounts } from '../core/decision-counts.js';
import type { AlarmStore, HotState } from '../ports.js';

/** What processing a batch needs. */
export interface ProcessBatchDeps {
  readonly store: AlarmStore;
  readonly hotState: HotState;
  readonly logger: Logger;
  /** Called after each batch commits (the correlation step runs soon after). */
  readonly afterBatch?: () => void;
}

/**
 * The use-case behind each `events` job: commit the batch to the alarm store, then mirror and
 * publish it while its keys are still locked. Later stages (flapping, root cause, tickets) hook in
 * here, on the committed decisions.
 */
export function createProcessBatch(
  deps: ProcessBatchDeps,
): (batch: EventBatch) => Promise<DecisionCounts> {
  return async (batch) => {
    const applied = await deps.store.applyBatch(batch.events, (committed) =>
      deps.hotState.mirror(committed),
    );
    deps.afterBatch?.();
    const counts = countDecisions(applied.decisions);
    deps.logger.debug({ events: batch.events.length, ...counts }, 'event batch applied');
    return counts;
  };
}
