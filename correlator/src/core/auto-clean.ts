import type { FaultEvent } from '@faultline/shared';

/** An open alarm as auto-clean sees it. */
export interface CleanableAlarm {
  readonly id: string;
  readonly reductionKey: string;
  readonly device: string;
  readonly deviceKnown: boolean;
  /** Its newest event, epoch ms (the device's clock). */
  readonly lastSeenMs: number;
  /** When the correlator last recorded it was raised, epoch ms (the correlator's clock). */
  readonly raisedAtMs: number;
}

/** The job id of the clear that auto-clean sends for an alarm: one per alarm, ever. */
export function autoCleanEventId(alarmId: string): string {
  return `autoclean-${alarmId}`;
}

/**
 * The clear events for alarms nothing has repeated for `staleMs` (by both the device's clock and
 * the correlator's), so a problem whose clear was lost does not stay open forever. They go through
 * the events queue like any other clear, with a deterministic id, so the alarm's history says who
 * cleared it and a redelivery counts once. Pure.
 */
export function staleAlarmClears(
  alarms: readonly CleanableAlarm[],
  nowMs: number,
  staleMs: number,
): FaultEvent[] {
  return alarms
    .filter((a) => nowMs - a.lastSeenMs >= staleMs && nowMs - a.raisedAtMs >= staleMs)
    .map((a) => ({
      id: autoCleanEventId(a.id),
      source: 'system' as const,
      device: a.device,
      deviceKnown: a.deviceKnown,
      type: 'autoClean',
      severity: 'cleared' as const,
      timeMs: nowMs,
      reductionKey: `autoClean:${a.reductionKey}`.slice(0, 500),
      clearKey: a.reductionKey,
      description: `Cleared automatically: nothing repeated it for ${String(Math.round(staleMs / 1000))} s`,
      details: { alarmId: a.id },
    }));
}
