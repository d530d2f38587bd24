import type { Logger } from '@faultline/shared';
import { sendTrapStorm } from './adapters/trap-storm.js';
import { stormPacket } from './core/storm-traps.js';

/** One storm to send: from where, which trap, how fast, how many. */
export interface StormRequest {
  readonly device: string;
  readonly sourceAddress: string;
  readonly community: string;
  readonly upTimeTicks: number;
  readonly trap: 'authenticationFailure' | 'linkDown' | 'linkUp';
  readonly ifIndex: number | undefined;
  readonly ratePerS: number;
  readonly count: number;
}

/** Runs the storms of scenarios, and stops them all when the simulator stops. */
export interface StormRunner {
  /** Sends a storm in the background; its outcome is logged. */
  start(request: StormRequest): void;
  abortAll(): void;
}

export function createStormRunner(deps: {
  readonly target: { readonly host: string; readonly port: number };
  readonly logger: Logger;
}): StormRunner {
  const running = new Set<AbortController>();
  return {
    start(request) {
      const controller = new AbortController();
      running.add(controller);
      sendTrapStorm({
        ratePerS: request.ratePerS,
        count: request.count,
        sourceAddress: request.sourceAddress,
        target: deps.target,
        signal: controller.signal,
        packet: stormPacket(request),
      })
        .then((result) => {
          deps.logger.info({ device: request.device, ...result }, 'trap storm ended');
        })
        .catch((error: unknown) => {
          deps.logger.warn({ err: error, device: request.device }, 'trap storm failed');
        })
        .finally(() => running.delete(controller));
    },
    abortAll() {
      for (const controller of running) controller.abort();
    },
  };
}
