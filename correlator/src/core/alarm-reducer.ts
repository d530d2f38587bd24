import {
  clearKeyOf,
  severityRank,
  type Alarm,
  type FaultEvent,
  type Severity,
} from '@faultline/shared';

/**
 * An alarm together with the raw details of the last event it absorbed. The details are stored
 * with the alarm (evidence for engineers) but are not part of the published `Alarm` contract.
 * The alarm's first and last seen times are kept as epoch milliseconds too (the same instants as
 * `alarm.firstSeen` and `alarm.lastSeen`): the reducer compares every event's time with them, and
 * parsing the ISO text for each event was a measurable part of a commit (docs/benchmarks.md).
 */
export interface AlarmRecord {
  readonly alarm: Alarm;
  readonly details: Readonly<Record<string, unknown>>;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/** The record of an alarm read from elsewhere (a row, a fixture): its times parsed once. */
export function alarmRecord(alarm: Alarm, details: AlarmRecord['details']): AlarmRecord {
  return {
    alarm,
    details,
    firstSeenMs: Date.parse(alarm.firstSeen),
    lastSeenMs: Date.parse(alarm.lastSeen),
  };
}

/** The open (active or acknowledged) alarms, by reduction key: at most one per key. */
export type OpenAlarms = ReadonlyMap<string, AlarmRecord>;

/**
 * What one event did. `record` is the alarm as it stands right after this event, so a batch that
 * touches one alarm several times yields one decision per event, the last one being its final state.
 */
export type AlarmDecision =
  | { readonly kind: 'raised'; readonly event: FaultEvent; readonly record: AlarmRecord }
  | { readonly kind: 'repeated'; readonly event: FaultEvent; readonly record: AlarmRecord }
  | {
      readonly kind: 'escalated';
      readonly event: FaultEvent;
      readonly record: AlarmRecord;
      readonly previousSeverity: Severity;
    }
  | { readonly kind: 'cleared'; readonly event: FaultEvent; readonly record: AlarmRecord }
  /**
   * The event was applied before: its id came earlier in this commit, or its whole batch was
   * applied by an earlier delivery (see `AlarmStore.applyBatch`).
   */
  | { readonly kind: 'duplicate'; readonly event: FaultEvent }
  /** A clear for a key with no open alarm: recorded, but it changes no alarm. */
  | { readonly kind: 'orphanClear'; readonly event: FaultEvent; readonly clearKey: string };

/** Kinds of decisions that change an alarm. */
export type AlarmChangeDecision = Extract<AlarmDecision, { record: AlarmRecord }>;

/** One commit's events to reduce (batches already applied are left out before). */
export interface ReduceInput {
  readonly events: readonly FaultEvent[];
}

/** What the reducer needs from outside to stay pure. */
export interface ReduceDeps {
  /** Returns a fresh, unique alarm id (a UUID in production, a counter in tests). */
  readonly newAlarmId: () => string;
}

/** The outcome of one batch: the open alarms afterwards and one decision per event, in order. */
export interface ReduceResult {
  readonly open: OpenAlarms;
  readonly decisions: readonly AlarmDecision[];
}

/**
 * Orders events by time, then by id, so that every worker (and every retry) applies one batch in
 * the same order whatever order the collector sent it in.
 */
export function orderEvents(events: readonly FaultEvent[]): FaultEvent[] {
  return [...events].sort((a, b) =>
    a.timeMs !== b.timeMs ? a.timeMs - b.timeMs : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

/** ISO 8601 in UTC from epoch milliseconds. */
export function isoTime(timeMs: number): string {
  return new Date(timeMs).toISOString();
}

/** The end of an ISO time after its second's `.`, for each millisecond: `000Z` … `999Z`. */
const MILLISECOND_TAILS = Array.from(
  { length: 1000 },
  (_, ms) => `${String(ms).padStart(3, '0')}Z`,
);

/**
 * `isoTime` that reuses the text of the last second it formatted (`2026-01-01T12:00:05.`): the
 * events of one commit fall in few seconds, and a `Date` and its `toISOString` for every event was
 * a measurable part of a commit (docs/benchmarks.md). Times whose text is not 24 characters (years
 * past 9999) are formatted whole.
 */
export function isoFormatter(): (timeMs: number) => string {
  let second = Number.NaN;
  let head: string | undefined;
  return (timeMs) => {
    const thisSecond = Math.floor(timeMs / 1000);
    if (thisSecond !== second) {
      second = thisSecond;
      const text = isoTime(thisSecond * 1000);
      head = text.length === 24 ? text.slice(0, 20) : undefined;
    }
    const tail = MILLISECOND_TAILS[timeMs - thisSecond * 1000];
    return head === undefined || tail === undefined ? isoTime(timeMs) : head + tail;
  };
}

/**
 * Applies a batch of events to the open alarms: dedup by reduction key, escalate, clear, drop
 * duplicates. Pure: same inputs (and id function) give the same outputs.
 */
export function reduceAlarms(open: OpenAlarms, input: ReduceInput, deps: ReduceDeps): ReduceResult {
  const next = new Map(open);
  const seen = new Set<string>();
  const decisions: AlarmDecision[] = [];
  const iso = isoFormatter();
  for (const event of orderEvents(input.events)) {
    if (seen.has(event.id)) {
      decisions.push({ kind: 'duplicate', event });
      continue;
    }
    seen.add(event.id);
    const decision = applyEvent(next, event, deps, iso);
    if ('record' in decision) {
      if (decision.record.alarm.state === 'cleared')
        next.delete(decision.record.alarm.reductionKey);
      else next.set(decision.record.alarm.reductionKey, decision.record);
    }
    decisions.push(decision);
  }
  return { open: next, decisions };
}

/** Formats a time as `isoTime` does (one `isoFormatter` per reduction). */
type FormatIso = (timeMs: number) => string;

function applyEvent(
  open: OpenAlarms,
  event: FaultEvent,
  deps: ReduceDeps,
  iso: FormatIso,
): AlarmDecision {
  const clearKey = clearKeyOf(event);
  if (clearKey !== undefined) {
    const current = open.get(clearKey);
    if (current === undefined) return { kind: 'orphanClear', event, clearKey };
    return { kind: 'cleared', event, record: clear(current, event, iso) };
  }
  const current = open.get(event.reductionKey);
  if (current === undefined) return { kind: 'raised', event, record: raise(event, deps, iso) };
  const previousSeverity = current.alarm.severity;
  // An event of a worse severity escalates the alarm; a milder or equal one repeats it.
  const escalated = severityRank(event.severity) > severityRank(previousSeverity);
  const record = repeat(current, event, escalated, iso);
  if (escalated) return { kind: 'escalated', event, record, previousSeverity };
  return { kind: 'repeated', event, record };
}

function raise(event: FaultEvent, deps: ReduceDeps, iso: FormatIso): AlarmRecord {
  const at = iso(event.timeMs);
  return {
    alarm: {
      id: deps.newAlarmId(),
      reductionKey: event.reductionKey,
      device: event.device,
      deviceKnown: event.deviceKnown,
      component: event.component ?? null,
      type: event.type,
      source: event.source,
      severity: event.severity,
      state: 'active',
      count: 1,
      firstSeen: at,
      lastSeen: at,
      clearedAt: null,
      description: event.description,
      lastEventId: event.id,
      causedBy: null,
      explanation: null,
      ticketId: null,
      acknowledgedBy: null,
    },
    details: event.details,
    firstSeenMs: event.timeMs,
    lastSeenMs: event.timeMs,
  };
}

/** The alarm after one more event of its key (`escalated`: the event's severity is worse). */
function repeat(
  current: AlarmRecord,
  event: FaultEvent,
  escalated: boolean,
  iso: FormatIso,
): AlarmRecord {
  const alarm = current.alarm;
  // Events can arrive late (retries, slow collectors): the newest event, not the last to arrive,
  // describes the alarm, and the seen-interval only ever widens.
  const newest = event.timeMs >= current.lastSeenMs;
  // The newest event (nearly every one) cannot be older than the first seen.
  const earliest = !newest && event.timeMs < current.firstSeenMs;
  return {
    alarm: withReducerFields(alarm, {
      severity: escalated ? event.severity : alarm.severity,
      // An escalation needs a fresh look even if someone acknowledged the milder problem.
      state: escalated ? 'active' : alarm.state,
      acknowledgedBy: escalated ? null : alarm.acknowledgedBy,
      count: alarm.count + 1,
      firstSeen: earliest ? iso(event.timeMs) : alarm.firstSeen,
      lastSeen: newest ? iso(event.timeMs) : alarm.lastSeen,
      clearedAt: alarm.clearedAt,
      description: newest ? event.description : alarm.description,
      lastEventId: newest ? event.id : alarm.lastEventId,
    }),
    details: newest ? event.details : current.details,
    firstSeenMs: earliest ? event.timeMs : current.firstSeenMs,
    lastSeenMs: newest ? event.timeMs : current.lastSeenMs,
  };
}

/** The fields of an alarm the reducer writes; the others are its identity or other parts'. */
type ReducerFields = Pick<
  Alarm,
  | 'severity'
  | 'state'
  | 'acknowledgedBy'
  | 'count'
  | 'firstSeen'
  | 'lastSeen'
  | 'clearedAt'
  | 'description'
  | 'lastEventId'
>;

/**
 * The alarm with the reducer's fields replaced, every field written out: an alarm spread into a
 * new one for each event of its key (a spread of a spread of …) took V8's slow path, about 1 µs an
 * event against a few ns for the literal (docs/benchmarks.md). A field added to `Alarm` must be
 * added here; `flapCount`, the one optional field, is carried when present.
 */
function withReducerFields(alarm: Alarm, fields: ReducerFields): Alarm {
  const next: Alarm = {
    id: alarm.id,
    reductionKey: alarm.reductionKey,
    device: alarm.device,
    deviceKnown: alarm.deviceKnown,
    component: alarm.component,
    type: alarm.type,
    source: alarm.source,
    severity: fields.severity,
    state: fields.state,
    count: fields.count,
    firstSeen: fields.firstSeen,
    lastSeen: fields.lastSeen,
    clearedAt: fields.clearedAt,
    description: fields.description,
    lastEventId: fields.lastEventId,
    causedBy: alarm.causedBy,
    explanation: alarm.explanation,
    ticketId: alarm.ticketId,
    acknowledgedBy: fields.acknowledgedBy,
  };
  return alarm.flapCount === undefined ? next : { ...next, flapCount: alarm.flapCount };
}

function clear(current: AlarmRecord, event: FaultEvent, iso: FormatIso): AlarmRecord {
  const alarm = current.alarm;
  // X.733: a cleared alarm has severity `cleared`; the severity it had stays in its history.
  return {
    alarm: withReducerFields(alarm, {
      severity: 'cleared',
      state: 'cleared',
      acknowledgedBy: alarm.acknowledgedBy,
      count: alarm.count,
      firstSeen: alarm.firstSeen,
      lastSeen: alarm.lastSeen,
      clearedAt: iso(event.timeMs),
      description: alarm.description,
      lastEventId: event.id,
    }),
    details: current.details,
    firstSeenMs: current.firstSeenMs,
    lastSeenMs: current.lastSeenMs,
  };
}
