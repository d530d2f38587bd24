import type { Logger } from '@faultline/shared';
import { planFlap, type FlapPlan, type PortRef } from './core/flaps.js';

/** What random demo flaps need from the simulator. */
export interface DemoFlapsDeps {
  readonly ports: readonly PortRef[];
  readonly meanIntervalMs: number;
  readonly random: () => number;
  readonly isUp: (device: string, ifName: string) => boolean;
  readonly setLink: (device: string, ifName: string, up: boolean) => Promise<void>;
  /** Runs an action after a delay, unless the simulator stops first. */
  readonly later: (action: () => void, delayMs: number) => void;
  readonly isRunning: () => boolean;
  readonly logger: Logger;
}

/**
 * Starts the demo's random flaps: one port at a time goes down for a while and comes back, then
 * the next is planned (`core/flaps.ts` decides which and when). Failures are logged, never thrown.
 */
export function startDemoFlaps(deps: DemoFlapsDeps): void {
  const { logger } = deps;

  const runFlap = (plan: FlapPlan): void => {
    const { device, ifName } = plan.port;
    deps
      .setLink(device, ifName, false)
      .then(() => {
        deps.later(() => {
          if (!deps.isRunning()) return;
          deps.setLink(device, ifName, true).catch((error: unknown) => {
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
    if (!deps.isRunning()) return;
    const candidates = deps.ports.filter((p) => deps.isUp(p.device, p.ifName));
    const plan = planFlap(candidates, deps.meanIntervalMs, [
      deps.random(),
      deps.random(),
      deps.random(),
    ]);
    if (plan === undefined) {
      deps.later(scheduleFlap, deps.meanIntervalMs);
      return;
    }
    deps.later(() => {
      if (deps.isRunning()) runFlap(plan);
    }, plan.delayMs);
  }

  scheduleFlap();
}
