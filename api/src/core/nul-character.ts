/**
 * Where a request value holds a NUL character (U+0000), as the dotted path of the string or key
 * that has it (`""` for the value itself), or undefined when none does. PostgreSQL text cannot
 * store U+0000: a filter with one would fail in the database, and a command with one would be
 * queued for a correlator that can never record it.
 */
export function nulCharacterAt(value: unknown, path: readonly string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key.replaceAll('\u0000', '\\u0000')].join('.');
    const found = nulCharacterAt(item, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}
