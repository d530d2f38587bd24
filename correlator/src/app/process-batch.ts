import { batchJobId, type EventBatch, type FaultEvent, type Logger } from '@faultline/shared';
import type { AlarmDecision } from '../core/alarm-reducer.js';
import { countDecisions, type DecisionCounts } from '../core/decision-counts.js';
import type { AlarmStore, HotState } from '../ports.js';

/** What processing batches needs. */
export interface ProcessBatchDeps {
  /** The partition whose batches this applies (its lease is this process's). */
  readonly partition: number;
  readonly store: AlarmStore;
  readonly hotState: HotState;
  readonly logger: Logger;
  /** Called after each commit (the correlation step runs soon after). */
  readonly afterBatch?: () => void;
  /**
   * Most events applied together (default 20,000): batches that arrive while others are being
   * applied wait and are then applied together, up to this many events.
   */
  readonly maxEventsPerCommit?: number;
}

const DEFAULT_MAX_EVENTS_PER_COMMIT = 20_000;

/** A batch waiting to be applied, and the job waiting for it. */
interface Waiting {
  /** `batchJobId(events)`: the batch's identity, under which it is applied once. */
  readonly id: string;
  readonly events: readonly FaultEvent[];
  readonly resolve: (counts: DecisionCounts) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The use-case behind each job of a partition's events queue: commit its events to the alarm
 * store (a batch applied before is skipped whole), then mirror and publish them while the
 * partition is still locked. A job's promise settles only once its events are
 * committed (or the commit failed, and the job is retried), so nothing is acknowledged early.
 *
 * Group commit: while one set of batches is being applied, the batches that arrive wait, and are
 * then applied together. Under load the store sees few, large commits, and an alarm repeated in
 * many batches is written, mirrored and published once per commit instead of once per batch; at
 * rest a batch is applied as soon as it arrives.
 */
export function createProcessBatch(
  deps: ProcessBatchDeps,
): (batch: EventBatch) => Promise<DecisionCounts> {
  const maxEvents = deps.maxEventsPerCommit ?? DEFAULT_MAX_EVENTS_PER_COMMIT;
  let waiting: Waiting[] = [];
  let applying = false;

  /** Takes waiting batches, in arrival order, up to `maxEvents` events (always at least one). */
  function takeGroup(): Waiting[] {
    let events = 0;
    let taken = 0;
    for (const entry of waiting) {
      if (taken > 0 && events + entry.events.length > maxEvents) break;
      events += entry.events.length;
      taken += 1;
    }
    const group = waiting.slice(0, taken);
    waiting = waiting.slice(taken);
    return group;
  }

  async function applyGroup(group: readonly Waiting[]): Promise<void> {
    try {
      const applied = await deps.store.applyBatch(deps.partition, group, (committed) =>
        deps.hotState.mirror(committed),
      );
      deps.afterBatch?.();
      const decisions = decisionsByBatch(group, applied.decisions);
      group.forEach((entry, index) => {
        const counts = countDecisions(decisions[index] ?? []);
        deps.logger.debug({ events: entry.events.length, ...counts }, 'event batch applied');
        entry.resolve(counts);
      });
      if (group.length > 1) {
        deps.logger.debug({ batches: group.length }, 'event batches committed together');
      }
    } catch (error) {
      for (const entry of group) entry.reject(error);
    }
  }

  async function drain(): Promise<void> {
    applying = true;
    try {
      while (waiting.length > 0) await applyGroup(takeGroup());
    } finally {
      applying = false;
    }
  }

  return (batch) =>
    new Promise<DecisionCounts>((resolve, reject) => {
      waiting.push({ id: batchJobId(batch.events), events: batch.events, resolve, reject });
      if (!applying) void drain();
    });
}

/**
 * The decisions of a commit, split by the batch each event came in. Each event object belongs to
 * one batch; an event the store had to copy (one carrying a NUL) is found by its id instead.
 */
function decisionsByBatch(
  group: readonly Waiting[],
  decisions: readonly AlarmDecision[],
): AlarmDecision[][] {
  if (group.length === 1) return [[...decisions]];
  const batchOf = new Map<FaultEvent, number>();
  group.forEach((entry, index) => {
    for (const event of entry.events) batchOf.set(event, index);
  });
  let batchById: Map<string, number> | undefined;
  const byBatch = group.map((): AlarmDecision[] => []);
  for (const decision of decisions) {
    let index = batchOf.get(decision.event);
    if (index === undefined) {
      batchById ??= new Map([...batchOf].reverse().map(([event, at]) => [event.id, at]));
      index = batchById.get(decision.event.id) ?? 0;
    }
    byBatch[index]?.push(decision);
  }
  return byBatch;
}
