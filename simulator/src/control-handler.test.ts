import { describe, expect, it, vi } from 'vitest';
import { createLogger, type ControlReply } from '@faultline/shared';
import { handleControlMessage, UnknownScenarioError } from './control-handler.js';
import type { ScenarioRun } from './scenario-runner.js';

const logger = createLogger({ level: 'silent' });

/** Handles one payload with a simulator that knows `fibre-cut` only; returns the answers. */
async function answersTo(payload: string): Promise<[string, ControlReply][]> {
  const replies: [string, ControlReply][] = [];
  handleControlMessage(payload, {
    runScenario: (name, options) => {
      if (name === 'broken') return Promise.reject(new Error('scenario "broken" cannot run'));
      if (name !== 'fibre-cut') {
        return Promise.reject(new UnknownScenarioError(`no scenario named "${name}"`));
      }
      const run: ScenarioRun = {
        name,
        steps: 4,
        lengthMs: 190_000 / options.speedup,
        done: Promise.resolve({ failedSteps: 0, cancelled: false }),
      };
      return Promise.resolve(run);
    },
    listScenarios: () =>
      Promise.resolve([{ name: 'fibre-cut', description: 'A fibre is cut', valid: true }]),
    reply: (topic, answer) => replies.push([topic, answer]),
    logger,
  });
  // The handler answers asynchronously; every path settles within a few microtasks.
  await vi.waitFor(() => {
    if (payload.includes('replyTo')) expect(replies.length).toBe(1);
  });
  return replies;
}

describe('handleControlMessage', () => {
  it.each<[string, string, [string, ControlReply][]]>([
    [
      'runs a scenario and answers on replyTo',
      '{"scenario":"fibre-cut","speedup":10,"id":"a1","replyTo":"p/simulator/reply/a1"}',
      [
        [
          'p/simulator/reply/a1',
          { id: 'a1', ok: true, scenario: 'fibre-cut', steps: 4, lengthMs: 19_000 },
        ],
      ],
    ],
    [
      'answers an unknown scenario with its error',
      '{"scenario":"nope","id":"a2","replyTo":"r"}',
      [
        [
          'r',
          { id: 'a2', ok: false, error: 'no scenario named "nope"', reason: 'unknown-scenario' },
        ],
      ],
    ],
    [
      'answers a scenario that cannot run as failed',
      '{"scenario":"broken","id":"a4","replyTo":"r"}',
      [['r', { id: 'a4', ok: false, error: 'scenario "broken" cannot run', reason: 'failed' }]],
    ],
    [
      'lists scenarios',
      '{"list":true,"id":"a3","replyTo":"r"}',
      [
        [
          'r',
          {
            id: 'a3',
            ok: true,
            scenarios: [{ name: 'fibre-cut', description: 'A fibre is cut', valid: true }],
          },
        ],
      ],
    ],
    ['runs without answering when there is no replyTo', '{"scenario":"fibre-cut"}', []],
    ['ignores a malformed message', 'not json', []],
  ])('%s', async (_, payload, expected) => {
    expect(await answersTo(payload)).toEqual(expected);
  });
});
