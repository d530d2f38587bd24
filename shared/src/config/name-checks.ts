import type { Problem } from '../validate.js';

/** Reports every name used twice within one list, at the path of the repeat. */
export function duplicates(
  items: readonly { readonly key: string; readonly path: string }[],
  what: string,
): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const { key, path } of items) {
    if (seen.has(key)) problems.push({ path, message: `duplicate ${what} "${key}"` });
    seen.add(key);
  }
  return problems;
}

/** Whether the runtime knows an IANA time zone by this name. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
