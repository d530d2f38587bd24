import type { Alarm, AlarmChange } from '@faultline/shared';
import {
  isoTime,
  type AlarmChangeDecision,
  type AlarmDecision,
  type AlarmRecord,
  type OpenAlarms,
} from './alarm-reducer.js';

/** One row of an alarm's history: a change, when it happened, who and what caused it. */
export interface HistoryEntry {
  readonly alarmId: string;
  readonly at: string;
  readonly change: AlarmChange['kind'];
  readonly severity: Alarm['severity'];
  readonly actor: string;
  readonly cause: string;
}

/** Everything one reduced batch must write, derived from its decisions. */
export interface AlarmWrites {
  /** Alarms first seen in this batch, in their final state. */
  readonly inserts: readonly AlarmRecord[];
  /** Alarms that existed before the batch, in their final state. */
  readonly updates: readonly AlarmRecord[];
  /** One entry per change, in the order applied. */
  readonly history: readonly HistoryEntry[];
  /** One published change per alarm-changing decision, in the order applied. */
  readonly changes: readonly AlarmChange[];
}

/** The decisions that changed an alarm. */
export function changeDecisions(decisions: readonly AlarmDecision[]): AlarmChangeDecision[] {
  return decisions.filter((decision): decision is AlarmChangeDecision => 'record' in decision);
}

/**
 * Turns the decisions of one batch into rows to write: each alarm is written once, in its final
 * state (inserted if it did not exist before the batch, updated otherwise), plus one history row
 * and one published change per decision.
 */
export function planWrites(before: OpenAlarms, decisions: readonly AlarmDecision[]): AlarmWrites {
  const existingIds = new Set([...before.values()].map((record) => record.alarm.id));
  const finalById = new Map<string, AlarmRecord>();
  const history: HistoryEntry[] = [];
  const changes: AlarmChange[] = [];
  for (const decision of changeDecisions(decisions)) {
    const { alarm } = decision.record;
    finalById.set(alarm.id, decision.record);
    history.push({
      alarmId: alarm.id,
      at: isoTime(decision.event.timeMs),
      change: decision.kind,
      severity: alarm.severity,
      actor: 'system',
      cause: `event ${decision.event.id} (${decision.event.type})`,
    });
    changes.push({ kind: decision.kind, alarm });
  }
  const finals = [...finalById.values()];
  return {
    inserts: finals.filter((record) => !existingIds.has(record.alarm.id)),
    updates: finals.filter((record) => existingIds.has(record.alarm.id)),
    history,
    changes,
  };
}
