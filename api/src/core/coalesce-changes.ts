/**
 * Reduces a burst of changes to at most one per key (an alarm id, an incident id), keeping the
 * latest change of each and the order in which their latest changes arrived. Every change carries
 * the whole record, so the last one alone brings a client up to date; this is what keeps a trap
 * storm from flooding browsers with thousands of updates to the same few alarms.
 */
export function coalesceChanges<T>(changes: readonly T[], keyOf: (change: T) => string): T[] {
  const latest = new Map<string, T>();
  for (const change of changes) {
    const key = keyOf(change);
    // Deleting first moves a re-changed record to the end, so order follows the latest change.
    latest.delete(key);
    latest.set(key, change);
  }
  return [...latest.values()];
}
