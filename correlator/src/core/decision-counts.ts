import type { AlarmDecision } from './alarm-reducer.js';

/** How many decisions of each kind one batch produced. */
export type DecisionCounts = Record<AlarmDecision['kind'], number>;

/** Counts decisions by kind: the summary logged per batch and returned as the job's result. */
export function countDecisions(decisions: readonly AlarmDecision[]): DecisionCounts {
  const counts: DecisionCounts = {
    raised: 0,
    repeated: 0,
    escalated: 0,
    cleared: 0,
    duplicate: 0,
    orphanClear: 0,
  };
  for (const decision of decisions) counts[decision.kind] += 1;
  return counts;
}

/** The counts of several batches together (a routed batch's parts). */
export function sumCounts(all: readonly DecisionCounts[]): DecisionCounts {
  const total = countDecisions([]);
  for (const counts of all) {
    for (const kind of Object.keys(total) as AlarmDecision['kind'][]) total[kind] += counts[kind];
  }
  return total;
}
