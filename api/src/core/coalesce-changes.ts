import type { AlarmChange } from '@faultline/shared';

/**
 * Reduces a burst of alarm changes to at most one per alarm id, keeping the latest change of
 * each and the order in which their latest changes arrived. Every change carries the whole
 * alarm, so the last one alone brings a client up to date; this is what keeps a trap storm from
 * flooding browsers with thousands of updates to the same few alarms.
 */
export function coalesceChanges(changes: readonly AlarmChange[]): AlarmChange[] {
  const latest = new Map<string, AlarmChange>();
  for (const change of changes) {
    // Deleting first moves a re-changed alarm to the end, so order follows the latest change.
    latest.delete(change.alarm.id);
    latest.set(change.alarm.id, change);
  }
  return [...latest.values()];
}
