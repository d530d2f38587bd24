import {
  createLogger,
  type Config,
  type DiscoveryConfig,
  type FaultEvent,
} from '@faultline/shared';
import { createSimulator, type Simulator } from '@faultline/simulator';
import type { startDiscovery } from '@faultline/collector';

/** The first three octets of the isolated example network's addresses (`127.A.B`). */
export const networkBase = (network: Config): string =>
  (network.devices[0]?.address ?? '').split('.').slice(0, 3).join('.');

/**
 * The example network with discovery over its seven devices' own addresses (`.1` to `.7`) and
 * the right community only, plus `extra` (e.g. `intervalS`). Timeouts are generous: the machine
 * running the tests is busy.
 */
export function withDiscovery(network: Config, extra: Partial<DiscoveryConfig> = {}): Config {
  const base = networkBase(network);
  return {
    ...network,
    discovery: {
      ranges: [{ range: `${base}.1-${base}.7`, exclude: [] }],
      credentials: [{ version: '2c', community: 'public' }],
      port: network.devices[0]?.snmp.port ?? 161,
      concurrency: 8,
      ratePerS: 500,
      timeoutMs: 2_000,
      retries: 2,
      maxAddresses: 256,
      ...extra,
    },
  };
}

/** The simulator's agents for `network`, started; its traps go nowhere (discard port). */
export async function startNetwork(network: Config): Promise<Simulator> {
  const simulator = createSimulator({
    config: network,
    trapTarget: { host: '127.0.0.1', port: 9 },
    logger: createLogger({ level: 'silent' }),
  });
  await simulator.start();
  return simulator;
}

/** An events-queue port that keeps what discovery sends in `events`. */
export function collectingSink(events: FaultEvent[]): Parameters<typeof startDiscovery>[0]['sink'] {
  return {
    enqueue: (event) => {
      events.push(event);
      return true;
    },
    close: () => Promise.resolve(),
  };
}
