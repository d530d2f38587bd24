import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type Config } from '@faultline/shared';
import { createSimulator, sendControlCommand, type Simulator } from '@faultline/simulator';
import { testSettings, uniqueName, EVENTUALLY } from '../support/services.js';
import { agentTarget, isolatedExampleConfig } from './example-network.js';
import { berOid, isV2cTrap, listenForTraps, snmpTool, type TrapListener } from './snmp-peers.js';

const execFileAsync = promisify(execFile);
/** The built CLI that `npm run sim` runs; `npm test` builds it first. */
const CLI = fileURLToPath(new URL('../../../simulator/dist/cli.js', import.meta.url));
const EXAMPLE_CONFIG = fileURLToPath(new URL('../../../config/example.yaml', import.meta.url));
const SYS_NAME = '1.3.6.1.2.1.1.5.0';
const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const LINK_UP = '1.3.6.1.6.3.1.1.5.4';
const AUTHENTICATION_FAILURE = '1.3.6.1.6.3.1.1.5.5';
const COLD_START = '1.3.6.1.6.3.1.1.5.1';
const IF_INDEX = '1.3.6.1.2.1.2.2.1.1';
const SHIPPED = [
  'congestion',
  'device-reboot',
  'fibre-cut',
  'flapping-port',
  'maintenance-window',
  'optics-degrading',
  'patch-swap',
  'trap-storm',
];

describe('scenarios', () => {
  const settings = testSettings();
  let config: Config;
  let traps: TrapListener;
  let simulator: Simulator;
  let prefix: string;

  /** Link traps received so far, as `device kind ifIndex`, in arrival order. */
  const linkTraps = (): string[] => {
    const byAddress = new Map(config.devices.map((d) => [d.address, d]));
    return traps.received.flatMap((datagram) => {
      const device = byAddress.get(datagram.address);
      if (device === undefined || !isV2cTrap(datagram.buffer, 'public')) return [];
      const kind = datagram.buffer.includes(berOid(LINK_DOWN))
        ? 'linkDown'
        : datagram.buffer.includes(berOid(LINK_UP))
          ? 'linkUp'
          : undefined;
      const iface = device.interfaces.find((i) =>
        datagram.buffer.includes(berOid(`${IF_INDEX}.${String(i.ifIndex)}`)),
      );
      return kind === undefined || iface === undefined
        ? []
        : [`${device.name} ${kind} ${String(iface.ifIndex)}`];
    });
  };
  const sysName = async (device: string): Promise<string | undefined> =>
    (
      await snmpTool('snmpget', agentTarget(config, device), [SYS_NAME], {
        timeoutS: 1,
        retries: 0,
      })
    ).get(SYS_NAME);

  beforeEach(async () => {
    config = await isolatedExampleConfig();
    // Large enough for the trap-storm scenario, sent from this same process.
    traps = await listenForTraps({ recvBufferSize: 4 * 1024 * 1024 });
    prefix = uniqueName('sim');
    simulator = createSimulator({
      config,
      trapTarget: { host: '127.0.0.1', port: traps.port },
      logger: createLogger({ level: 'silent' }),
      // Telemetry is tested elsewhere: a long interval keeps it out of the way.
      mqtt: { url: settings.mqttUrl, intervalMs: 3_600_000, prefix },
    });
    await simulator.start();
  });

  afterEach(async () => {
    await simulator.stop();
    await traps.close();
  });

  it('lists the shipped scenarios, each valid against the example network', async () => {
    expect(await simulator.listScenarios()).toEqual(SHIPPED);
  });

  it('cuts agg-2 off in fibre-cut: core ends report, cut-off agents go silent, then recover', async () => {
    // 3m10s at 30x: the repair comes about 6 s after the cut.
    const run = await simulator.runScenario('fibre-cut', { speedup: 30 });
    expect(run).toMatchObject({ name: 'fibre-cut', steps: 4, lengthMs: 6_333 });

    // The first cut leaves agg-2 reachable through core-2, so both ends report it; after the
    // second, agg-2 is cut off and only core-2's linkDown can reach the NOC.
    await vi.waitFor(() => {
      expect(linkTraps()).toEqual(['core-1 linkDown 3', 'agg-2 linkDown 48', 'core-2 linkDown 4']);
    }, EVENTUALLY);
    expect(simulator.isReachable('agg-2')).toBe(false);
    expect(simulator.isReachable('access-3')).toBe(false);
    await expect(sysName('agg-2')).rejects.toThrow(/Timeout/);
    await expect(sysName('access-3')).rejects.toThrow(/Timeout/);
    expect(await sysName('agg-1')).toBe('agg-1');

    await expect(run.done).resolves.toEqual({ failedSteps: 0, cancelled: false });

    await vi.waitFor(() => {
      expect(linkTraps()).toEqual([
        'core-1 linkDown 3',
        'agg-2 linkDown 48',
        'core-2 linkDown 4',
        'core-2 linkUp 4',
        'agg-2 linkUp 49',
        'core-1 linkUp 3',
        'agg-2 linkUp 48',
      ]);
    }, EVENTUALLY);
    expect(await sysName('agg-2')).toBe('agg-2');
    expect(await sysName('access-3')).toBe('access-3');
  });

  it('silences access-2 in device-reboot, then boots it with a coldStart', async () => {
    const coldStarts = (): number =>
      traps.received.filter(
        (d) =>
          d.address === config.devices.find((x) => x.name === 'access-2')?.address &&
          d.buffer.includes(berOid(COLD_START)),
      ).length;
    await vi.waitFor(() => {
      expect(coldStarts()).toBe(1);
    }, EVENTUALLY);
    // 45 s of silence at 15x: 3 s.
    await simulator.runScenario('device-reboot', { speedup: 15 });
    expect(simulator.isReachable('access-2')).toBe(false);
    await expect(sysName('access-2')).rejects.toThrow(/Timeout/);
    await vi.waitFor(
      () => {
        expect(coldStarts()).toBe(2);
      },
      { timeout: 10_000 },
    );
    expect(await sysName('access-2')).toBe('access-2');
  });

  it('storms from access-2 in trap-storm: all 30,000 authenticationFailure traps arrive', async () => {
    const run = await simulator.runScenario('trap-storm');
    await run.done;
    const access2 = config.devices.find((d) => d.name === 'access-2')?.address;
    const oid = berOid(AUTHENTICATION_FAILURE);
    await vi.waitFor(
      () => {
        const storm = traps.received.filter((d) => d.address === access2 && d.buffer.includes(oid));
        expect(storm).toHaveLength(30_000);
      },
      { timeout: 20_000 },
    );
  });

  it('rejects an unknown scenario by name, listing the known ones', async () => {
    await expect(simulator.runScenario('no-such-thing')).rejects.toThrow(/fibre-cut/);
  });

  it('runs a scenario on command over MQTT, as `npm run sim -- scenario` does', async () => {
    const reply = await sendControlCommand(
      { mqttUrl: settings.mqttUrl, prefix, timeoutMs: 5_000 },
      { scenario: 'flapping-port', speedup: 100 },
    );
    expect(reply).toEqual({
      id: expect.any(String) as unknown,
      ok: true,
      scenario: 'flapping-port',
      steps: 12,
      lengthMs: 600,
    });
    await vi.waitFor(() => {
      const flaps = linkTraps();
      expect(flaps.filter((t) => t === 'access-1 linkDown 2')).toHaveLength(6);
      expect(flaps.filter((t) => t === 'access-1 linkUp 2')).toHaveLength(6);
    }, EVENTUALLY);
  });

  it('answers a command for an unknown scenario with an error', async () => {
    const reply = await sendControlCommand(
      { mqttUrl: settings.mqttUrl, prefix, timeoutMs: 5_000 },
      { scenario: 'no-such-thing' },
    );
    expect(reply.ok).toBe(false);
    expect('error' in reply ? reply.error : '').toMatch(/no scenario named/);
  });

  it('fails with a clear error when no simulator listens on the prefix', async () => {
    await expect(
      sendControlCommand(
        { mqttUrl: settings.mqttUrl, prefix: uniqueName('nobody'), timeoutMs: 500 },
        { scenario: 'fibre-cut' },
      ),
    ).rejects.toThrow(/no simulator answered/);
  });

  it.skipIf(!existsSync(CLI))(
    'acts on the running simulator from the command line (npm run sim -- scenario)',
    async () => {
      const env = { ...process.env, FAULTLINE_PREFIX: prefix, MQTT_URL: settings.mqttUrl };
      const { stdout } = await execFileAsync(
        'node',
        [CLI, 'scenario', 'flapping-port', '--speedup', '100'],
        { env },
      );
      expect(stdout).toMatch(/^started flapping-port: 12 steps over 600ms/);
      await vi.waitFor(() => {
        expect(linkTraps().filter((t) => t === 'access-1 linkUp 2')).toHaveLength(6);
      }, EVENTUALLY);

      const nobody = { ...env, FAULTLINE_PREFIX: uniqueName('nobody') };
      const failed = execFileAsync('node', [CLI, 'scenario', 'fibre-cut', '--timeout', '0.5'], {
        env: nobody,
      });
      await expect(failed).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/^error: no simulator answered/) as unknown,
      });
    },
  );

  describe('scenario files of ones own', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'faultline-own-scenarios-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    const twoFlaps = `description: access-1's uplink flaps twice
steps:
  - { at: 0s, action: linkDown, device: access-1, interface: ge-0/0/2 }
  - { at: 1s, action: linkUp, device: access-1, interface: ge-0/0/2 }
  - { at: 2s, action: linkDown, device: access-1, interface: ge-0/0/2 }
  - { at: 3s, action: linkUp, device: access-1, interface: ge-0/0/2 }
`;
    const cli = (args: string[]) =>
      execFileAsync('node', [CLI, ...args], {
        env: { ...process.env, FAULTLINE_PREFIX: prefix, MQTT_URL: settings.mqttUrl },
      });

    it.skipIf(!existsSync(CLI))('runs a scenario file from any path', async () => {
      const file = join(dir, 'Two_Flaps.yaml');
      await writeFile(file, twoFlaps);
      const { stdout } = await cli(['scenario', file, '--speedup', '100']);
      expect(stdout).toMatch(/^started two-flaps: 4 steps over 30ms/);
      await vi.waitFor(() => {
        expect(linkTraps().filter((t) => t === 'access-1 linkUp 2')).toHaveLength(2);
      }, EVENTUALLY);
    });

    it.skipIf(!existsSync(CLI))(
      "finds a name in the config's scenarios folder, with --config",
      async () => {
        await writeFile(join(dir, 'two-flaps.yaml'), twoFlaps);
        const configPath = join(dir, 'network.yaml');
        await writeFile(
          configPath,
          `${await readFile(EXAMPLE_CONFIG, 'utf8')}\nsimulator: { scenariosDir: ${JSON.stringify(dir)} }\n`,
        );
        // Without the config the name is unknown; with it, it runs.
        await expect(cli(['scenario', 'two-flaps'])).rejects.toMatchObject({
          code: 1,
          stderr: expect.stringMatching(
            /^error: .*no scenario named "two-flaps"; known: congestion/,
          ) as unknown,
        });
        const { stdout } = await cli([
          'scenario',
          'two-flaps',
          '--config',
          configPath,
          '--speedup',
          '100',
        ]);
        expect(stdout).toMatch(/^started two-flaps: 4 steps/);
        await vi.waitFor(() => {
          expect(linkTraps().filter((t) => t === 'access-1 linkUp 2')).toHaveLength(2);
        }, EVENTUALLY);
      },
    );

    it('runs a scenario of the config folder by name in the simulator', async () => {
      await writeFile(join(dir, 'two-flaps.yaml'), twoFlaps);
      const own = createSimulator({
        config: { ...(await isolatedExampleConfig()), simulator: { scenariosDir: dir } },
        trapTarget: { host: '127.0.0.1', port: traps.port },
        logger: createLogger({ level: 'silent' }),
      });
      await own.start();
      try {
        expect(await own.listScenarios()).toEqual([...SHIPPED, 'two-flaps'].sort());
        await expect(own.runScenario('two-flaps', { speedup: 100 })).resolves.toMatchObject({
          name: 'two-flaps',
          steps: 4,
        });
      } finally {
        await own.stop();
      }
    });

    it.skipIf(!existsSync(CLI))(
      'refuses a missing config, a missing file and a malformed scenario, clearly',
      async () => {
        await expect(
          cli(['scenario', 'fibre-cut', '--config', join(dir, 'absent.yaml')]),
        ).rejects.toMatchObject({
          code: 2,
          stderr: expect.stringMatching(
            /^error: invalid config .*absent\.yaml:\n.*cannot read .*absent\.yaml: ENOENT/,
          ) as unknown,
        });
        await expect(cli(['scenario', join(dir, 'absent.yaml')])).rejects.toMatchObject({
          code: 1,
          stderr: expect.stringMatching(/^error: .*cannot read .*absent\.yaml: ENOENT/) as unknown,
        });
        const bad = join(dir, 'bad.yaml');
        await writeFile(
          bad,
          'description: wrong device\nsteps:\n  - { at: 0s, action: reboot, device: nowhere-9 }\n',
        );
        await expect(cli(['scenario', bad])).rejects.toMatchObject({
          code: 1,
          stderr: expect.stringMatching(
            /^error: scenario "bad" is invalid for .*\n.*steps.*nowhere-9/s,
          ) as unknown,
        });
        await writeFile(bad, 'description: [unclosed\n');
        await expect(cli(['scenario', bad])).rejects.toMatchObject({
          code: 1,
          stderr: expect.stringMatching(/^error: scenario "bad" is invalid/) as unknown,
        });
        // Nothing reached the running simulator.
        expect(linkTraps()).toEqual([]);
      },
    );
  });
});
