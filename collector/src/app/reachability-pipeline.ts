import type { Logger } from '@faultline/shared';
import type { Inventory } from '../core/inventory.js';
import {
  restartWindowMs,
  UNKNOWN_REACHABILITY,
  expectOpenLinkAlarms,
  reachabilityEvent,
  restartClearEvents,
  stepReachability,
  type DeviceReachability,
  type PollOutcome,
  type ReachabilityDecision,
} from '../core/reachability.js';
import type { EventSink } from '../ports.js';

/** Reachability decisions, counted by kind. */
export type ReachabilityCounts = Record<ReachabilityDecision['kind'], number>;

/** Poll outcomes → deviceDown/deviceUp and linkDown/linkUp events. */
export interface ReachabilityPipeline {
  handle(device: string, outcome: PollOutcome): void;
  /**
   * Link alarms open before this start on the device (ifIndex → last seen, epoch ms): the next
   * poll of each interface verifies them.
   */
  expectOpenLinkAlarms(device: string, alarms: ReadonlyMap<number, number>): void;
  readonly counts: Readonly<ReachabilityCounts>;
}

/**
 * Keeps each device's reachability in memory and sends what changes to the events queue. After a
 * restart a device that is still down raises again after `failuresToDown` failures (deduplicated
 * by the correlator under `deviceDown:<device>`); link alarms open before the restart are verified
 * by the first polls (`expectOpenLinkAlarms`, see `reconcileLinkAlarms`).
 */
export function createReachabilityPipeline(deps: {
  readonly inventory: Pick<Inventory, 'interfaceByIfIndex' | 'deviceByName'>;
  readonly sink: EventSink;
  readonly failuresToDown: number;
  readonly newId: () => string;
  readonly logger: Logger;
}): ReachabilityPipeline {
  const states = new Map<string, DeviceReachability>();
  const counts: ReachabilityCounts = {
    deviceDown: 0,
    deviceUp: 0,
    linkDown: 0,
    linkUp: 0,
    linkVerifiedUp: 0,
    restarted: 0,
  };
  return {
    counts,
    expectOpenLinkAlarms(device, alarms) {
      states.set(device, expectOpenLinkAlarms(states.get(device) ?? UNKNOWN_REACHABILITY, alarms));
    },
    handle(device, outcome) {
      const { state, decisions } = stepReachability(
        states.get(device) ?? UNKNOWN_REACHABILITY,
        outcome,
        deps.failuresToDown,
        restartWindowMs(deps.inventory.deviceByName(device)?.pollIntervalS ?? 0),
      );
      states.set(device, state);
      const timeMs = outcome.kind === 'answered' ? outcome.poll.timeMs : outcome.timeMs;
      for (const decision of decisions) {
        counts[decision.kind] += 1;
        const events =
          decision.kind === 'restarted'
            ? restartClearEvents(device, decision, timeMs, deps.newId)
            : [
                reachabilityEvent(
                  device,
                  decision,
                  timeMs,
                  deps.newId(),
                  (ifIndex) => deps.inventory.interfaceByIfIndex(device, ifIndex)?.name,
                ),
              ];
        for (const event of events) {
          deps.logger.info(
            { device, reductionKey: event.reductionKey },
            `poll saw ${decision.kind}`,
          );
          deps.sink.enqueue(event);
        }
      }
    },
  };
}
