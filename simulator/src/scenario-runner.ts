import type { Logger } from '@faultline/shared';
import type { Scenario, ScenarioAction } from './core/scenario.js';
import {
  dueActions,
  scenarioLengthMs,
  scheduleScenario,
  type TimedAction,
} from './core/schedule.js';

/** A scenario that has started. */
export interface ScenarioRun {
  readonly name: string;
  readonly steps: number;
  /** How long it lasts at the speed it runs, ms. */
  readonly lengthMs: number;
  /** Settles when every step has been performed (or the run was cancelled); never rejects. */
  readonly done: Promise<{ readonly failedSteps: number; readonly cancelled: boolean }>;
}

/** Runs scenarios: times the steps, performs each in order, and cancels on stop. */
export interface ScenarioRunner {
  start(scenario: Scenario, speedup: number): ScenarioRun;
  /** Cancels every run; steps already started finish. */
  cancelAll(): Promise<void>;
}

/**
 * Creates a runner. Steps are timed on the real monotonic clock (a scenario takes the time it
 * says, divided by its speedup, even when the network's clock is injected), and performed one
 * after the other: a late timer delays a step but never reorders two.
 */
export function createScenarioRunner(deps: {
  readonly perform: (action: ScenarioAction, speedup: number) => Promise<void>;
  readonly logger: Logger;
}): ScenarioRunner {
  const cancels = new Set<() => void>();
  const runs = new Set<Promise<unknown>>();

  return {
    start(scenario, speedup) {
      const startMs = performance.now();
      let pending: TimedAction[] = scheduleScenario(scenario, startMs, speedup);
      const logger = deps.logger.child({ scenario: scenario.name });
      let timer: NodeJS.Timeout | undefined;
      // Read through a function: cancel() flips it while the loop below awaits.
      const status = { cancelled: false };
      const isCancelled = (): boolean => status.cancelled;
      let wake: (() => void) | undefined;
      const cancel = (): void => {
        status.cancelled = true;
        if (timer !== undefined) clearTimeout(timer);
        wake?.();
      };
      cancels.add(cancel);

      const drive = async (): Promise<{ failedSteps: number; cancelled: boolean }> => {
        let failedSteps = 0;
        logger.info({ steps: scenario.steps.length }, 'scenario started');
        while (!isCancelled() && pending.length > 0) {
          const split = dueActions(pending, performance.now());
          pending = split.pending;
          for (const timed of split.due) {
            if (isCancelled()) break;
            try {
              logger.info(
                { step: timed.step, action: timed.action.action, note: timed.note },
                'scenario step',
              );
              await deps.perform(timed.action, speedup);
            } catch (error) {
              failedSteps++;
              logger.warn({ err: error, step: timed.step }, 'scenario step failed');
            }
          }
          const next = pending[0];
          if (next === undefined || isCancelled()) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, Math.max(0, next.atMs - performance.now()));
          });
        }
        cancels.delete(cancel);
        const { cancelled } = status;
        logger.info({ failedSteps, cancelled }, cancelled ? 'scenario cancelled' : 'scenario done');
        return { failedSteps, cancelled };
      };
      const done = drive();
      runs.add(done);
      void done.finally(() => runs.delete(done));
      return {
        name: scenario.name,
        steps: scenario.steps.length,
        lengthMs: Math.round(scenarioLengthMs(scenario) / (speedup > 0 ? speedup : 1)),
        done,
      };
    },
    async cancelAll() {
      for (const cancel of cancels) cancel();
      await Promise.allSettled([...runs]);
    },
  };
}
