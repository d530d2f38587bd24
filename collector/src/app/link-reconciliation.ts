import type { Alarm, Device, Logger } from '@faultline/shared';
import { linkAlarmTargets, linkAlarmsToVerify } from '../core/link-reconciliation.js';
import type { OpenAlarmReader } from '../ports.js';
import type { ReachabilityPipeline } from './reachability-pipeline.js';

/**
 * At start, before the first poll: reads the open link alarms of every configured interface and
 * hands them to reachability, whose first poll of each interface verifies them. When the alarms
 * cannot be read, the collector starts anyway (its polls and traps matter more than this) and
 * says so: alarms left open meanwhile clear only at the link's next change, as before.
 */
export async function reconcileLinkAlarms(deps: {
  readonly devices: readonly Device[];
  readonly reader: OpenAlarmReader;
  readonly reachability: Pick<ReachabilityPipeline, 'expectOpenLinkAlarms'>;
  readonly logger: Logger;
}): Promise<void> {
  const targets = linkAlarmTargets(deps.devices);
  let open: ReadonlyMap<string, Alarm>;
  try {
    open = await deps.reader.read(targets.map((target) => target.reductionKey));
  } catch (error) {
    deps.logger.error(
      { err: error },
      'open link alarms unreadable; those left open while stopped wait for their next change',
    );
    return;
  }
  const byDevice = linkAlarmsToVerify(targets, open);
  let toVerify = 0;
  for (const [device, alarms] of byDevice) {
    deps.reachability.expectOpenLinkAlarms(device, alarms);
    toVerify += alarms.size;
  }
  deps.logger.info({ toVerify }, 'open link alarms to verify at first poll');
}
