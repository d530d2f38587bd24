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

/** `HH:MM:SS` in the browser's time zone, 24-hour. */
export function formatClock(date: Date): string {
  return date.toLocaleTimeString('en-GB', { hour12: false });
}
