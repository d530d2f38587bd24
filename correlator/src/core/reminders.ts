/** An unresolved incident as reminders see it. */
export interface ReminderState {
  readonly incidentId: string;
  readonly state: 'open' | 'acknowledged' | 'resolved';
  /** Ticketed and pushed: reminders only follow a push. */
  readonly announced: boolean;
  /** When it was first pushed (opened, or announced after maintenance), epoch ms. */
  readonly announcedAtMs: number;
  /** Reminders sent so far. */
  readonly remindersSent: number;
  /** When the last reminder was sent, epoch ms, if any. */
  readonly lastReminderAtMs: number | undefined;
}

/** Most reminders per incident: after that, silence until someone acknowledges or it resolves. */
export const MAX_REMINDERS = 10;

/**
 * Which incidents are due a reminder push: open (not acknowledged) and announced, `ackTimeoutMs`
 * after the push for the first reminder, then twice as long after each reminder (backoff).
 * Returns the number of each reminder due. Pure.
 */
export function remindersDue(
  incidents: readonly ReminderState[],
  nowMs: number,
  ackTimeoutMs: number,
): { incidentId: string; reminder: number }[] {
  const due: { incidentId: string; reminder: number }[] = [];
  for (const incident of incidents) {
    if (incident.state !== 'open' || !incident.announced) continue;
    if (incident.remindersSent >= MAX_REMINDERS) continue;
    const since = incident.lastReminderAtMs ?? incident.announcedAtMs;
    const wait = ackTimeoutMs * 2 ** incident.remindersSent;
    if (nowMs - since >= wait)
      due.push({ incidentId: incident.incidentId, reminder: incident.remindersSent + 1 });
  }
  return due;
}
