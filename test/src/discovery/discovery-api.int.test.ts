import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '@faultline/api';
import { startDiscovery } from '@faultline/collector';
import { createApprovedTopologySource } from '@faultline/correlator';
import { createLogger, type Config, type FaultEvent } from '@faultline/shared';
import type { Simulator } from '@faultline/simulator';
import { ADMIN_TOKEN, createApiFixture, type ApiFixture } from '../api/harness.js';
import { EVENTUALLY } from '../support/services.js';
import { isolatedExampleConfig } from '../simulator/example-network.js';
import { collectingSink, startNetwork, withDiscovery } from './discovery-world.js';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

interface View {
  progress: { runId: string; finishedAt: string | null; found: number } | null;
  run: { progress: { runId: string }; devices: unknown[] } | null;
  proposal: { id: string; kind: string; summary: string }[];
  approved: { approvedBy: string; approvedAt: string; changeIds: string[] } | null;
}

describe('discovery through the collector’s worker and the api', () => {
  let fixture: ApiFixture;
  let app: FastifyInstance;
  let simulator: Simulator;
  let config: Config;
  let discovery: ReturnType<typeof startDiscovery>;
  /** What the discovery sent to the events queue's port. */
  const events: FaultEvent[] = [];

  beforeAll(async () => {
    fixture = await createApiFixture();
    const network = await isolatedExampleConfig();
    config = withDiscovery(network);
    simulator = await startNetwork(network);
    discovery = startDiscovery({
      settings: fixture.settings,
      config,
      sink: collectingSink(events),
      logger: createLogger({ level: 'silent' }),
    });
    app = await buildApp({
      pool: fixture.pool,
      redis: fixture.redis,
      config,
      settings: fixture.settings,
      logger: createLogger({ level: 'silent' }),
      dashboardDir: null,
    });
  });

  afterAll(async () => {
    await app.close();
    await discovery?.close();
    await simulator.stop();
    await fixture.close();
  });

  const view = async (): Promise<View> =>
    (await app.inject({ url: '/api/discovery', headers: admin })).json<View>();
  /** Asks for a run and waits for it to finish; returns the view then. */
  const runNow = async (): Promise<View> => {
    const before = (await view()).progress?.runId;
    const asked = await app.inject({ method: 'POST', url: '/api/discovery/runs', headers: admin });
    expect(asked.statusCode).toBe(202);
    return vi.waitFor(
      async () => {
        const now = await view();
        if (now.run === null || now.run.progress.runId === before) throw new Error('not yet');
        return now;
      },
      { ...EVENTUALLY, timeout: 60_000 },
    );
  };

  it('proposes a re-patched cable, raises topology changed, and takes an approval', async () => {
    const first = await runNow();
    expect(first.run?.devices).toHaveLength(7);
    expect(first.proposal).toEqual([]);
    expect(events).toEqual([]);

    await (
      await simulator.runScenario('patch-swap')
    ).done;
    const second = await runNow();
    expect(second.proposal.map((c) => c.summary)).toEqual([
      'access-1:ge-0/0/24 now goes to agg-1:ge-0/0/2, not agg-1:ge-0/0/1',
      'access-2:ge-0/0/24 now goes to agg-1:ge-0/0/1, not agg-1:ge-0/0/2',
    ]);
    // The run is kept before its events are sent: wait for them.
    await vi.waitFor(() => {
      expect(events.map((e) => [e.type, e.severity, e.reductionKey])).toEqual([
        ['topologyChanged', 'major', 'topologyChanged:access-1:ge-0/0/24'],
        ['topologyChanged', 'major', 'topologyChanged:access-2:ge-0/0/24'],
      ]);
    }, EVENTUALLY);

    const runId = second.run?.progress.runId ?? '';
    const stale = await app.inject({
      method: 'POST',
      url: '/api/discovery/approvals',
      headers: admin,
      payload: { runId, changeIds: ['~port:nowhere'] },
    });
    expect(stale.statusCode).toBe(400);
    const first1 = second.proposal[0]?.id ?? '';
    const approved = await app.inject({
      method: 'POST',
      url: '/api/discovery/approvals',
      headers: admin,
      payload: { runId, changeIds: [first1] },
    });
    expect(approved.statusCode).toBe(201);
    expect(approved.json()).toMatchObject({ approvedBy: 'admin', changeIds: [first1] });

    // Approved in part: what is left is the other move.
    expect((await view()).proposal.map((c) => c.kind)).toEqual(['linkMoved']);
    const yaml = await app.inject({ url: '/api/discovery/topology.yaml', headers: admin });
    expect(yaml.statusCode).toBe(200);
    expect(yaml.body).toContain('by admin');
    expect(yaml.body).toMatch(
      /device: access-1\n\s+interface: ge-0\/0\/24\n\s+b:\n\s+device: agg-1\n\s+interface: ge-0\/0\/2\n/,
    );

    // Root cause takes the approval from PostgreSQL: the moved cable replaces the written one.
    const topology = await createApprovedTopologySource({
      pool: fixture.pool,
      config,
      refreshMs: 0,
      clock: Date.now,
      logger: createLogger({ level: 'silent' }),
    })();
    const ids = topology.links.map((l) => l.id);
    expect(ids).toContain('access-1:ge-0/0/24--agg-1:ge-0/0/2');
    expect(ids).not.toContain('agg-1:ge-0/0/1--access-1:ge-0/0/24');
    expect(ids).toContain('core-1:xe-0/0/2--agg-2:xe-0/0/48');
  });
});
