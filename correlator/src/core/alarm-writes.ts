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
  /** One entry per change, in the order applied (an alarm's repeats in a row make one). */
  readonly history: readonly HistoryEntry[];
  /** One published change per alarm-changing decision, in the order applied (likewise). */
  readonly changes: readonly AlarmChange[];
}

/** The decisions that changed an alarm. */
export function changeDecisions(decisions: readonly AlarmDecision[]): AlarmChangeDecision[] {
  return decisions.filter((decision): decision is AlarmChangeDecision => 'record' in decision);
}

/**
 * Turns the decisions of one batch into rows to write: each alarm is written once, in its final
 * state (inserted if it did not exist before the batch, updated otherwise), plus one history row
 * and one published change per decision, except that an alarm's repeats in a row within the batch
 * make one history row (naming how many events and the last) and one change (its latest state):
 * a storm repeating a key thousands of times adds rows by the batch, not by the event.
 */
export function planWrites(before: OpenAlarms, decisions: readonly AlarmDecision[]): AlarmWrites {
  const existingIds = new Set([...before.values()].map((record) => record.alarm.id));
  const finalById = new Map<string, AlarmRecord>();
  const history: HistoryEntry[] = [];
  const changes: AlarmChange[] = [];
  // Per alarm, its run of repeats so far: where its row and change sit, and how many it holds.
  const repeats = new Map<string, { historyAt: number; changeAt: number; count: number }>();
  for (const decision of changeDecisions(decisions)) {
    const { alarm } = decision.record;
    const { event } = decision;
    finalById.set(alarm.id, decision.record);
    const run = decision.kind === 'repeated' ? repeats.get(alarm.id) : undefined;
    const count = (run?.count ?? 0) + 1;
    const entry: HistoryEntry = {
      alarmId: alarm.id,
      at: isoTime(event.timeMs),
      change: decision.kind,
      severity: alarm.severity,
      actor: 'system',
      cause:
        count === 1
          ? `event ${event.id} (${event.type})`
          : `${String(count)} events, the last ${event.id} (${event.type})`,
    };
    const change: AlarmChange = { kind: decision.kind, alarm };
    if (run === undefined) {
      history.push(entry);
      changes.push(change);
    } else {
      history[run.historyAt] = entry;
      changes[run.changeAt] = change;
    }
    if (decision.kind === 'repeated') {
      repeats.set(alarm.id, {
        historyAt: run?.historyAt ?? history.length - 1,
        changeAt: run?.changeAt ?? changes.length - 1,
        count,
      });
    } else {
      repeats.delete(alarm.id);
    }
  }
  const finals = [...finalById.values()];
  return {
    inserts: finals.filter((record) => !existingIds.has(record.alarm.id)),
    updates: finals.filter((record) => existingIds.has(record.alarm.id)),
    history,
    changes,
  };
}
