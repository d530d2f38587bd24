import type { Logger } from '@faultline/shared';
import type { CorrelationStep } from '../ports.js';

/** What the correlation loop needs. */
export interface CorrelationLoopDeps {
  /** One correlation step (PostgreSQL, under its lock). */
  readonly step: () => Promise<CorrelationStep>;
  /** Publishes a step's results (hot state, incident channel). */
  readonly publish: (step: CorrelationStep) => Promise<void>;
  /** Enqueues the jobs waiting in the outbox. */
  readonly flush: () => Promise<number>;
  /** Time between steps. */
  readonly intervalMs: number;
  readonly logger: Logger;
  /** Monotonic milliseconds, to time the steps (default `performance.now`). */
  readonly now?: () => number;
}

/**
 * Runs the correlation step on a timer and whenever kicked (after each event batch). All state
 * lives in PostgreSQL (alarms with the time they were raised, incidents, outages, the outbox), so
 * a restarted correlator picks up held alarms and unsent jobs where the last one left them.
 *
 * A kicked step starts no sooner after the last one ended than the last one took. A step reads
 * every open alarm and incident, so in a storm it grows with the network's trouble; kicked after
 * every batch it would run back to back and starve the event batches of CPU (profiled: 2k
 * events/s with 5,000 open incidents). Resting as long as it ran keeps it under half the process
 * and costs a small network nothing (a 2 ms step rests 2 ms).
 */
export function createCorrelationLoop(deps: CorrelationLoopDeps) {
  const now = deps.now ?? (() => performance.now());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  /** When the last step may be followed by a kicked one. */
  let restedAt = 0;

  async function runOnce(): Promise<void> {
    try {
      const result = await deps.step();
      if (!result.skipped) await deps.publish(result);
      await deps.flush();
    } catch (error) {
      deps.logger.error({ err: error }, 'correlation step failed; retrying on the next tick');
    }
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
  }

  function tick(): void {
    timer = undefined;
    if (running !== undefined) {
      again = true;
      return;
    }
    const startedAt = now();
    running = runOnce().finally(() => {
      running = undefined;
      const endedAt = now();
      restedAt = endedAt + (endedAt - startedAt);
      if (again) {
        again = false;
        schedule(restedAt - endedAt);
      } else schedule(deps.intervalMs);
    });
  }

  return {
    start(): void {
      stopped = false;
      schedule(0);
    },
    /** Runs a step soon (coalesced with one in flight). */
    kick(): void {
      if (stopped) return;
      if (running !== undefined) again = true;
      else schedule(Math.max(0, restedAt - now()));
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
