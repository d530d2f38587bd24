import { retryDelayMs, type Alarm, type Device, type Logger } from '@faultline/shared';
import { linkAlarmTargets, linkAlarmsToVerify } from '../core/link-reconciliation.js';
import type { OpenAlarmReader } from '../ports.js';
import type { ReachabilityPipeline } from './reachability-pipeline.js';

/** Restart reconciliation of link alarms (see `core/link-reconciliation.ts`). */
export interface LinkReconciliation {
  /**
   * Reads the open link alarms of every configured interface and hands them to reachability,
   * whose next poll of each interface verifies them; call it before the first poll. When they
   * cannot be read (Redis away), resolves anyway and keeps trying in the background: polls and
   * traps matter more than this, and a late answer is verified by the polls after it.
   */
  start(): Promise<void>;
  /** Stops trying. */
  stop(): void;
}

/** What the reconciliation needs. */
export interface LinkReconciliationDeps {
  readonly devices: readonly Device[];
  readonly reader: OpenAlarmReader;
  readonly reachability: Pick<ReachabilityPipeline, 'expectOpenLinkAlarms'>;
  readonly logger: Logger;
  /** The longest wait between attempts (default 30 s); they double from 250 ms. */
  readonly maxDelayMs?: number;
}

/** Reads once at start, and again until it succeeds. */
export function createLinkReconciliation(deps: LinkReconciliationDeps): LinkReconciliation {
  const targets = linkAlarmTargets(deps.devices);
  const keys = targets.map((target) => target.reductionKey);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const apply = (open: ReadonlyMap<string, Alarm>): void => {
    let toVerify = 0;
    for (const [device, alarms] of linkAlarmsToVerify(targets, open)) {
      deps.reachability.expectOpenLinkAlarms(device, alarms);
      toVerify += alarms.size;
    }
    deps.logger.info({ toVerify }, 'open link alarms to verify at their next poll');
  };

  const attempt = async (n: number): Promise<void> => {
    let open: ReadonlyMap<string, Alarm>;
    try {
      open = await deps.reader.read(keys);
    } catch (error) {
      if (stopped) return;
      // Once, then at each tenth attempt: Redis may be away for long.
      if (n % 10 === 1) {
        deps.logger.error(
          { err: error, attempts: n },
          'open link alarms unreadable; retrying (until then, alarms left open while stopped are not verified)',
        );
      }
      timer = setTimeout(
        () => {
          timer = undefined;
          void attempt(n + 1);
        },
        retryDelayMs(n, deps.maxDelayMs ?? 30_000),
      );
      timer.unref();
      return;
    }
    if (!stopped) apply(open);
  };

  return {
    start: () => attempt(1),
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
