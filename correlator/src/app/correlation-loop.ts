import type { Logger } from '@faultline/shared';
import type { CorrelationStep } from '../adapters/correlation-pg.js';

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
}

/**
 * Runs the correlation step on a timer and whenever kicked (after each event batch). All state
 * lives in PostgreSQL (alarms with the time they were raised, incidents, outages, the outbox), so
 * a restarted correlator picks up held alarms and unsent jobs where the last one left them.
 */
export function createCorrelationLoop(deps: CorrelationLoopDeps) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;

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
    running = runOnce().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        schedule(0);
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
      else schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
