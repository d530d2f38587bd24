import { clearReasonOf, type Alarm, type AlarmChange } from '@faultline/shared';
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
  // Per alarm, its run of repeats so far: where its row and change sit, how many it holds and the
  // last one. The row and change are written when the run ends: a storm repeats one key thousands
  // of times, and only the last repeat's row is kept.
  interface Run {
    readonly historyAt: number;
    readonly changeAt: number;
    count: number;
    last: AlarmChangeDecision;
  }
  const runs = new Map<string, Run>();
  const endRun = (run: Run): void => {
    history[run.historyAt] = historyEntry(run.last, run.count);
    changes[run.changeAt] = { kind: run.last.kind, alarm: run.last.record.alarm };
  };
  for (const decision of changeDecisions(decisions)) {
    const { alarm } = decision.record;
    finalById.set(alarm.id, decision.record);
    const run = runs.get(alarm.id);
    if (run !== undefined && decision.kind === 'repeated') {
      run.count += 1;
      run.last = decision;
      continue;
    }
    if (run !== undefined) {
      endRun(run);
      runs.delete(alarm.id);
    }
    history.push(historyEntry(decision, 1));
    changes.push({ kind: decision.kind, alarm });
    if (decision.kind === 'repeated') {
      runs.set(alarm.id, {
        historyAt: history.length - 1,
        changeAt: changes.length - 1,
        count: 1,
        last: decision,
      });
    }
  }
  for (const run of runs.values()) endRun(run);
  const finals = [...finalById.values()];
  return {
    inserts: finals.filter((record) => !existingIds.has(record.alarm.id)),
    updates: finals.filter((record) => existingIds.has(record.alarm.id)),
    history,
    changes,
  };
}

/**
 * The history row of a decision, or of the last of `count` repeats in a row. A clear whose event
 * gives a reason (`details.clearReason`: a clear no device reported, say) states it.
 */
function historyEntry(decision: AlarmChangeDecision, count: number): HistoryEntry {
  const { alarm } = decision.record;
  const { event } = decision;
  const reason = decision.kind === 'cleared' ? clearReasonOf(event) : undefined;
  return {
    alarmId: alarm.id,
    at: isoTime(event.timeMs),
    change: decision.kind,
    severity: alarm.severity,
    actor: 'system',
    cause:
      count === 1
        ? `event ${event.id} (${event.type})${reason === undefined ? '' : `: ${reason}`}`
        : `${String(count)} events, the last ${event.id} (${event.type})`,
  };
}
