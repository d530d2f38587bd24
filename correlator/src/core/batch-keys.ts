import { keyOf, type FaultEvent } from '@faultline/shared';

/** Every reduction key a batch may read or write, sorted. */
export function keysOfBatch(events: readonly FaultEvent[]): string[] {
  return [...new Set(events.map(keyOf))].sort();
}
