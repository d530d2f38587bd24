/** A duration as scenario files write it: `500ms`, `2s`, `1.5m`, `1h`, `1m30s`, or bare seconds. */
export type DurationText = string | number;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/** The pattern a duration string must match (also used by the scenario schema). */
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h))+$';

/**
 * Parses a duration into whole milliseconds (rounded), or undefined when the text is not one.
 * A number is read as seconds, the unit operators think in.
 */
export function parseDurationMs(text: DurationText): number | undefined {
  if (typeof text === 'number') {
    return Number.isFinite(text) && text >= 0 ? Math.round(text * 1000) : undefined;
  }
  if (text.length === 0) return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = PART.exec(text); match !== null; match = PART.exec(text)) {
    const [whole, amount = '0', unit = 's'] = match;
    total += Number(amount) * (UNIT_MS[unit] ?? 0);
    consumed += whole.length;
  }
  return consumed === text.length ? Math.round(total) : undefined;
}

/** Formats milliseconds the short way people read them: `90s` → `1m30s`, `1500` → `1.5s`. */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${String(ms)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const parts = [
    hours > 0 ? `${String(hours)}h` : '',
    minutes > 0 ? `${String(minutes)}m` : '',
    seconds > 0 ? `${String(seconds)}s` : '',
  ];
  return parts.join('');
}
