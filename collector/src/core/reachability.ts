import { CLEAR_REASON_DETAIL, type FaultEvent } from '@faultline/shared';
import { RESTART_TRAP_TYPES, restartAlarmKey } from './event-definitions.js';
import type { DevicePoll } from './interface-points.js';

/** What polls have shown of one device. */
export interface DeviceReachability {
  /** Consecutive failed polls. */
  readonly failures: number;
  /** True once `deviceDown` was raised, until a poll answers. */
  readonly down: boolean;
  /** Last oper status seen per ifIndex (IF-MIB ifOperStatus). */
  readonly operStatus: ReadonlyMap<number, number>;
  /**
   * Link alarms open in the correlator when this collector started, not yet verified by a poll:
   * per ifIndex, when the alarm was last seen (epoch ms). The next poll that finds the interface up
   * or down settles each one.
   */
  readonly unverified: ReadonlyMap<number, number>;
  /** sysUpTime.0 of the last answer that gave it (hundredths of a second). */
  readonly uptimeTicks?: number;
  /**
   * A restart was seen and is reported at the next answer: by then the device's own coldStart or
   * warmStart trap, sent as it booted, has surely been recorded (a clear that overtook it would
   * find nothing to clear and leave the record open).
   */
  readonly restartPending?: true;
}

/** One poll outcome. */
export type PollOutcome =
  | { readonly kind: 'answered'; readonly poll: DevicePoll }
  | { readonly kind: 'failed'; readonly timeMs: number; readonly reason: string };

/** What a poll outcome means for faults. */
export type ReachabilityDecision =
  | { readonly kind: 'deviceDown'; readonly failures: number; readonly reason: string }
  | { readonly kind: 'deviceUp'; readonly failures: number }
  | { readonly kind: 'linkDown'; readonly ifIndex: number; readonly operStatus: number }
  | { readonly kind: 'linkUp'; readonly ifIndex: number; readonly previous: number }
  /** An open link alarm from before this start, which the first poll found up. */
  | { readonly kind: 'linkVerifiedUp'; readonly ifIndex: number; readonly lastKnownMs: number }
  /** The device answers after a restart (once per boot): its restart alarms are over. */
  | { readonly kind: 'restarted'; readonly uptimeS: number };

/** The state of a device no poll has reached yet. */
export const UNKNOWN_REACHABILITY: DeviceReachability = {
  failures: 0,
  down: false,
  operStatus: new Map(),
  unverified: new Map(),
};

/**
 * The state with these link alarms (ifIndex → when last seen, epoch ms) to verify at the next poll
 * of each interface; a later time for one already waiting replaces the earlier.
 */
export function expectOpenLinkAlarms(
  state: DeviceReachability,
  alarms: ReadonlyMap<number, number>,
): DeviceReachability {
  if (alarms.size === 0) return state;
  const unverified = new Map(state.unverified);
  for (const [ifIndex, lastSeenMs] of alarms)
    unverified.set(ifIndex, Math.max(lastSeenMs, unverified.get(ifIndex) ?? lastSeenMs));
  return { ...state, unverified };
}

/**
 * A first answer with less uptime than this many poll intervals shows a restart: the device
 * booted around this collector's start, and its coldStart may well be open.
 */
export const RESTART_WINDOW_POLLS = 2;
/**
 * The window is never shorter than this: a first poll delayed on a busy collector, or a device
 * whose clock runs ahead of a long poll interval, still counts as just booted.
 */
export const MIN_RESTART_WINDOW_MS = 15 * 60_000;

/** How recently a device must have booted for its first answer to show a restart. */
export function restartWindowMs(pollIntervalS: number): number {
  return Math.max(pollIntervalS * 1000 * RESTART_WINDOW_POLLS, MIN_RESTART_WINDOW_MS);
}

/**
 * Whether an answer shows a restart not yet reported: sysUpTime went back since the last answer
 * that gave it, or, with no earlier answer (the first since this collector started), the device
 * booted less than `restartWindowMs` ago. A device that booted long before this start says
 * nothing; one whose uptime keeps growing is the same boot. sysUpTime wraps after 497 days, and
 * that wrap reads as a restart: one clear of restart alarms that are most likely not open.
 */
function restartSeen(
  previousTicks: number | undefined,
  ticks: number | undefined,
  restartWindowMs: number,
): boolean {
  if (ticks === undefined) return false;
  if (previousTicks !== undefined) return ticks < previousTicks;
  return ticks * 10 < restartWindowMs;
}

/** ifOperStatus values that mean the link is down: down(2), lowerLayerDown(7). */
const DOWN_STATUSES = new Set([2, 7]);
const UP = 1;

/**
 * One poll outcome for one device. `failuresToDown` consecutive failures raise `deviceDown` once;
 * the next answer clears it. An answered poll compares each interface's oper status with the last
 * one seen: a change to down raises `linkDown`, a change from down to up clears it. An interface
 * seen down on its first poll (after a collector restart, say) raises too: the problem is there,
 * and the correlator deduplicates it with the trap's. Other statuses (testing, dormant…) neither
 * raise nor clear, and are remembered. Interfaces keep their last status while the device does not
 * answer, so a device coming back reports only what changed.
 *
 * An interface with an open link alarm to verify (`unverified`, from before this start) is judged
 * against that alarm instead of its last status: up clears it (`linkVerifiedUp`), down confirms it
 * and says nothing (the alarm is open already); either settles it. Other statuses leave it waiting.
 *
 * An answer that shows a restart (see `restartSeen`; `restartWindowMs` is a couple of poll
 * intervals) makes the next answer report `restarted`, once: the device is back and answering, so
 * its restart alarms are over. (Reported one poll later, never before the device's own trap.)
 */
export function stepReachability(
  state: DeviceReachability,
  outcome: PollOutcome,
  failuresToDown: number,
  restartWindowMs: number,
): { state: DeviceReachability; decisions: ReachabilityDecision[] } {
  if (outcome.kind === 'failed') {
    const failures = state.failures + 1;
    const raise = !state.down && failures >= failuresToDown;
    return {
      state: { ...state, failures, down: state.down || raise },
      decisions: raise ? [{ kind: 'deviceDown', failures, reason: outcome.reason }] : [],
    };
  }
  const decisions: ReachabilityDecision[] = state.down
    ? [{ kind: 'deviceUp', failures: state.failures }]
    : [];
  const { uptimeTicks } = outcome.poll;
  const restarted =
    uptimeTicks !== undefined && restartSeen(state.uptimeTicks, uptimeTicks, restartWindowMs);
  if (state.restartPending === true && !restarted) {
    const ticks = uptimeTicks ?? state.uptimeTicks;
    if (ticks !== undefined)
      decisions.push({ kind: 'restarted', uptimeS: Math.floor(ticks / 100) });
  }
  const operStatus = new Map(state.operStatus);
  const unverified = new Map(state.unverified);
  for (const polled of outcome.poll.interfaces) {
    if (polled.operStatus === undefined) continue;
    const previous = state.operStatus.get(polled.ifIndex);
    operStatus.set(polled.ifIndex, polled.operStatus);
    const isDown = DOWN_STATUSES.has(polled.operStatus);
    const lastKnownMs = unverified.get(polled.ifIndex);
    if (lastKnownMs !== undefined) {
      if (polled.operStatus === UP) {
        decisions.push({ kind: 'linkVerifiedUp', ifIndex: polled.ifIndex, lastKnownMs });
      }
      if (polled.operStatus === UP || isDown) unverified.delete(polled.ifIndex);
    } else if (isDown && (previous === undefined || !DOWN_STATUSES.has(previous))) {
      decisions.push({ kind: 'linkDown', ifIndex: polled.ifIndex, operStatus: polled.operStatus });
    } else if (polled.operStatus === UP && previous !== undefined && DOWN_STATUSES.has(previous)) {
      decisions.push({ kind: 'linkUp', ifIndex: polled.ifIndex, previous });
    }
  }
  const lastTicks = uptimeTicks ?? state.uptimeTicks;
  return {
    state: {
      failures: 0,
      down: false,
      operStatus,
      unverified,
      ...(lastTicks === undefined ? {} : { uptimeTicks: lastTicks }),
      // Seen now, or seen before and not reported (the answer showed yet another restart).
      ...(restarted ? { restartPending: true as const } : {}),
    },
    decisions,
  };
}

/** `deviceDown:<device>`: the reduction key of an unreachable device. */
export function deviceDownKey(device: string): string {
  return `deviceDown:${device}`;
}

/** `linkDown:<device>:ifIndex=<n>`: the same key the built-in linkDown trap definition makes. */
export function linkDownKey(device: string, ifIndex: number): string {
  return `linkDown:${device}:ifIndex=${String(ifIndex)}`;
}

/**
 * The event of a decision, `source: poll`. Keys match the trap definitions (`linkDown` /
 * `linkUp`), so a trap and a poll seeing the same fault make one alarm and clear each other's.
 */
export function reachabilityEvent(
  device: string,
  decision: Exclude<ReachabilityDecision, { kind: 'restarted' }>,
  timeMs: number,
  id: string,
  interfaceName: (ifIndex: number) => string | undefined,
): FaultEvent {
  const base = { id, source: 'poll' as const, device, deviceKnown: true, timeMs };
  switch (decision.kind) {
    case 'deviceDown':
      return {
        ...base,
        type: 'deviceDown',
        severity: 'critical',
        reductionKey: deviceDownKey(device),
        description: `${device} does not answer SNMP polls (${String(decision.failures)} in a row)`,
        details: { failures: decision.failures, reason: decision.reason },
      };
    case 'deviceUp':
      return {
        ...base,
        type: 'deviceUp',
        severity: 'cleared',
        reductionKey: `deviceUp:${device}`,
        clearKey: deviceDownKey(device),
        description: `${device} answers SNMP polls again`,
        details: { failedPolls: decision.failures },
      };
    case 'linkDown':
    case 'linkUp':
    case 'linkVerifiedUp': {
      const name = interfaceName(decision.ifIndex);
      const where = name ?? `ifIndex ${String(decision.ifIndex)}`;
      const key = linkDownKey(device, decision.ifIndex);
      const common = {
        ...base,
        ...(name === undefined ? {} : { component: name }),
        type: decision.kind === 'linkDown' ? 'linkDown' : 'linkUp',
      };
      const details = {
        ifIndex: decision.ifIndex,
        operStatus: decision.kind === 'linkDown' ? decision.operStatus : UP,
      };
      if (decision.kind === 'linkDown') {
        return {
          ...common,
          severity: 'major',
          reductionKey: key,
          description: `Interface ${where} on ${device} is down (seen by poll)`,
          details,
        };
      }
      const clear = {
        ...common,
        severity: 'cleared' as const,
        reductionKey: `linkUp:${device}:ifIndex=${String(decision.ifIndex)}`,
        clearKey: key,
      };
      if (decision.kind === 'linkUp') {
        return {
          ...clear,
          description: `Interface ${where} on ${device} is up again (seen by poll)`,
          details,
        };
      }
      const reason = verifiedUpReason(decision.lastKnownMs, timeMs);
      return {
        ...clear,
        description: `Interface ${where} on ${device} ${reason}`,
        details: {
          ...details,
          [CLEAR_REASON_DETAIL]: reason,
          unknownFromMs: Math.min(decision.lastKnownMs, timeMs),
          verifiedAtMs: timeMs,
        },
      };
    }
  }
}

/**
 * Why a link alarm from before a restart was cleared: a poll found the interface up, and nothing
 * is known of it from the alarm's last event to that poll (a flap in between went unseen).
 */
export function verifiedUpReason(lastKnownMs: number, verifiedAtMs: number): string {
  const from = new Date(Math.min(lastKnownMs, verifiedAtMs)).toISOString();
  const to = new Date(verifiedAtMs).toISOString();
  return `verified up by poll; state unknown between ${from} and ${to}`;
}

/**
 * The events of a `restarted` decision, `source: poll`: one clear for each restart alarm the
 * built-in coldStart and warmStart definitions make (`restartAlarmKey`), with the reason in
 * `details.clearReason`. The one the device did not send clears nothing (an orphan clear).
 */
export function restartClearEvents(
  device: string,
  decision: Extract<ReachabilityDecision, { kind: 'restarted' }>,
  timeMs: number,
  newId: () => string,
): FaultEvent[] {
  const reason = `restarted ${String(decision.uptimeS)} s before this poll; answers polls again`;
  return RESTART_TRAP_TYPES.map((type) => ({
    id: newId(),
    source: 'poll' as const,
    device,
    deviceKnown: true,
    type: 'restartOver',
    severity: 'cleared' as const,
    timeMs,
    reductionKey: `restartOver:${device}:${type}`,
    clearKey: restartAlarmKey(type, device),
    description: `${device} ${reason}`,
    details: { uptimeS: decision.uptimeS, [CLEAR_REASON_DETAIL]: reason },
  }));
}
