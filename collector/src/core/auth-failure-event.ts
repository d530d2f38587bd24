import type { FaultEvent } from '@faultline/shared';

/** The event type of a notification that failed the collector's authorization. */
export const TRAP_AUTH_FAILURE_TYPE = 'trapAuthenticationFailure';

/**
 * The security event for notifications from one source that failed authorization (wrong
 * community, unknown v3 user, wrong key). One per source and rate-limit interval, keyed by the
 * source, so a misconfigured or hostile sender is one alarm, not a storm. It carries why in words
 * (never the community tried) and how many failures were folded into it.
 */
export function authFailureEvent(input: {
  readonly id: string;
  readonly timeMs: number;
  readonly sourceAddress: string;
  /** The configured device at that address, when there is one. */
  readonly device: string | undefined;
  readonly reason: string;
  /** Failures from this source since the previous event that were not reported. */
  readonly suppressedBefore: number;
}): FaultEvent {
  const device = input.device ?? input.sourceAddress;
  return {
    id: input.id,
    source: 'trap',
    device,
    deviceKnown: input.device !== undefined,
    type: TRAP_AUTH_FAILURE_TYPE,
    severity: 'warning',
    timeMs: input.timeMs,
    reductionKey: `${TRAP_AUTH_FAILURE_TYPE}:${device}`,
    description: `SNMP notification from ${input.sourceAddress} refused: ${input.reason}`,
    details: {
      sourceAddress: input.sourceAddress,
      reason: input.reason,
      suppressedBefore: input.suppressedBefore,
    },
  };
}
