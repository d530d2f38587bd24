import type { Component, Config, Logger } from '@faultline/shared';
import { createDeviceAgent, type DeviceAgent } from './adapters/agent.js';
import { createTrapSender, type OutgoingTrap } from './adapters/trap-sender.js';
import { readInterface, sysUpTimeTicks } from './core/counters.js';
import {
  applyDeviceInput,
  createDeviceState,
  type DeviceInput,
  type DeviceState,
} from './core/device-state.js';
import { flappablePorts, planFlap, type FlapPlan } from './core/flaps.js';
import { trapCommunity } from './core/trap-community.js';

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
}

/** The simulated network: one SNMP agent per configured device, and the traps they send. */
export interface Simulator extends Component {
  /** Sets an interface's oper status; on a change, sends linkDown or linkUp from the device. */
  setLinkState(device: string, ifName: string, up: boolean): Promise<void>;
  /** Reboots a device: sysUpTime and counters restart from zero, and it sends coldStart. */
  reboot(device: string): Promise<void>;
}

/** Enterprise OID net-snmp uses for Linux agents; good enough for a simulated box. */
const SIMULATED_OBJECT_ID = '1.3.6.1.4.1.8072.3.2.10';
const IF_ADMIN_UP = 1;

/**
 * Creates the simulator of a config's network. It plays the devices over real protocols only
 * (SNMP agents on each device's address and port, v2c traps from that address) and never calls
 * the collector's code, so what it exercises is what a real network would.
 */
export function createSimulator(deps: SimulatorDeps): Simulator {
  const { config, trapTarget } = deps;
  const clock = deps.clock ?? Date.now;
  const random = deps.random ?? Math.random;
  const logger = deps.logger.child({ component: 'simulator' });
  const devices = new Map(config.devices.map((d) => [d.name, d]));
  const states = new Map<string, DeviceState>();
  const agents: DeviceAgent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const trapSender = createTrapSender({ target: trapTarget, logger });
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

  const sendTrap = async (device: Device, trap: OutgoingTrap): Promise<void> => {
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

  /** Applies an input to a device's state first (a poll right after sees it), then sends traps. */
  const apply = async (name: string, input: DeviceInput): Promise<void> => {
    const device = devices.get(name);
    if (device === undefined || !running) {
      throw new Error(running ? `unknown device "${name}"` : 'the simulator is not running');
    }
    const result = applyDeviceInput(stateOf(name), input, clock());
    states.set(name, result.state);
    for (const decision of result.decisions) {
      switch (decision.kind) {
        case 'unknownInterface':
          throw new Error(`device "${name}" has no interface "${decision.ifName}"`);
        case 'unchanged':
          break;
        case 'coldStart':
          logger.info({ device: name }, 'device rebooted');
          await sendTrap(device, { kind: 'coldStart' });
          break;
        case 'linkDown':
        case 'linkUp':
          logger.info(
            { device: name, ifName: decision.ifName, event: decision.kind },
            'link changed',
          );
          await sendTrap(device, {
            kind: decision.kind,
            ifIndex: decision.ifIndex,
            adminStatus: IF_ADMIN_UP,
            operStatus: decision.kind === 'linkUp' ? 1 : 2,
          });
          break;
      }
    }
  };

  const agentFor = (device: Device): DeviceAgent => {
    const target = device.snmp;
    return createDeviceAgent({
      address: device.address,
      port: target.port ?? 161,
      credentials:
        target.version === '3'
          ? { community: undefined, user: config.snmp.users.find((u) => u.name === target.user) }
          : { community: target.community, user: undefined },
      system: {
        name: device.name,
        descr: `Faultline simulated ${device.kind ?? 'other'} device ${device.name}`,
        objectId: SIMULATED_OBJECT_ID,
        location: device.site ?? '',
        contact: '',
      },
      interfaces: device.interfaces.map((i) => ({
        ifIndex: i.ifIndex,
        name: i.name,
        description: i.description ?? '',
        speedMbps: i.speedMbps,
      })),
      reader: {
        upTimeTicks: () => sysUpTimeTicks(stateOf(device.name), clock()),
        engineBoots: () => stateOf(device.name).boots,
        engineTimeS: () => Math.floor(sysUpTimeTicks(stateOf(device.name), clock()) / 100),
        readInterface: (ifIndex) => {
          const state = stateOf(device.name);
          const iface = state.interfaces.find((i) => i.ifIndex === ifIndex);
          return iface === undefined ? undefined : readInterface(state, iface, clock());
        },
      },
      logger: logger.child({ device: device.name }),
    });
  };

  const flappable = flappablePorts(config);
  const isUp = (device: string, ifName: string): boolean =>
    states.get(device)?.interfaces.find((i) => i.name === ifName)?.operUp === true;

  const runFlap = (plan: FlapPlan): void => {
    const { device, ifName } = plan.port;
    apply(device, { kind: 'setLink', ifName, up: false })
      .then(() => {
        later(() => {
          if (!running) return;
          apply(device, { kind: 'setLink', ifName, up: true }).catch((error: unknown) => {
            logger.warn({ err: error, device, ifName }, 'flap failed to restore the link');
          });
        }, plan.downForMs);
      })
      .catch((error: unknown) => {
        logger.warn({ err: error, device, ifName }, 'flap failed');
      })
      .finally(scheduleFlap);
  };

  function scheduleFlap(): void {
    const faults = deps.faults;
    if (faults === undefined || !running) return;
    const candidates = flappable.filter((p) => isUp(p.device, p.ifName));
    const plan = planFlap(candidates, faults.meanIntervalMs, [random(), random(), random()]);
    if (plan === undefined) {
      later(scheduleFlap, faults.meanIntervalMs);
      return;
    }
    later(() => {
      if (running) runFlap(plan);
    }, plan.delayMs);
  }

  const stopAgents = async (): Promise<void> => {
    const stopping = agents.splice(0, agents.length);
    await Promise.allSettled(stopping.map((agent) => agent.stop()));
  };

  return {
    name: 'simulator',
    async start() {
      const now = clock();
      for (const device of config.devices) {
        states.set(device.name, createDeviceState(device.name, device.interfaces, now));
      }
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
      logger.info(
        {
          devices: config.devices.length,
          trapTarget: `${trapTarget.host}:${String(trapTarget.port)}`,
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
      scheduleFlap();
    },
    async stop() {
      running = false;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await stopAgents();
      trapSender.close();
    },
    setLinkState(device, ifName, up) {
      return apply(device, { kind: 'setLink', ifName, up });
    },
    reboot(device) {
      return apply(device, { kind: 'reboot' });
    },
  };
}
