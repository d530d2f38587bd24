import type { ComponentMetric } from '@faultline/shared';
import type { EventWorkerCounters } from './adapters/event-worker.js';
import type { DecisionCounts } from './core/decision-counts.js';

const counter = (
  name: string,
  help: string,
  value: number,
  labels?: Record<string, string>,
): ComponentMetric => ({
  name: `faultline_correlator_${name}`,
  help,
  type: 'counter',
  value,
  ...(labels ? { labels } : {}),
});

/**
 * The correlator's counters as metrics: the partitions' event batches by outcome (the rejected
 * and exhausted ones are events not applied), the alarm decisions of the events applied, and the
 * batches of the shared `events` queue routed to the partitions, by outcome.
 */
export function correlatorMetrics(
  batches: Readonly<EventWorkerCounters>,
  decisions: Readonly<DecisionCounts>,
  routed: Readonly<EventWorkerCounters>,
): ComponentMetric[] {
  const routedHelp =
    "Batches of the shared events queue by outcome: routed (every part applied), retried, rejected (invalid: lost), exhausted (failed their last attempt). The partitions' counters count their parts again.";
  return [
    counter('event_batches_applied_total', 'Event batches applied.', batches.applied),
    counter(
      'event_batches_retried_total',
      'Attempts to apply an event batch that failed and will be retried.',
      batches.retried,
    ),
    counter(
      'event_batches_rejected_total',
      'Event batches refused as invalid: not retried, their events are lost.',
      batches.rejected,
    ),
    counter(
      'event_batches_exhausted_total',
      'Event batches that failed their last attempt and wait in the failed set, not applied.',
      batches.exhausted,
    ),
    ...Object.entries(decisions).map(([decision, value]) =>
      counter('events_total', 'Events applied, by the alarm decision they made.', value, {
        decision,
      }),
    ),
    ...(
      [
        ['routed', routed.applied],
        ['retried', routed.retried],
        ['rejected', routed.rejected],
        ['exhausted', routed.exhausted],
      ] as const
    ).map(([outcome, value]) => counter('routed_batches_total', routedHelp, value, { outcome })),
  ];
}
