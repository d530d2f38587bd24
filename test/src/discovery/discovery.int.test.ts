import * as dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  analyzeTopology,
  topologyFromConfig,
  type FaultGroup,
  type TopologyAlarm,
} from '@faultline/correlator';
import {
  applyChanges,
  createLogger,
  diffTopology,
  linkId,
  orderedLink,
  type Config,
  type DiscoveryConfig,
} from '@faultline/shared';
import { probeAddress, runDiscovery, type DiscoveryOutcome } from '@faultline/collector';
import { createSimulator, type Simulator } from '@faultline/simulator';
import { isolatedExampleConfig } from '../simulator/example-network.js';

/** The first three octets of the test network's addresses (`127.A.B`). */
const baseOf = (config: Config): string =>
  (config.devices[0]?.address ?? '').split('.').slice(0, 3).join('.');

/**
 * Only a seed range and a community, nothing of the example's devices or links: the example's
 * seven devices sit at .1 to .7 of a /29. A wrong community is tried first (it costs a timeout
 * per address). Timeouts are generous: the machine running the tests is busy.
 */
function seedOnly(
  config: Config,
  range = `${baseOf(config)}.0/29`,
  exclude: string[] = [],
  credentials: DiscoveryConfig['credentials'] = [
    { version: '2c', community: 'not-this-one' },
    { version: '2c', community: 'public' },
  ],
): DiscoveryConfig {
  return {
    ranges: [{ range, exclude }],
    credentials,
    port: config.devices[0]?.snmp.port ?? 161,
    concurrency: 8,
    ratePerS: 500,
    timeoutMs: 2_000,
    retries: 2,
    maxAddresses: 256,
  };
}

function discover(discovery: DiscoveryConfig): Promise<DiscoveryOutcome> {
  const options = {
    port: discovery.port ?? 161,
    timeoutMs: discovery.timeoutMs,
    retries: discovery.retries,
    credentials: discovery.credentials,
    users: [],
  };
  return runDiscovery({
    discovery,
    probe: (address) => probeAddress(address, options),
    now: () => performance.now(),
    sleep: (ms) => sleep(ms),
  });
}

const linkIds = (
  links: readonly { a: Config['links'][number]['a']; b: Config['links'][number]['b'] }[],
) => links.map((link) => linkId(orderedLink(link.a, link.b))).sort();

/** The open alarms of the fibre-cut scenario once both uplinks of agg-2 are cut. */
const FIBRE_CUT_ALARMS: TopologyAlarm[] = [
  { id: 's1', type: 'deviceDown', device: 'agg-2', component: null, firstSeenMs: 0 },
  { id: 'r1', type: 'linkDown', device: 'core-1', component: 'xe-0/0/2', firstSeenMs: 1_000 },
  { id: 'r2', type: 'linkDown', device: 'core-2', component: 'xe-0/0/3', firstSeenMs: 2_000 },
  { id: 's2', type: 'deviceDown', device: 'access-3', component: null, firstSeenMs: 3_000 },
];

/** A fault group as an incident shows it: roots, explanations, cut-off devices, services. */
const incidentOf = (groups: readonly FaultGroup[]) =>
  groups.map((g) => ({
    roots: g.rootAlarmIds,
    rootElements: g.rootElements,
    symptoms: Object.fromEntries(g.symptoms),
    cutOff: g.cutOffDevices,
    services: g.impactedServices.map((s) => s.serviceId),
  }));

describe('discovery of the simulated example network', () => {
  let config: Config;
  let simulator: Simulator;
  /** The first test's run, which the approval test reuses (each run costs timeouts). */
  let seeded: Promise<DiscoveryOutcome> | undefined;
  const seededRun = (): Promise<DiscoveryOutcome> => (seeded ??= discover(seedOnly(config)));
  /** A run over the devices' own addresses with the right community only: quicker. */
  const quickRun = (exclude: string[] = []): Promise<DiscoveryOutcome> => {
    const base = baseOf(config);
    return discover(
      seedOnly(config, `${base}.1-${base}.7`, exclude, [{ version: '2c', community: 'public' }]),
    );
  };

  beforeAll(async () => {
    config = await isolatedExampleConfig();
    simulator = createSimulator({
      config,
      trapTarget: { host: '127.0.0.1', port: 9 },
      logger: createLogger({ level: 'silent' }),
    });
    await simulator.start();
  });

  afterAll(async () => {
    await simulator.stop();
  });

  it('finds every device and every link of the example exactly, from a seed range and a community', async () => {
    const outcome = await seededRun();
    const { devices, links } = outcome.topology;
    expect(devices.map((d) => d.name).sort()).toEqual(config.devices.map((d) => d.name).sort());
    expect(linkIds(links)).toEqual(linkIds(config.links));
    expect(links.every((link) => link.confirmed)).toBe(true);
    expect(outcome.unresolved).toEqual([]);
    for (const device of config.devices) {
      const found = devices.find((d) => d.name === device.name);
      expect(found).toMatchObject({ address: device.address, credential: 1 });
      expect(
        found?.interfaces.map((i) => ({
          ifIndex: i.ifIndex,
          name: i.name,
          speedMbps: i.speedMbps,
          alias: i.alias,
        })),
      ).toEqual(
        [...device.interfaces]
          .sort((x, y) => x.ifIndex - y.ifIndex)
          .map((i) => ({
            ifIndex: i.ifIndex,
            name: i.name,
            speedMbps: i.speedMbps,
            alias: i.description ?? '',
          })),
      );
    }
  });

  it('leaves a neighbour outside the ranges unresolved, not guessed', async () => {
    const access3 = config.devices.find((d) => d.name === 'access-3');
    const outcome = await quickRun([access3?.address ?? '']);
    expect(outcome.topology.devices.map((d) => d.name)).not.toContain('access-3');
    // agg-2 hears access-3, which was not probed: its neighbour is unknown, not a guess.
    expect(outcome.unresolved).toEqual([
      { device: 'agg-2', localPortNum: 1, reason: 'unknown neighbour', neighbour: 'access-3' },
    ]);
  });

  it('talks only to the configured ranges', async () => {
    // Listeners on an excluded address inside the range and on the first address past it
    // record whatever reaches them; one inside the range shows that a probe would arrive.
    const base = baseOf(config);
    const port = config.devices[0]?.snmp.port ?? 161;
    const listen = async (address: string): Promise<{ count: () => number; close: () => void }> => {
      const socket = dgram.createSocket('udp4');
      let received = 0;
      socket.on('message', () => (received += 1));
      await new Promise<void>((resolve) => socket.bind(port, address, resolve));
      return { count: () => received, close: () => socket.close() };
    };
    const inside = await listen(`${base}.9`);
    const excluded = await listen(`${base}.10`);
    const outside = await listen(`${base}.12`);
    try {
      await discover({
        ...seedOnly(config, `${base}.8/30`, [`${base}.10`]),
        timeoutMs: 200,
        retries: 0,
      });
      expect(inside.count()).toBeGreaterThan(0);
      expect(excluded.count()).toBe(0);
      expect(outside.count()).toBe(0);
    } finally {
      excluded.close();
      outside.close();
      inside.close();
    }
  });

  it('after approval, the fibre cut gives the same incident as the hand-written topology', async () => {
    // The YAML keeps what discovery cannot see (roots, customers) and no device or link.
    const bare: Config = { ...config, devices: [], links: [] };
    const outcome = await seededRun();
    const proposal = diffTopology({ devices: [], links: [] }, outcome.topology);
    const approved = applyChanges({ devices: [], links: [] }, proposal);
    const handWritten = analyzeTopology(topologyFromConfig(config), FIBRE_CUT_ALARMS);
    const discovered = analyzeTopology(topologyFromConfig(bare, approved), FIBRE_CUT_ALARMS);
    expect(incidentOf(handWritten)[0]?.cutOff).toEqual(['access-3', 'agg-2']);
    expect(incidentOf(discovered)).toEqual(incidentOf(handWritten));
  });

  it('shows a re-patched cable as a proposed move', async () => {
    const yaml = { devices: config.devices.map((d) => d.name), links: config.links };
    const run = await simulator.runScenario('patch-swap');
    await run.done;
    try {
      const outcome = await quickRun();
      expect(diffTopology(yaml, outcome.topology).map((c) => c.summary)).toEqual([
        'access-1:ge-0/0/24 now goes to agg-1:ge-0/0/2, not agg-1:ge-0/0/1',
        'access-2:ge-0/0/24 now goes to agg-1:ge-0/0/1, not agg-1:ge-0/0/2',
      ]);
    } finally {
      // Back as the example has it, for any test after this one.
      const back = await simulator.runScenario('patch-swap');
      await back.done;
    }
  });
});
