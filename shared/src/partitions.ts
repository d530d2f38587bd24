import { createHash } from 'node:crypto';
import type { FaultEvent } from './event.js';

/**
 * Event partitions: each event goes to one of P partitions by a hash of the reduction key it reads
 * or writes, so all events of one alarm meet in one partition, applied by its one owner (the
 * correlator holding the partition's lease, see docs/correlator.md).
 */

/** The partition queue of `events` number `partition` (BullMQ names may not contain `:`). */
export function eventsPartitionQueue(partition: number): string {
  return `events-p${String(partition)}`;
}

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

/**
 * The partition of a reduction key among `partitions`: FNV-1a (32 bits) of its UTF-16 code units,
 * modulo the count. Stable across processes and versions: producers and correlators must agree.
 */
export function partitionOfKey(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/** An event's partition: that of the key it reads or writes. */
export function partitionOf(event: FaultEvent, partitions: number): number {
  return partitionOfKey(keyOf(event), partitions);
}

/** The events of a batch by partition, each list in the batch's order; empty partitions absent. */
export function splitByPartition(
  events: readonly FaultEvent[],
  partitions: number,
): Map<number, FaultEvent[]> {
  const byPartition = new Map<number, FaultEvent[]>();
  for (const event of events) {
    const partition = partitionOf(event, partitions);
    const list = byPartition.get(partition);
    if (list === undefined) byPartition.set(partition, [event]);
    else list.push(event);
  }
  return byPartition;
}

/**
 * The identity of a batch: a digest of its event ids, in order. It is the job id producers give a
 * batch (adding the same batch again, a retry after a lost reply, finds the existing job) and the
 * key under which a correlator remembers it applied the batch (a redelivered batch is skipped
 * whole). BullMQ rejects ids with `:` or made of digits only; a hex digest behind a letter prefix
 * is neither.
 */
export function batchJobId(events: readonly Pick<FaultEvent, 'id'>[]): string {
  const hash = createHash('sha256');
  for (const event of events) hash.update(event.id).update('\n');
  return `eb-${hash.digest('hex').slice(0, 40)}`;
}
