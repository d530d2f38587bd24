import type { Alarm, AlarmChange } from '@faultline/shared';
import type { AlarmRecord, OpenAlarms } from '../core/alarm-reducer.js';
import type { AlarmWrites } from '../core/alarm-writes.js';

/** The columns of an alarm the correlation step writes (its annotations), as an update returns them. */
export interface AnnotationRow {
  id: string;
  caused_by: string | null;
  explanation: string | null;
  ticket_id: string | null;
  flap_count: number;
}

/**
 * The committed alarms with their annotations as PostgreSQL has them. The correlation step
 * annotates alarms (root cause, explanation, ticket, flaps) in its own transactions, so the ones
 * kept in memory may carry older annotations; the update of a commit answers with the current
 * ones, and what is mirrored and published carries those. Alarms whose annotations did not change
 * (nearly all) are kept as they are.
 */
export function withAnnotations(
  rows: readonly AnnotationRow[],
  open: OpenAlarms,
  writes: AlarmWrites,
): { readonly open: OpenAlarms; readonly writes: AlarmWrites } {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const replaced = new Map<Alarm, Alarm>();
  const current = (alarm: Alarm): Alarm => {
    const row = byId.get(alarm.id);
    if (row === undefined) return alarm;
    let found = replaced.get(alarm);
    if (found === undefined) replaced.set(alarm, (found = annotated(alarm, row)));
    return found;
  };
  let changed = false;
  const nextOpen = new Map<string, AlarmRecord>();
  for (const [key, record] of open) {
    const alarm = current(record.alarm);
    changed ||= alarm !== record.alarm;
    nextOpen.set(key, alarm === record.alarm ? record : { ...record, alarm });
  }
  const changes = writes.changes.map((change): AlarmChange => {
    const alarm = current(change.alarm);
    changed ||= alarm !== change.alarm;
    return alarm === change.alarm ? change : { ...change, alarm };
  });
  return changed ? { open: nextOpen, writes: { ...writes, changes } } : { open, writes };
}

/** The alarm with the row's annotations: the same object when they are the alarm's already. */
function annotated(alarm: Alarm, row: AnnotationRow): Alarm {
  const flapCount = row.flap_count > 1 ? row.flap_count : undefined;
  if (
    alarm.causedBy === row.caused_by &&
    alarm.explanation === row.explanation &&
    alarm.ticketId === row.ticket_id &&
    alarm.flapCount === flapCount
  )
    return alarm;
  const next: Alarm = {
    ...alarm,
    causedBy: row.caused_by,
    explanation: row.explanation,
    ticketId: row.ticket_id,
  };
  // Absent below two, as `alarmFromRow` has it (the contract's minimum is 2).
  if (flapCount === undefined) delete next.flapCount;
  else next.flapCount = flapCount;
  return next;
}
