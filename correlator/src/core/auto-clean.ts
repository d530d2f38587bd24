import type { FaultEvent } from '@faultline/shared';

/** An open alarm as auto-clean sees it. */
export interface CleanableAlarm {
  readonly id: string;
  readonly reductionKey: string;
  readonly type: string;
  readonly device: string;
  readonly deviceKnown: boolean;
  /** Its newest event, epoch ms (the device's clock). */
  readonly lastSeenMs: number;
  /** When the correlator last recorded it was raised, epoch ms (the correlator's clock). */
  readonly raisedAtMs: number;
}

/** After how long an alarm nothing repeated is cleared: by its type, else for every type. */
export interface StalePolicy {
  /** For types without an entry of their own; none when absent. */
  readonly anyMs?: number;
  readonly byTypeMs: ReadonlyMap<string, number>;
}

/** How long an alarm of `type` may go unrepeated before auto-clean clears it; undefined: never. */
export function staleAfterMs(policy: StalePolicy, type: string): number | undefined {
  return policy.byTypeMs.get(type) ?? policy.anyMs;
}

/** The job id of the clear that auto-clean sends for an alarm: one per alarm, ever. */
export function autoCleanEventId(alarmId: string): string {
  return `autoclean-${alarmId}`;
}

/**
 * The clear events for alarms nothing has repeated for as long as the policy gives their type (by
 * both the device's clock and the correlator's), so a problem whose clear was lost, or a
 * notification that never has one (a device's cold start), does not stay open forever. They go
 * through the events queue like any other clear, with a deterministic id, so the alarm's history
 * says who cleared it and a redelivery counts once. Pure.
 */
export function staleAlarmClears(
  alarms: readonly CleanableAlarm[],
  nowMs: number,
  policy: StalePolicy,
): FaultEvent[] {
  const events: FaultEvent[] = [];
  for (const a of alarms) {
    const staleMs = staleAfterMs(policy, a.type);
    if (staleMs === undefined || nowMs - a.lastSeenMs < staleMs || nowMs - a.raisedAtMs < staleMs)
      continue;
    events.push({
      id: autoCleanEventId(a.id),
      source: 'system',
      device: a.device,
      deviceKnown: a.deviceKnown,
      type: 'autoClean',
      severity: 'cleared',
      timeMs: nowMs,
      reductionKey: `autoClean:${a.reductionKey}`.slice(0, 500),
      clearKey: a.reductionKey,
      description: `Cleared automatically: nothing repeated it for ${String(Math.round(staleMs / 1000))} s`,
      details: { alarmId: a.id },
    });
  }
  return events;
}
