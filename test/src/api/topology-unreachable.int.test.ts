import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { linkDownEvent } from '../correlator/incident-harness.js';
import { createIncidentWorld, TOKENS, type IncidentWorld } from './incident-world.js';

const WAIT = { timeout: 20_000, interval: 100 };

describe('GET /api/topology: unreachable devices', () => {
  let world: IncidentWorld;

  beforeEach(async () => {
    world = await createIncidentWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  it('marks the devices an open incident cuts off as unreachable (issue #7)', async () => {
    const app = await world.app();
    const topology = async () =>
      (
        await app.inject({
          url: '/api/topology',
          headers: { authorization: `Bearer ${TOKENS.viewer}` },
        })
      ).json<{ nodes: { name: string; unreachable: boolean }[] }>();
    const unreachable = async () =>
      (await topology()).nodes.filter((node) => node.unreachable).map((node) => node.name);

    expect(await unreachable()).toEqual([]);
    await world.harness.startCorrelator();
    await world.harness.addBatch([
      linkDownEvent('core-1', 'xe-0/0/2'),
      linkDownEvent('core-2', 'xe-0/0/3'),
      linkDownEvent('agg-2', 'ge-0/0/1'),
    ]);
    await vi.waitFor(async () => {
      expect((await unreachable()).sort()).toEqual(['access-3', 'agg-2']);
    }, WAIT);
  });
});
