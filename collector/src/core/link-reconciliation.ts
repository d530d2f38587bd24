import type { Alarm, Device } from '@faultline/shared';
import { linkDownKey } from './reachability.js';

/**
 * Restart reconciliation of link alarms. The collector keeps link states in memory only, and
 * reports changes; so a link that came back while it was stopped (its linkUp trap lost with it)
 * would leave the linkDown alarm open until the next flap. At start it therefore reads which link
 * alarms are open (the correlator's Redis mirror) for the interfaces it polls, and its first poll
 * of each verifies them (`stepReachability`): only those, so a start costs one clear per link
 * that really came back, not one per interface.
 */

/** A link alarm a poll of this collector can verify: a configured interface of a polled device. */
export interface LinkAlarmTarget {
  readonly device: string;
  readonly ifIndex: number;
  /** `linkDown:<device>:ifIndex=<n>`, the key traps and polls raise the alarm under. */
  readonly reductionKey: string;
}

/** Every configured interface's link alarm key: the only link alarms polls can verify. */
export function linkAlarmTargets(
  devices: readonly Pick<Device, 'name' | 'interfaces'>[],
): LinkAlarmTarget[] {
  return devices.flatMap((device) =>
    device.interfaces.map((i) => ({
      device: device.name,
      ifIndex: i.ifIndex,
      reductionKey: linkDownKey(device.name, i.ifIndex),
    })),
  );
}

/**
 * The link alarms to verify, by device, then ifIndex → when each was last seen (epoch ms): every
 * target with an open (active or acknowledged) alarm. Its `lastSeen`, the time of its newest
 * event, is where the unknown stretch begins.
 */
export function linkAlarmsToVerify(
  targets: readonly LinkAlarmTarget[],
  open: ReadonlyMap<string, Pick<Alarm, 'state' | 'lastSeen'>>,
): Map<string, Map<number, number>> {
  const byDevice = new Map<string, Map<number, number>>();
  for (const { device, ifIndex, reductionKey } of targets) {
    const alarm = open.get(reductionKey);
    if (alarm === undefined || alarm.state === 'cleared') continue;
    let links = byDevice.get(device);
    if (links === undefined) byDevice.set(device, (links = new Map<number, number>()));
    links.set(ifIndex, Date.parse(alarm.lastSeen));
  }
  return byDevice;
}
