import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { describe, expect, it } from 'vitest';
import { adminRoutes, type SimulatorCommand, type SimulatorOutcome } from './admin.js';

/** The admin routes alone, in front of a simulator that answers `outcome` to every command. */
async function appAnswering(outcome: SimulatorOutcome) {
  const sent: SimulatorCommand[] = [];
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  await app.register(adminRoutes, {
    simulator: {
      topic: 'p/simulator/control',
      send: (command) => {
        sent.push(command);
        return Promise.resolve(outcome);
      },
    },
  });
  await app.ready();
  return { app, sent };
}

const started: SimulatorOutcome = {
  status: 'answered',
  reply: { id: 'a', ok: true, scenario: 'fibre-cut', steps: 4, lengthMs: 19_000 },
};
const listed: SimulatorOutcome = {
  status: 'answered',
  reply: {
    id: 'a',
    ok: true,
    scenarios: [{ name: 'fibre-cut', description: 'A fibre is cut', valid: true }],
  },
};
const unknown: SimulatorOutcome = {
  status: 'answered',
  reply: { id: 'a', ok: false, error: 'no scenario named "x"', reason: 'unknown-scenario' },
};
const invalid: SimulatorOutcome = {
  status: 'answered',
  reply: { id: 'a', ok: false, error: 'scenario "x" cannot run', reason: 'failed' },
};
const silent: SimulatorOutcome = {
  status: 'unavailable',
  message: 'no simulator answered on p/simulator/control within 5 s',
};

describe('POST /api/admin/scenarios/:name/run', () => {
  it.each<[string, SimulatorOutcome, number, string | undefined]>([
    ['started', started, 202, undefined],
    ['unknown to the simulator', unknown, 404, 'no scenario named "x"'],
    ['refused for another reason', invalid, 502, 'scenario "x" cannot run'],
    ['a list answer instead', listed, 502, 'the simulator answered something else'],
    ['no simulator', silent, 503, 'no simulator answered on p/simulator/control within 5 s'],
  ])('%s → %i', async (_, outcome, status, message) => {
    const { app, sent } = await appAnswering(outcome);
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/scenarios/fibre-cut/run',
      payload: { speedup: 10 },
    });
    expect(response.statusCode).toBe(status);
    expect(sent).toEqual([{ scenario: 'fibre-cut', speedup: 10 }]);
    if (message === undefined) {
      expect(response.json()).toEqual({
        scenario: 'fibre-cut',
        steps: 4,
        lengthMs: 19_000,
        speedup: 10,
      });
    } else {
      expect(response.json<{ message: string }>().message).toBe(message);
    }
    await app.close();
  });

  it.each([
    ['a speed-up of zero', { speedup: 0 }],
    ['a speed-up above 10,000', { speedup: 20_000 }],
    ['a speed-up that is not a number', { speedup: 'fast' }],
  ])('refuses %s with 400 without asking the simulator', async (_, payload) => {
    const { app, sent } = await appAnswering(started);
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/scenarios/fibre-cut/run',
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(sent).toEqual([]);
    await app.close();
  });
});

describe('GET /api/admin/scenarios', () => {
  it.each<[string, SimulatorOutcome, number]>([
    ['listed', listed, 200],
    ['a start answer instead', started, 502],
    ['no simulator', silent, 503],
  ])('%s → %i', async (_, outcome, status) => {
    const { app, sent } = await appAnswering(outcome);
    const response = await app.inject({ url: '/api/admin/scenarios' });
    expect(response.statusCode).toBe(status);
    expect(sent).toEqual([{ list: true }]);
    if (status === 200) {
      expect(response.json()).toEqual({
        scenarios: [{ name: 'fibre-cut', description: 'A fibre is cut', valid: true }],
      });
    }
    await app.close();
  });
});
