import type { FaultEvent } from '@faultline/shared';
import type { InterfacePoint } from './core/interface-points.js';

/** Where events go: the `events` queue, batched. */
export interface EventSink {
  /** Takes an event for delivery; false when it had to be dropped (stopped, or over capacity). */
  enqueue(event: FaultEvent): boolean;
  /** Sends what is buffered and stops; waits for events already taken. */
  close(): Promise<void>;
}

/** Where interface metrics go. */
export interface MetricsWriter {
  write(points: readonly InterfacePoint[]): void;
  /** Sends what is buffered and releases the connection. */
  close(): Promise<void>;
}

/** Now, in epoch ms: injected so the app layer can be tested on a timeline. */
export type Clock = () => number;

/** Monotonic counters of one part of the collector, by name. */
export type Counters<Name extends string> = Record<Name, number>;

/** Creates a set of counters, all at zero. */
export function createCounters<Name extends string>(names: readonly Name[]): Counters<Name> {
  return Object.fromEntries(names.map((name) => [name, 0])) as Counters<Name>;
}
