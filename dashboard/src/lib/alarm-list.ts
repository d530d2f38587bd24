import type { Alarm, AlarmChange, Severity } from '@faultline/shared';
import { COUNTED_SEVERITIES, SEVERITY_LOOKS } from './severity.js';

/** One row of the live table: the alarm, and when this browser saw it cleared. */
export interface AlarmEntry {
  readonly alarm: Alarm;
  /** Local time (epoch ms) the clear arrived; cleared rows stay visible for a while after it. */
  readonly clearedSeenMs: number | null;
}

function entryFor(alarm: Alarm, nowMs: number, previous?: AlarmEntry): AlarmEntry {
  if (alarm.state !== 'cleared') return { alarm, clearedSeenMs: null };
  return { alarm, clearedSeenMs: previous?.clearedSeenMs ?? nowMs };
}

/**
 * Whether an incoming version of an alarm is older than the one shown. Changes may overtake a
 * snapshot by a few hundred milliseconds; the count only grows and a clear is final (a problem
 * that returns is a new alarm with a new id), so those two order versions without clocks.
 */
function isOutdated(shown: Alarm, incoming: Alarm): boolean {
  if (shown.state === 'cleared' && incoming.state !== 'cleared') return true;
  return incoming.state !== 'cleared' && incoming.count < shown.count;
}

/**
 * Replaces the table with a snapshot of open alarms, keeping rows already shown as cleared (they
 * are not in a snapshot, which holds open alarms only) until they expire.
 */
export function applySnapshot(
  entries: readonly AlarmEntry[],
  alarms: readonly Alarm[],
  nowMs: number,
): AlarmEntry[] {
  const inSnapshot = new Set(alarms.map((alarm) => alarm.id));
  const keptCleared = entries.filter(
    (entry) => entry.clearedSeenMs !== null && !inSnapshot.has(entry.alarm.id),
  );
  return [...alarms.map((alarm) => entryFor(alarm, nowMs)), ...keptCleared];
}

/** Applies a batch of changes in order: upserts by alarm id, ignoring outdated versions. */
export function applyChanges(
  entries: readonly AlarmEntry[],
  changes: readonly AlarmChange[],
  nowMs: number,
): AlarmEntry[] {
  const byId = new Map(entries.map((entry) => [entry.alarm.id, entry]));
  for (const { alarm } of changes) {
    const previous = byId.get(alarm.id);
    if (previous !== undefined && isOutdated(previous.alarm, alarm)) continue;
    byId.set(alarm.id, entryFor(alarm, nowMs, previous));
  }
  return [...byId.values()];
}

/** Drops cleared rows shown for longer than `retentionMs`. */
export function expireCleared(
  entries: readonly AlarmEntry[],
  nowMs: number,
  retentionMs: number,
): AlarmEntry[] {
  return entries.filter(
    (entry) => entry.clearedSeenMs === null || nowMs - entry.clearedSeenMs < retentionMs,
  );
}

/** Places between two severity ranks: above any epoch ms before the year 2286. */
const RANK_STEP = 1e13;
/** Ranks per cleared/open group (more than the highest rank). */
const GROUP_RANKS = 16;
/** Each alarm version's sort key, computed once: alarms are replaced on change, never mutated. */
const sortKeys = new WeakMap<Alarm, number>();

/**
 * One number that orders like the table: open before cleared, then worst severity, then most
 * recent (an unreadable time counts as the oldest). Exact: the largest key is below 2^53.
 */
function sortKey(alarm: Alarm): number {
  let key = sortKeys.get(alarm);
  if (key === undefined) {
    const group = (alarm.state === 'cleared' ? GROUP_RANKS : 0) + GROUP_RANKS - 1;
    const lastSeenMs = Date.parse(alarm.lastSeen);
    key =
      (group - SEVERITY_LOOKS[alarm.severity].rank) * RANK_STEP -
      (Number.isFinite(lastSeenMs) ? lastSeenMs : 0);
    sortKeys.set(alarm, key);
  }
  return key;
}

/**
 * Table order: open alarms first, worst severity first, then most recent; cleared rows last.
 * Sorts by precomputed numbers (10,000 alarms take a few ms, instead of parsing two dates per
 * comparison); equal keys keep their order.
 */
export function sortEntries(entries: readonly AlarmEntry[]): AlarmEntry[] {
  const keyed = entries.map((entry) => ({ entry, key: sortKey(entry.alarm) }));
  keyed.sort((a, b) => a.key - b.key);
  return keyed.map(({ entry }) => entry);
}

/** Open alarms per counted severity. */
export function severityTotals(entries: readonly AlarmEntry[]): Map<Severity, number> {
  const totals = new Map<Severity, number>(COUNTED_SEVERITIES.map((severity) => [severity, 0]));
  for (const { alarm } of entries) {
    if (alarm.state === 'cleared') continue;
    const current = totals.get(alarm.severity);
    if (current !== undefined) totals.set(alarm.severity, current + 1);
  }
  return totals;
}
