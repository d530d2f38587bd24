import type { Logger } from '@faultline/shared';
import type { SnmpPoller } from '../adapters/snmp-poller.js';
import type { PollOwners } from '../ports.js';

/** Collectors splitting the devices to poll between them (see `PollOwners`). */
export interface PollSharing {
  /** Claims this collector's share once (polling it) and renews it every tick from then on. */
  start(): Promise<void>;
  /** Stops renewing and gives up the member and its devices, for the others to take at once. */
  stop(): Promise<void>;
}

/** What poll sharing needs. */
export interface PollSharingDeps {
  readonly owners: PollOwners;
  /** This collector's member id: stable across its restarts, unique among running collectors. */
  readonly member: string;
  readonly poller: Pick<SnmpPoller, 'assign'>;
  /** Time between claims; well under the owners' lease, so a live collector never loses one. */
  readonly tickMs: number;
  readonly logger: Logger;
}

/**
 * Keeps the poller polling this collector's share: each tick claims it, and hands the poller what
 * it owns now (with each device's last poll, so a device changing hands is polled one interval
 * after its previous poll: never twice, never skipped). While Redis does not answer, it polls
 * what it owned (a device is then polled twice rather than not at all should its lease run out
 * and another collector take it); started without Redis, it polls nothing until Redis answers.
 */
export function createPollSharing(deps: PollSharingDeps): PollSharing {
  const { logger } = deps;
  let owned = new Set<string>();
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();

  const tick = async (): Promise<void> => {
    let claimed: Map<string, number | undefined>;
    try {
      claimed = await deps.owners.claim(deps.member);
    } catch (error) {
      if (!failing) logger.warn({ err: error, devices: owned.size }, 'poll share not renewed');
      failing = true;
      return;
    }
    if (failing) logger.info({ devices: claimed.size }, 'poll share renewed again');
    failing = false;
    const taken = [...claimed.keys()].filter((device) => !owned.has(device));
    const given = [...owned].filter((device) => !claimed.has(device));
    if (taken.length > 0 || given.length > 0) {
      logger.info(
        { member: deps.member, taken, given, polling: claimed.size },
        'poll share changed',
      );
    }
    owned = new Set(claimed.keys());
    deps.poller.assign(claimed);
  };

  return {
    async start() {
      await tick();
      timer = setInterval(() => {
        ticking = ticking.then(tick);
      }, deps.tickMs);
    },
    async stop() {
      clearInterval(timer);
      await ticking;
      try {
        await deps.owners.release(deps.member);
      } catch (error) {
        logger.warn({ err: error }, 'poll share not given up; the others take it when it expires');
      }
    },
  };
}
