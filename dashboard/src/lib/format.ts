/**
 * A compact age for a wall display: `45s`, `12m`, `3h 04m`, `2d 05h`. Negative ages (a server
 * clock slightly ahead of the browser's) show as `0s`.
 */
export function formatAge(ageMs: number): string {
  const seconds = Math.max(0, Math.floor(ageMs / 1000));
  if (seconds < 60) return `${String(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${String(minutes)}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${String(hours)}h ${String(minutes % 60).padStart(2, '0')}m`;
  const days = Math.floor(hours / 24);
  return `${String(days)}d ${String(hours % 24).padStart(2, '0')}h`;
}

/** `HH:MM:SS` in the browser's time zone, 24-hour (the wall clock). */
export function formatClock(date: Date): string {
  return date.toLocaleTimeString('en-GB', { hour12: false });
}

/*
 * Numbers and times for people, one format across the dashboard: digits grouped by three with
 * commas, a point for decimals, a true minus sign; dates as `6 Dec 2026, 22:14 CET` in a named
 * time zone. Exports (CSV, JSON) keep the exact values; only what is shown goes through here.
 */

const MINUS = '\u2212';

/**
 * An exact decimal string (`-165822.763564504`) with its integer digits grouped
 * (`−165,822.763564504`); with `decimals`, rounded half away from zero to that many digits first
 * (on the exact digits, never through a binary float). Anything that is not a decimal is returned
 * as is.
 */
export function formatDecimal(value: string | number, decimals?: number): string {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  const match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) return String(value);
  const [, sign = '', whole = '0', fraction = ''] = match;
  const [roundedWhole, roundedFraction] =
    decimals === undefined ? [whole, fraction] : roundDigits(whole, fraction, decimals);
  const grouped = roundedWhole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const isZero = /^0*$/.test(roundedWhole + roundedFraction);
  const minus = sign === '-' && !isZero ? MINUS : '';
  return `${minus}${grouped}${roundedFraction === '' ? '' : `.${roundedFraction}`}`;
}

/** A finite number as plain decimal digits (no exponent). */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(20).replace(/\.?0+$/, '') : text;
}

/** `whole.fraction` rounded half away from zero to `decimals` fraction digits. */
function roundDigits(whole: string, fraction: string, decimals: number): [string, string] {
  const padded = fraction.padEnd(decimals + 1, '0');
  const kept = `${whole}${padded.slice(0, decimals)}`;
  const roundUp = Number(padded[decimals] ?? '0') >= 5;
  const digits = roundUp ? (BigInt(kept) + 1n).toString().padStart(kept.length, '0') : kept;
  const cut = digits.length - decimals;
  return [digits.slice(0, cut) || '0', digits.slice(cut)];
}

/** An amount in a currency: `132,158.21 USD`, `−312.50 EUR`. */
export function formatMoney(amount: string, currency: string): string {
  return `${formatDecimal(amount)} ${currency}`;
}

/**
 * An availability in percent, to `decimals` digits, cut towards zero (`99.9418942` to 2 →
 * `99.94 %`): a service below a threshold is never shown as reaching it by rounding up.
 */
export function formatAvailability(percent: string | number, decimals: number): string {
  const text = typeof percent === 'number' ? numberText(percent) : percent.trim();
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (match === null) return `${String(percent)} %`;
  const [, whole = '0', fraction = ''] = match;
  const cut = fraction.padEnd(decimals, '0').slice(0, decimals);
  return `${whole}${cut === '' ? '' : `.${cut}`} %`;
}

/** A percentage for people, rounded to `decimals` (default 2): `12.35 %`, `−4.10 %`. */
export function formatPercent(percent: string | number, decimals = 2): string {
  return `${formatDecimal(percent, decimals)} %`;
}

/**
 * A duration in minutes as hours, minutes and seconds rounded to whole seconds, zero parts left
 * out: 39.00416 → `39 min`, 125.5 → `2 h 5 min 30 s`, 0.75 → `45 s`, 0 → `0 s`.
 */
export function formatDuration(minutes: number): string {
  const seconds = Math.round(Math.abs(minutes) * 60);
  const parts: string[] = [];
  const hours = Math.floor(seconds / 3600);
  const wholeMinutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) parts.push(`${formatDecimal(hours)} h`);
  if (wholeMinutes > 0) parts.push(`${String(wholeMinutes)} min`);
  if (rest > 0 || parts.length === 0) parts.push(`${String(rest)} s`);
  return `${minutes < 0 && seconds > 0 ? MINUS : ''}${parts.join(' ')}`;
}

function dateTimeFormat(timeZone: string | undefined, withSeconds: boolean): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
}

/**
 * An instant for people in a time zone (the browser's when none is given), with the zone's
 * abbreviation: `6 Dec 2026, 22:14 CET`; `withSeconds` for timelines (`22:14:05 CET`). An
 * unreadable time is returned as given.
 */
export function formatDateTime(
  at: string | number | Date,
  timeZone?: string,
  withSeconds = false,
): string {
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) return String(at);
  return dateTimeFormat(timeZone, withSeconds).format(date);
}

/**
 * A billing period for people in the customer's time zone, its end shown as the last day it
 * includes: `1 Nov 2026 – 30 Nov 2026 (Europe/Berlin)` for [Nov 1 00:00, Dec 1 00:00) Berlin.
 */
export function formatPeriod(startIso: string, endIso: string, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    return `${startIso} – ${endIso}`;
  }
  // The period is half-open: its last day is the one holding the instant just before its end.
  const lastDay = new Date(end.getTime() - 1);
  return `${day.format(start)} – ${day.format(lastDay)} (${timeZone})`;
}
