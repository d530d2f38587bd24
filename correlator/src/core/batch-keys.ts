import type { FaultEvent } from '@faultline/shared';

/**
 * The reduction key an event clears, or undefined when the event is a problem. An event of
 * severity `cleared` without a clear key ends its own reduction key: opening an alarm of
 * severity `cleared` would mean nothing to anyone.
 */
export function clearKeyOf(event: FaultEvent): string | undefined {
  if (event.severity !== 'cleared') return undefined;
  return event.clearKey ?? event.reductionKey;
}

/** The one reduction key an event reads or writes: its clear key if it clears, else its own. */
export function keyOf(event: FaultEvent): string {
  return clearKeyOf(event) ?? event.reductionKey;
}

/** Every reduction key a batch may read or write, sorted. */
export function keysOfBatch(events: readonly FaultEvent[]): string[] {
  return [...new Set(events.map(keyOf))].sort();
}

/**
 * Splits a batch into parts touching at most `maxKeys` keys each, every key's events in one part.
 * Since each event touches exactly one key, the parts are independent: applying them one after the
 * other gives the same alarms as applying the whole batch, and bounds the locks one transaction
 * holds.
 */
export function partitionByKeys(events: readonly FaultEvent[], maxKeys: number): FaultEvent[][] {
  const byKey = new Map<string, FaultEvent[]>();
  for (const event of events) {
    const key = keyOf(event);
    const group = byKey.get(key);
    if (group === undefined) byKey.set(key, [event]);
    else group.push(event);
  }
  const keys = [...byKey.keys()].sort();
  const parts: FaultEvent[][] = [];
  for (let start = 0; start < keys.length; start += Math.max(1, maxKeys)) {
    parts.push(
      keys.slice(start, start + Math.max(1, maxKeys)).flatMap((key) => byKey.get(key) ?? []),
    );
  }
  return parts;
}
