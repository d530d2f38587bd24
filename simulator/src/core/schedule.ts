import type { Scenario, ScenarioAction } from './scenario.js';

/** One action of a running scenario, at an absolute time. */
export interface TimedAction {
  /** When the action is due, epoch ms of the simulator's clock. */
  readonly atMs: number;
  /** Position of the step in the scenario file, to name it in logs. */
  readonly step: number;
  readonly note: string | undefined;
  readonly action: ScenarioAction;
}

/**
 * Turns a scenario started at `startMs` into the actions to perform, in the order to perform
 * them: by time, and steps at the same time in file order (a file listing two link cuts at 0s
 * means "this one, then that one"). `speedup` divides every offset, so a ten-minute scenario can
 * run in a test or a demo in seconds; offsets are rounded to whole milliseconds.
 */
export function scheduleScenario(scenario: Scenario, startMs: number, speedup = 1): TimedAction[] {
  const factor = speedup > 0 && Number.isFinite(speedup) ? speedup : 1;
  return scenario.steps
    .map((step, index) => ({
      atMs: startMs + Math.round(step.atMs / factor),
      step: index,
      note: step.note,
      action: step.action,
    }))
    .sort((a, b) => a.atMs - b.atMs || a.step - b.step);
}

/**
 * Splits a schedule at `nowMs`: the actions due (at or before now) and those still to come.
 * A driver calls it whenever a timer fires, so a late timer never reorders actions.
 */
export function dueActions(
  pending: readonly TimedAction[],
  nowMs: number,
): { due: TimedAction[]; pending: TimedAction[] } {
  const split = pending.findIndex((a) => a.atMs > nowMs);
  return split === -1
    ? { due: [...pending], pending: [] }
    : { due: pending.slice(0, split), pending: pending.slice(split) };
}

/** How long a scenario runs: the offset of its last step (a reboot's silence included). */
export function scenarioLengthMs(scenario: Scenario): number {
  return Math.max(
    0,
    ...scenario.steps.map((s) => s.atMs + (s.action.action === 'reboot' ? s.action.downForMs : 0)),
  );
}
