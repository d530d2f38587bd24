import type { Override, Rotation } from './config/paging-schema.js';

const DAY_MS = 86_400_000;

/**
 * One formatter per time zone, built on first use. Building an `Intl.DateTimeFormat` costs far
 * more than formatting with it, and paging resolves the on-call person of every page it sends
 * (six offsets per rotation turn): built per call, it was about 4 % of the correlator's CPU in an
 * event storm. A formatter holds no state that formatting changes, so sharing one is safe; the
 * zones are the few that the paging config names.
 */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/** The zone's offset from UTC at instant `ms`, in ms (positive east of Greenwich). */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = zoneFormat(timeZone).formatToParts(ms);
  const field = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a local wall-clock time in a zone, epoch ms. A time that the zone skips (the
 * spring-forward gap) maps to the same distance past the gap's start; a time it repeats (the fall
 * back) maps to its first occurrence.
 */
export function zonedTimeToEpochMs(localAsUtcMs: number, timeZone: string): number {
  // The offsets a day either side cover both sides of any one change (zones change at most once a day).
  const candidates = [localAsUtcMs - DAY_MS, localAsUtcMs, localAsUtcMs + DAY_MS].map(
    (probe) => localAsUtcMs - zoneOffsetMs(probe, timeZone),
  );
  const real = candidates.filter((ms) => ms + zoneOffsetMs(ms, timeZone) === localAsUtcMs);
  return real.length > 0 ? Math.min(...real) : Math.max(...candidates);
}

/** Who holds a rotation's pager over `[startMs, endMs)`, and why. */
export interface OnCallSegment {
  readonly rotation: string;
  readonly person: string;
  readonly startMs: number;
  readonly endMs: number;
  /** `override`: someone covers the turn (`covers` names whose, when the override says). */
  readonly source: 'shift' | 'override';
  readonly covers?: string;
}

/** The start of turn number `k` (0 is the first), epoch ms: `start + k × shiftDays` at `handoff`. */
export function turnStartMs(rotation: Rotation, k: number): number {
  const [year, month, day] = rotation.start.split('-').map(Number) as [number, number, number];
  const [hour, minute] = rotation.handoff.split(':').map(Number) as [number, number];
  const local = Date.UTC(year, month - 1, day + k * rotation.shiftDays, hour, minute);
  return zonedTimeToEpochMs(local, rotation.timeZone);
}

/** The turn at `atMs`: its number, or -1 before the first turn. */
function turnAt(rotation: Rotation, atMs: number): number {
  const first = turnStartMs(rotation, 0);
  if (atMs < first) return -1;
  let k = Math.floor((atMs - first) / (rotation.shiftDays * DAY_MS));
  // The estimate is off by at most one turn around a daylight saving change.
  while (k > 0 && turnStartMs(rotation, k) > atMs) k -= 1;
  while (turnStartMs(rotation, k + 1) <= atMs) k += 1;
  return k;
}

interface Span {
  readonly override: Override;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Who holds a rotation's pager at `atMs`, from when until when that holds, or undefined before
 * the rotation's first turn with no override in force. An override in force wins over the turn
 * (the one that started last, if several); the segment ends at the next handoff, override start
 * or override end, whichever comes first. Pure.
 */
export function onCallAt(
  rotation: Rotation,
  overrides: readonly Override[],
  atMs: number,
): OnCallSegment | undefined {
  const spans: Span[] = overrides
    .filter((o) => o.rotation === rotation.name)
    .map((override) => ({
      override,
      startMs: Date.parse(override.start),
      endMs: Date.parse(override.end),
    }));
  const active = spans
    .filter((s) => s.startMs <= atMs && atMs < s.endMs)
    .reduce<Span | undefined>(
      (latest, s) => (latest === undefined || s.startMs >= latest.startMs ? s : latest),
      undefined,
    );
  const laterStarts = spans.map((s) => s.startMs).filter((start) => start > atMs);
  if (active !== undefined) {
    return {
      rotation: rotation.name,
      person: active.override.person,
      startMs: active.startMs,
      endMs: Math.min(active.endMs, ...laterStarts),
      source: 'override',
      ...(active.override.covers === undefined ? {} : { covers: active.override.covers }),
    };
  }
  const k = turnAt(rotation, atMs);
  if (k < 0) return undefined;
  const turnStart = turnStartMs(rotation, k);
  const endedOverrides = spans.map((s) => s.endMs).filter((end) => end <= atMs && end > turnStart);
  return {
    rotation: rotation.name,
    person: rotation.people[k % rotation.people.length] ?? '',
    startMs: Math.max(turnStart, ...endedOverrides),
    endMs: Math.min(turnStartMs(rotation, k + 1), ...laterStarts),
    source: 'shift',
  };
}

/** Who is on call now and who holds the pager after them. */
export interface OnCallNowAndNext {
  readonly now: OnCallSegment | undefined;
  readonly next: OnCallSegment | undefined;
}

/** The segment in force at `atMs` and the one after it. Pure. */
export function onCallNowAndNext(
  rotation: Rotation,
  overrides: readonly Override[],
  atMs: number,
): OnCallNowAndNext {
  const now = onCallAt(rotation, overrides, atMs);
  const nextAt = now?.endMs ?? Math.min(turnStartMs(rotation, 0), ...laterOverrideStarts());
  return { now, next: onCallAt(rotation, overrides, nextAt) };

  function laterOverrideStarts(): number[] {
    return overrides
      .filter((o) => o.rotation === rotation.name)
      .map((o) => Date.parse(o.start))
      .filter((start) => start > atMs);
  }
}

/** The segments that overlap `[fromMs, toMs)`, in order (at most `limit`). Pure. */
export function onCallSegments(
  rotation: Rotation,
  overrides: readonly Override[],
  fromMs: number,
  toMs: number,
  limit = 1000,
): OnCallSegment[] {
  const segments: OnCallSegment[] = [];
  let at = fromMs;
  while (at < toMs && segments.length < limit) {
    const segment = onCallAt(rotation, overrides, at);
    if (segment === undefined) {
      const next = onCallNowAndNext(rotation, overrides, at).next;
      if (next === undefined) break;
      at = next.startMs;
      continue;
    }
    segments.push(segment);
    at = segment.endMs;
  }
  return segments;
}
