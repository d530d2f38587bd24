import type { FaultEvent } from '@faultline/shared';
import type { DevicePoll } from './interface-points.js';

/** What polls have shown of one device. */
export interface DeviceReachability {
  /** Consecutive failed polls. */
  readonly failures: number;
  /** True once `deviceDown` was raised, until a poll answers. */
  readonly down: boolean;
  /** Last oper status seen per ifIndex (IF-MIB ifOperStatus). */
  readonly operStatus: ReadonlyMap<number, number>;
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
  | { readonly kind: 'linkUp'; readonly ifIndex: number; readonly previous: number };

/** The state of a device no poll has reached yet. */
export const UNKNOWN_REACHABILITY: DeviceReachability = {
  failures: 0,
  down: false,
  operStatus: new Map(),
};

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
 */
export function stepReachability(
  state: DeviceReachability,
  outcome: PollOutcome,
  failuresToDown: number,
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
  const operStatus = new Map(state.operStatus);
  for (const polled of outcome.poll.interfaces) {
    if (polled.operStatus === undefined) continue;
    const previous = state.operStatus.get(polled.ifIndex);
    operStatus.set(polled.ifIndex, polled.operStatus);
    const isDown = DOWN_STATUSES.has(polled.operStatus);
    if (isDown && (previous === undefined || !DOWN_STATUSES.has(previous))) {
      decisions.push({ kind: 'linkDown', ifIndex: polled.ifIndex, operStatus: polled.operStatus });
    } else if (polled.operStatus === UP && previous !== undefined && DOWN_STATUSES.has(previous)) {
      decisions.push({ kind: 'linkUp', ifIndex: polled.ifIndex, previous });
    }
  }
  return { state: { failures: 0, down: false, operStatus }, decisions };
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
  decision: ReachabilityDecision,
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
    case 'linkUp': {
      const name = interfaceName(decision.ifIndex);
      const where = name ?? `ifIndex ${String(decision.ifIndex)}`;
      const key = linkDownKey(device, decision.ifIndex);
      const common = {
        ...base,
        ...(name === undefined ? {} : { component: name }),
        type: decision.kind,
        details: {
          ifIndex: decision.ifIndex,
          operStatus: decision.kind === 'linkDown' ? decision.operStatus : 1,
        },
      };
      return decision.kind === 'linkDown'
        ? {
            ...common,
            severity: 'major',
            reductionKey: key,
            description: `Interface ${where} on ${device} is down (seen by poll)`,
          }
        : {
            ...common,
            severity: 'cleared',
            reductionKey: `linkUp:${device}:ifIndex=${String(decision.ifIndex)}`,
            clearKey: key,
            description: `Interface ${where} on ${device} is up again (seen by poll)`,
          };
    }
  }
}
