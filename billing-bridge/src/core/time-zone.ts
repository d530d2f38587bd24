/**
 * Wall-clock ↔ UTC conversions for IANA time zones, with nothing but Intl.
 *
 * Intl only converts UTC → wall clock; the reverse (a local midnight → its UTC instant) is solved
 * here by trying the zone offsets in force a day before and a day after, which covers every real
 * transition (they are never closer than two days apart). A local midnight that does not exist
 * (a zone that springs forward at 00:00) resolves to the first instant of that local day; one that
 * exists twice (falls back at 00:00) resolves to the first occurrence.
 */

const DAY_MS = 86_400_000;

/** A calendar date in some zone. `month` is 1..12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** True when Intl knows the IANA time zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** The wall-clock fields at `utcMs`, as if that wall clock were UTC (ms since epoch). */
function wallClockMs(format: Intl.DateTimeFormat, utcMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of format.formatToParts(utcMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  const subSecond = ((utcMs % 1000) + 1000) % 1000;
  return Date.UTC(year, month - 1, day, hour, minute, second) + subSecond;
}

/**
 * The zone's offset from UTC at an instant, in ms (local − UTC): +3_600_000 for Berlin in winter.
 * @throws RangeError for an unknown time zone.
 */
export function offsetMs(timeZone: string, utcMs: number): number {
  return wallClockMs(formatter(timeZone), utcMs) - utcMs;
}

/**
 * The local calendar date at an instant.
 * @throws RangeError for an unknown time zone.
 */
export function localDateAt(timeZone: string, utcMs: number): LocalDate {
  const wall = new Date(wallClockMs(formatter(timeZone), utcMs));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * The first instant (UTC epoch ms) of a local calendar day: local midnight, or the end of the
 * DST gap when midnight is skipped. Month overflow is normalized (month 13 = January next year).
 * @throws RangeError for an unknown time zone.
 */
export function startOfLocalDay(timeZone: string, date: LocalDate): number {
  const format = formatter(timeZone);
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  const offsetBefore = wallClockMs(format, wall - DAY_MS) - (wall - DAY_MS);
  const offsetAfter = wallClockMs(format, wall + DAY_MS) - (wall + DAY_MS);
  const candidates = [wall - offsetBefore, wall - offsetAfter]
    .filter((utc) => wallClockMs(format, utc) === wall)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return first;
  // Local midnight falls in a gap: find the first instant whose wall clock is at or past it.
  // Between the two candidates the wall clock only moves forward, so bisection is sound.
  let low = Math.min(wall - offsetBefore, wall - offsetAfter);
  let high = Math.max(wall - offsetBefore, wall - offsetAfter);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallClockMs(format, middle) >= wall) high = middle;
    else low = middle;
  }
  return high;
}
