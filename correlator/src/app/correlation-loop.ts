import type { Logger } from '@faultline/shared';
import type { CorrelationStep, StepPace } from '../ports.js';

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
  /**
   * The pace shared with the other correlators (Redis); without it this loop paces only itself.
   * A pace that cannot be read lets the step run (the correlation lock still serializes them).
   */
  readonly pace?: StepPace;
}

/** Correlation steps by outcome: run, skipped (another held the lock), rested (the shared pace deferred it). */
export interface CorrelationStepCounts {
  ran: number;
  skipped: number;
  rested: number;
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
 *
 * With a shared `pace`, the rest and the interval hold every correlator: a step waits for the rest
 * of the last step anywhere (a timed one for the interval too), so two correlators run the step as
 * often as one instead of back to back (each would otherwise rest only after its own steps).
 */
export function createCorrelationLoop(deps: CorrelationLoopDeps) {
  const now = deps.now ?? (() => performance.now());
  const counts: CorrelationStepCounts = { ran: 0, skipped: 0, rested: 0 };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  /** Kicked since the last step started: only the rest holds it, not the interval. */
  let kicked = false;
  /** When the last step may be followed by a kicked one. */
  let restedAt = 0;

  /** Ms until the shared pace lets this step start (0 without a pace, or when it is unreadable). */
  async function pacedWaitMs(): Promise<number> {
    if (deps.pace === undefined) return 0;
    try {
      const { restMs, dueMs } = await deps.pace.read();
      restedAt = Math.max(restedAt, now() + restMs);
      return kicked ? restMs : Math.max(restMs, dueMs);
    } catch (error) {
      deps.logger.warn({ err: error }, 'correlation step pace not read; stepping anyway');
      return 0;
    }
  }

  /** One step and its publication; true when it ran (this process held the lock). */
  async function runOnce(): Promise<boolean> {
    try {
      const result = await deps.step();
      if (result.skipped) counts.skipped += 1;
      else {
        counts.ran += 1;
        await deps.publish(result);
      }
      await deps.flush();
      return !result.skipped;
    } catch (error) {
      deps.logger.error({ err: error }, 'correlation step failed; retrying on the next tick');
      return false;
    }
  }

  /** A step unless the shared pace defers it; the ms until the next tick. */
  async function paced(): Promise<number> {
    const waitMs = await pacedWaitMs();
    if (waitMs > 0) {
      // A kick during the read is in `kicked` already, and in the wait.
      again = false;
      counts.rested += 1;
      return waitMs;
    }
    kicked = false;
    const startedAt = now();
    const ran = await runOnce();
    const endedAt = now();
    restedAt = endedAt + (endedAt - startedAt);
    if (ran && deps.pace !== undefined) {
      await deps.pace.ended(endedAt - startedAt, deps.intervalMs).catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'correlation step pace not recorded');
      });
    }
    if (!again) return deps.intervalMs;
    again = false;
    return Math.max(0, restedAt - now());
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
    let nextMs = deps.intervalMs;
    running = paced()
      .then((ms) => {
        nextMs = ms;
      })
      .finally(() => {
        running = undefined;
        schedule(nextMs);
      });
  }

  return {
    /** Steps by outcome since start. */
    steps: counts as Readonly<CorrelationStepCounts>,
    start(): void {
      stopped = false;
      schedule(0);
    },
    /** Runs a step soon (coalesced with one in flight). */
    kick(): void {
      if (stopped) return;
      kicked = true;
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
