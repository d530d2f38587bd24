import { describe, expect, it } from 'vitest';
import type { Scenario, ScenarioAction } from './scenario.js';
import { dueActions, scenarioLengthMs, scheduleScenario } from './schedule.js';

const down = (device: string): ScenarioAction => ({
  action: 'linkDown',
  device,
  interface: 'xe-0/0/0',
});
const scenario = (steps: [number, ScenarioAction][]): Scenario => ({
  name: 'test',
  description: 'test',
  steps: steps.map(([atMs, action]) => ({ atMs, note: undefined, action })),
});
const START = Date.UTC(2026, 10, 25, 10);

describe('scheduleScenario', () => {
  it.each<[string, [number, ScenarioAction][], number, [number, number][]]>([
    ['one step at zero', [[0, down('a')]], 1, [[START, 0]]],
    [
      'steps out of order are sorted by time',
      [
        [5_000, down('a')],
        [1_000, down('b')],
      ],
      1,
      [
        [START + 1_000, 1],
        [START + 5_000, 0],
      ],
    ],
    [
      'steps at the same time keep file order',
      [
        [2_000, down('a')],
        [2_000, down('b')],
        [0, down('c')],
      ],
      1,
      [
        [START, 2],
        [START + 2_000, 0],
        [START + 2_000, 1],
      ],
    ],
    [
      'a speedup divides offsets, rounded to ms',
      [
        [190_000, down('a')],
        [1_000, down('b')],
      ],
      30,
      [
        [START + 33, 1],
        [START + 6_333, 0],
      ],
    ],
    ['a nonsensical speedup counts as 1', [[1_000, down('a')]], 0, [[START + 1_000, 0]]],
  ])('%s', (_, steps, speedup, expected) => {
    const timed = scheduleScenario(scenario(steps), START, speedup);
    expect(timed.map((t) => [t.atMs, t.step])).toEqual(expected);
  });
});

describe('dueActions', () => {
  const timed = scheduleScenario(
    scenario([
      [0, down('a')],
      [1_000, down('b')],
      [1_000, down('c')],
      [3_000, down('d')],
    ]),
    START,
  );
  it.each<[number, number[], number[]]>([
    [START - 1, [], [0, 1, 2, 3]],
    [START, [0], [1, 2, 3]],
    [START + 1_000, [0, 1, 2], [3]],
    [START + 2_999, [0, 1, 2], [3]],
    [START + 60_000, [0, 1, 2, 3], []],
  ])('at %d', (now, due, pending) => {
    const split = dueActions(timed, now);
    expect(split.due.map((t) => t.step)).toEqual(due);
    expect(split.pending.map((t) => t.step)).toEqual(pending);
  });
});

describe('scenarioLengthMs', () => {
  it.each<[string, [number, ScenarioAction][], number]>([
    [
      'the last step',
      [
        [0, down('a')],
        [190_000, down('b')],
      ],
      190_000,
    ],
    [
      "a reboot's silence",
      [
        [10_000, { action: 'reboot', device: 'a', downForMs: 45_000 }],
        [20_000, down('b')],
      ],
      55_000,
    ],
  ])('%s', (_, steps, expected) => {
    expect(scenarioLengthMs(scenario(steps))).toBe(expected);
  });
});
