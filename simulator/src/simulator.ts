import {
  withoutCredentials,
  controlTopic,
  formatProblems,
  telemetryTopic,
  type Component,
  type Config,
  type Logger,
  type ScenarioSummary,
} from '@faultline/shared';
import { createDeviceAgent, type DeviceAgent } from './adapters/agent.js';
import { agentIdentity } from './agent-identity.js';
import { createMqttLink, type MqttLink } from './adapters/mqtt-link.js';
import { listScenarioFiles, loadScenarioFile, scenarioFolders } from './adapters/scenario-files.js';
import { createTrapSender, type OutgoingTrap } from './adapters/trap-sender.js';
import { handleControlMessage, UnknownScenarioError } from './control-handler.js';
import { readInterface, sysUpTimeTicks } from './core/counters.js';
import {
  applyDeviceInput,
  createDeviceState,
  type DeviceInput,
  type DeviceState,
} from './core/device-state.js';
import { flappablePorts } from './core/flaps.js';
import { inErrorsPerSecond } from './core/line-errors.js';
import { soldPeakMbps } from './core/sold-traffic.js';
import { lldpNeighbour, repatch, type Cable } from './core/lldp.js';
import { linkPeer, reachableDevices } from './core/reachability.js';
import { parseScenario, type ScenarioAction } from './core/scenario.js';
import { trapCommunity } from './core/trap-community.js';
import { createScenarioRunner, type ScenarioRun } from './scenario-runner.js';
import { startDemoFlaps } from './demo-flaps.js';
import { createStormRunner } from './storm-runner.js';
import { createTelemetrySource } from './telemetry-source.js';

type Device = Config['devices'][number];

/** What the simulator needs: the network, where traps go, and optional clock, dice and faults. */
export interface SimulatorDeps {
  readonly config: Config;
  readonly trapTarget: { readonly host: string; readonly port: number };
  readonly logger: Logger;
  /** Epoch ms for counters and sysUpTime; tests inject a clock they advance. */
  readonly clock?: () => number;
  /** Uniform draws in [0, 1) for random faults. */
  readonly random?: () => number;
  /** When given, a random access port flaps now and then (a demo shows life). */
  readonly faults?: { readonly meanIntervalMs: number };
  /**
   * When given, every device publishes telemetry every `intervalMs` (QoS 1, the envelope of
   * `TelemetryMessageSchema`, on `<prefix>/telemetry/<device>/<metric>`, where the instance's
   * collector subscribes), and the simulator obeys commands on the control topic
   * `<prefix>/simulator/control`.
   */
  readonly mqtt?: {
    readonly url: string;
    readonly intervalMs: number;
    /** The instance's prefix (settings.prefix). */
    readonly prefix: string;
  };
}

/** How to run a scenario. */
export interface RunScenarioOptions {
  /** Divides every offset and duration of the scenario (a demo or test runs it faster). */
  readonly speedup?: number;
  /** The scenario's YAML, run under the name instead of a file of the scenarios folders. */
  readonly definition?: string;
}

/** The simulated network: one SNMP agent per configured device, and the traps they send. */
export interface Simulator extends Component {
  /** Sets an interface's oper status; on a change, sends linkDown or linkUp from the device. */
  setLinkState(device: string, ifName: string, up: boolean): Promise<void>;
  /** Reboots a device: sysUpTime and counters restart from zero, and it sends coldStart. */
  reboot(device: string): Promise<void>;
  /**
   * Starts a scenario from the scenarios folders by name (or the definition given); resolves
   * once it is validated and started (its `done` settles when it ends), rejects when it is
   * unknown or invalid.
   */
  runScenario(name: string, options?: RunScenarioOptions): Promise<ScenarioRun>;
  /** The names of the scenarios in the scenarios folders. */
  listScenarios(): Promise<string[]>;
  /** Whether the NOC can reach a device now (not cut off, not powered off). */
  isReachable(device: string): boolean;
}

const IF_ADMIN_UP = 1;
/** How long start waits for the broker before going on without it (it keeps reconnecting). */
const MQTT_READY_WAIT_MS = 5_000;

/**
 * Creates the simulator of a config's network. It plays the devices over real protocols only
 * (SNMP agents on each device's address and port, v2c traps from that address, MQTT telemetry)
 * and never calls the collector's code, so what it exercises is what a real network would.
 */
export function createSimulator(deps: SimulatorDeps): Simulator {
  const { config, trapTarget } = deps;
  const clock = deps.clock ?? Date.now;
  const random = deps.random ?? Math.random;
  const logger = deps.logger.child({ component: 'simulator' });
  const scenariosDirs = scenarioFolders(config);
  const devices = new Map(config.devices.map((d) => [d.name, d]));
  const states = new Map<string, DeviceState>();
  const agents: DeviceAgent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const trapSender = createTrapSender({ target: trapTarget, logger });
  /** Devices silent during a reboot: no answers, no traps, no telemetry, and nothing behind them. */
  const poweredOff = new Set<string>();
  /** Received optical power forced by scenarios, by device and interface. */
  const forcedDbm = new Map<string, number>();
  const storms = createStormRunner({ target: trapTarget, logger });
  let reachable = new Set<string>();
  /** The cabling now: the config's links until a scenario re-patches one. */
  let cables: readonly Cable[] = config.links;
  /** The network as it is cabled now, for reachability and cable ends. */
  const cabled = (): Config => ({ ...config, links: [...cables] });
  let mqttLink: MqttLink | undefined;
  let running = false;

  const later = (action: () => void, delayMs: number): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, delayMs);
    timers.add(timer);
  };

  const stateOf = (name: string): DeviceState => {
    const state = states.get(name);
    if (state === undefined) throw new Error(`unknown device "${name}"`);
    return state;
  };

  const deviceOf = (name: string): Device => {
    const device = devices.get(name);
    if (device === undefined) throw new Error(`unknown device "${name}"`);
    return device;
  };

  const isUp = (device: string, ifName: string): boolean =>
    states.get(device)?.interfaces.find((i) => i.name === ifName)?.operUp === true;

  /** Recomputes who the NOC can reach; called after every change of links or power. */
  const updateReachability = (): void => {
    const next = reachableDevices(cabled(), isUp, poweredOff);
    for (const name of devices.keys()) {
      if (reachable.has(name) !== next.has(name)) {
        logger.info({ device: name, reachable: next.has(name) }, 'device reachability changed');
      }
    }
    reachable = next;
  };

  const sendTrap = async (device: Device, trap: OutgoingTrap): Promise<void> => {
    // A device the NOC cannot reach cannot deliver its notifications either.
    if (!reachable.has(device.name)) {
      logger.debug({ device: device.name, trap: trap.kind }, 'trap lost: device cut off');
      return;
    }
    await trapSender.send(
      {
        address: device.address,
        community: trapCommunity(config, device),
        upTimeTicks: sysUpTimeTicks(stateOf(device.name), clock()),
      },
      trap,
    );
    logger.debug({ device: device.name, trap: trap.kind }, 'trap sent');
  };

  const assertRunning = (): void => {
    if (!running) throw new Error('the simulator is not running');
  };

  /** Applies an input to a device's state only; returns the notifications it calls for. */
  const change = (name: string, input: DeviceInput): OutgoingTrap[] => {
    const result = applyDeviceInput(stateOf(name), input, clock());
    states.set(name, result.state);
    const traps: OutgoingTrap[] = [];
    for (const decision of result.decisions) {
      switch (decision.kind) {
        case 'unknownInterface':
          throw new Error(`device "${name}" has no interface "${decision.ifName}"`);
        case 'unchanged':
          break;
        case 'coldStart':
          logger.info({ device: name }, 'device rebooted');
          traps.push({ kind: 'coldStart' });
          break;
        case 'linkDown':
        case 'linkUp':
          logger.info(
            { device: name, ifName: decision.ifName, event: decision.kind },
            'link changed',
          );
          traps.push({
            kind: decision.kind,
            ifIndex: decision.ifIndex,
            adminStatus: IF_ADMIN_UP,
            operStatus: decision.kind === 'linkUp' ? 1 : 2,
          });
          break;
      }
    }
    return traps;
  };

  /**
   * Applies inputs to devices first (a poll right after sees them), then recomputes reachability,
   * then sends the notifications in order, from the devices that can still deliver them.
   */
  const apply = async (inputs: readonly (readonly [string, DeviceInput])[]): Promise<void> => {
    assertRunning();
    for (const [name] of inputs) deviceOf(name);
    const outgoing = inputs.map(([name, input]) => [name, change(name, input)] as const);
    updateReachability();
    for (const [name, traps] of outgoing) {
      for (const trap of traps) await sendTrap(deviceOf(name), trap);
    }
  };

  /** A cable: setting one end of a configured link sets both ends. */
  const setCable = (device: string, ifName: string, up: boolean): Promise<void> => {
    const peer = linkPeer(cabled(), device, ifName);
    const input: DeviceInput = { kind: 'setLink', ifName, up };
    return apply(
      peer === undefined
        ? [[device, input]]
        : [
            [device, input],
            [peer.device, { kind: 'setLink', ifName: peer.interface, up }],
          ],
    );
  };

  /** Powers a device off for a while, then boots it (coldStart), as a real reboot looks. */
  const rebootSlowly = (device: string, downForMs: number): void => {
    assertRunning();
    deviceOf(device);
    poweredOff.add(device);
    updateReachability();
    logger.info({ device, downForMs }, 'device powered off for a reboot');
    later(() => {
      poweredOff.delete(device);
      if (!running) return;
      apply([[device, { kind: 'reboot' }]]).catch((error: unknown) => {
        logger.warn({ err: error, device }, 'reboot failed');
      });
    }, downForMs);
  };

  const storm = (action: Extract<ScenarioAction, { action: 'trapStorm' }>): void => {
    const device = deviceOf(action.device);
    if (!reachable.has(device.name)) {
      logger.info({ device: device.name }, 'trap storm lost: device cut off');
      return;
    }
    storms.start({
      device: device.name,
      sourceAddress: device.address,
      community: trapCommunity(config, device),
      upTimeTicks: sysUpTimeTicks(stateOf(device.name), clock()),
      trap: action.trap,
      ifIndex: device.interfaces.find((i) => i.name === action.interface)?.ifIndex,
      ratePerS: action.rate,
      count: action.count,
    });
  };

  const perform = async (action: ScenarioAction, speedup: number): Promise<void> => {
    assertRunning();
    switch (action.action) {
      case 'linkDown':
      case 'linkUp':
        await setCable(action.device, action.interface, action.action === 'linkUp');
        return;
      case 'reboot':
        if (action.downForMs > 0) rebootSlowly(action.device, action.downForMs / speedup);
        else await apply([[action.device, { kind: 'reboot' }]]);
        return;
      case 'trapStorm':
        // The storm runs beside the timeline: later steps keep their times.
        storm(action);
        return;
      case 'optics': {
        deviceOf(action.device);
        const key = `${action.device}\u0000${action.interface}`;
        if (action.dbm === undefined) forcedDbm.delete(key);
        else forcedDbm.set(key, action.dbm);
        // Weak light corrupts frames: the port's ifInErrors follows the received power.
        await apply([
          [
            action.device,
            {
              kind: 'setErrorRate',
              ifName: action.interface,
              inErrorsPerS: inErrorsPerSecond(action.dbm),
            },
          ],
        ]);
        return;
      }
      case 'utilization':
        await apply([
          [
            action.device,
            { kind: 'setUtilization', ifName: action.interface, percent: action.percent },
          ],
        ]);
        return;
      case 'maintenance':
        logger.info({ label: action.label }, 'maintenance');
        return;
      case 'repatch': {
        const from = { device: deviceOf(action.device).name, interface: action.interface };
        const to = { device: deviceOf(action.to.device).name, interface: action.to.interface };
        cables = repatch(cables, from, to);
        logger.info({ from, to }, 'cable re-patched');
        updateReachability();
        return;
      }
    }
  };

  const runner = createScenarioRunner({ perform, logger });

  const agentFor = (device: Device): DeviceAgent =>
    createDeviceAgent({
      ...agentIdentity(config, device),
      reader: {
        upTimeTicks: () => sysUpTimeTicks(stateOf(device.name), clock()),
        engineBoots: () => stateOf(device.name).boots,
        engineTimeS: () => Math.floor(sysUpTimeTicks(stateOf(device.name), clock()) / 100),
        readInterface: (ifIndex) => {
          const state = stateOf(device.name);
          const iface = state.interfaces.find((i) => i.ifIndex === ifIndex);
          return iface === undefined ? undefined : readInterface(state, iface, clock());
        },
        lldpNeighbour: (ifIndex) => {
          const ifName = device.interfaces.find((i) => i.ifIndex === ifIndex)?.name;
          return ifName === undefined
            ? undefined
            : lldpNeighbour(
                config,
                cables,
                isUp,
                (name) => !poweredOff.has(name),
                device.name,
                ifName,
              );
        },
      },
      isAnswering: () => reachable.has(device.name),
      logger: logger.child({ device: device.name }),
    });

  const telemetry = createTelemetrySource({
    config,
    stateOf,
    forcedDbm: (device, ifName) => forcedDbm.get(`${device}\u0000${ifName}`),
  });

  const publishTelemetry = (): void => {
    const link = mqttLink;
    const prefix = deps.mqtt?.prefix;
    if (link === undefined || prefix === undefined || !running) return;
    let published = 0;
    // A device cut off from the NOC cannot reach the broker either.
    for (const message of telemetry.readings(clock(), (device) => reachable.has(device))) {
      const topic = telemetryTopic(prefix, message.device, message.metric);
      if (link.publish(topic, JSON.stringify(message))) published++;
    }
    logger.debug({ published }, 'telemetry published');
  };

  const scheduleTelemetry = (): void => {
    const intervalMs = deps.mqtt?.intervalMs;
    if (intervalMs === undefined || !running) return;
    later(() => {
      publishTelemetry();
      scheduleTelemetry();
    }, intervalMs);
  };

  const runScenario = async (
    name: string,
    options: RunScenarioOptions = {},
  ): Promise<ScenarioRun> => {
    assertRunning();
    if (options.definition === undefined) {
      const known = await listScenarioFiles(scenariosDirs);
      if (!known.includes(name)) {
        throw new UnknownScenarioError(`no scenario named "${name}"; known: ${known.join(', ')}`);
      }
    }
    const loaded =
      options.definition === undefined
        ? await loadScenarioFile(scenariosDirs, name, config)
        : parseScenario(name, options.definition, config);
    if (!loaded.ok) {
      throw new Error(`scenario "${name}" cannot run:\n${formatProblems(loaded.problems)}`);
    }
    return runner.start(loaded.value, options.speedup ?? 1);
  };

  const describeScenarios = async (): Promise<ScenarioSummary[]> => {
    const names = await listScenarioFiles(scenariosDirs);
    return Promise.all(
      names.map(async (name): Promise<ScenarioSummary> => {
        const loaded = await loadScenarioFile(scenariosDirs, name, config);
        return loaded.ok
          ? { name, description: loaded.value.description, valid: true }
          : { name, description: `invalid: ${formatProblems(loaded.problems)}`, valid: false };
      }),
    );
  };

  const onControl = (payload: string): void => {
    handleControlMessage(payload, {
      runScenario,
      listScenarios: describeScenarios,
      reply: (topic, answer) => mqttLink?.publish(topic, JSON.stringify(answer)),
      logger,
    });
  };

  const stopAgents = async (): Promise<void> => {
    const stopping = agents.splice(0, agents.length);
    await Promise.allSettled(stopping.map((agent) => agent.stop()));
  };

  return {
    name: 'simulator',
    async start() {
      const now = clock();
      for (const device of config.devices) {
        const interfaces = device.interfaces.map((spec) => ({
          ...spec,
          peakMbps: soldPeakMbps(config, device.name, spec.name),
        }));
        states.set(device.name, createDeviceState(device.name, interfaces, now));
      }
      cables = config.links;
      reachable = reachableDevices(config, isUp, poweredOff);
      try {
        for (const device of config.devices) {
          const agent = agentFor(device);
          await agent.start();
          agents.push(agent);
        }
      } catch (error) {
        await stopAgents();
        trapSender.close();
        throw error;
      }
      running = true;
      if (deps.mqtt !== undefined) {
        mqttLink = createMqttLink({
          url: deps.mqtt.url,
          logger,
          controlTopic: controlTopic(deps.mqtt.prefix),
          onControl,
        });
        // Commands sent right after start must find the subscription; a broker that is down
        // must not hold the network back, so the wait is bounded.
        const connected = await Promise.race([
          mqttLink.ready.then(() => true),
          new Promise<false>((resolve) => {
            later(() => {
              resolve(false);
            }, MQTT_READY_WAIT_MS);
          }),
        ]);
        if (!connected)
          logger.warn(
            { broker: withoutCredentials(deps.mqtt.url) },
            'MQTT not ready yet; continuing',
          );
      }
      logger.info(
        {
          devices: config.devices.length,
          trapTarget: `${trapTarget.host}:${String(trapTarget.port)}`,
          telemetry: deps.mqtt === undefined ? 'off' : `every ${String(deps.mqtt.intervalMs)} ms`,
        },
        'simulated network started',
      );
      const coldStarts = await Promise.allSettled(
        config.devices.map((device) => sendTrap(device, { kind: 'coldStart' })),
      );
      for (const outcome of coldStarts) {
        if (outcome.status === 'rejected') {
          logger.warn({ err: outcome.reason }, 'coldStart trap failed');
        }
      }
      if (deps.faults !== undefined) {
        startDemoFlaps({
          ports: flappablePorts(config),
          meanIntervalMs: deps.faults.meanIntervalMs,
          random,
          isUp,
          setLink: setCable,
          later,
          isRunning: () => running,
          logger,
        });
      }
      scheduleTelemetry();
    },
    async stop() {
      running = false;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      storms.abortAll();
      await runner.cancelAll();
      await mqttLink?.close();
      mqttLink = undefined;
      await stopAgents();
      trapSender.close();
    },
    setLinkState(device, ifName, up) {
      return apply([[device, { kind: 'setLink', ifName, up }]]);
    },
    reboot(device) {
      return apply([[device, { kind: 'reboot' }]]);
    },
    runScenario,
    listScenarios: () => listScenarioFiles(scenariosDirs),
    isReachable: (device) => reachable.has(device),
  };
}
