import type { Alarm, FaultEvent } from '@faultline/shared';
import type { InterfacePoint } from './core/interface-points.js';
import type { TelemetryPoint } from './core/telemetry-message.js';

/** Where events go: the `events` queue, batched. */
export interface EventSink {
  /** Takes an event for delivery; false when it had to be dropped (stopped, or over capacity). */
  enqueue(event: FaultEvent): boolean;
  /** Sends what is buffered and stops; waits for events already taken. */
  close(): Promise<void>;
}

/**
 * The correlator's mirror of open alarms (shared `hotStateKeys(prefix).openAlarms`), read-only:
 * PostgreSQL holds the truth, but the collector reaches only Redis.
 */
export interface OpenAlarmReader {
  /**
   * The open alarms under these reduction keys; keys with none are absent. Rejects when Redis
   * cannot answer.
   */
  read(reductionKeys: readonly string[]): Promise<ReadonlyMap<string, Alarm>>;
}

/**
 * Where metrics go. Both writes are synchronous: when one returns, the points are in the writer's
 * buffer (what MQTT acknowledgements wait for).
 */
export interface MetricsWriter {
  write(points: readonly InterfacePoint[]): void;
  writeTelemetry(points: readonly TelemetryPoint[]): void;
  /** Sends what is buffered and releases the connection. */
  close(): Promise<void>;
}

/** One refused message, kept for inspection. */
export interface DeadLetter {
  readonly timeMs: number;
  readonly topic: string;
  readonly reason: string;
  /** What exactly was wrong (the first problem found). */
  readonly detail: string;
  /** Size of the whole payload. */
  readonly payloadBytes: number;
  /** The start of the payload as UTF-8 text (the first 4 KiB). */
  readonly payload: string;
  readonly truncated: boolean;
}

/** A capped list of refused messages. */
export interface DeadLetterStore {
  /** Resolves once stored; rejects when Redis cannot take it (the caller counts that). */
  push(letter: DeadLetter): Promise<void>;
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

/**
 * Who polls which device when several collectors run (Redis): each collector is a member under a
 * lease; each device is owned by one member under a lease, at most its share of the devices.
 */
export interface PollOwners {
  /**
   * Renews this member and its devices, gives up those over its share, takes unowned or expired
   * ones up to it; resolves with the devices it owns now, each with the time its last poll by
   * anyone began (epoch ms; undefined when never polled). Rejects when Redis cannot answer.
   */
  claim(member: string): Promise<Map<string, number | undefined>>;
  /** Records that a poll of the device began now (what a next owner continues from). */
  polled(device: string, timeMs: number): Promise<void>;
  /** Gives up the member and every device it owns, for the others to take at once. */
  release(member: string): Promise<void>;
  close(): Promise<void>;
}
