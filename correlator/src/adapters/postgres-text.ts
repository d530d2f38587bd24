const NUL = '\u0000';
const REPLACEMENT = '\uFFFD';

/**
 * Replaces U+0000 in every string (and object key) of a JSON-like value with U+FFFD.
 *
 * PostgreSQL `text` rejects the NUL byte and `jsonb` rejects the `\u0000` escape, and SNMP octet
 * strings and telemetry payloads can carry one. Left alone, one such event would fail its whole
 * batch on every retry and take the other events down with it; replaced deterministically, a
 * redelivered event still gets the same id.
 *
 * Copy on write: a value with no NUL anywhere (nearly every event) is returned as it is, so a
 * storm's batches are not copied object by object on their way to PostgreSQL.
 */
export function withoutNul<T>(value: T): T {
  return clean(value) as T;
}

/**
 * Whether a JSON-like value holds U+0000 in a string or key: looked over without allocating, as
 * it is for every event (a key iteration, not `Object.keys` and a callback per object).
 */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (holdsNul(item)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (Object.hasOwn(record, key) && (key.includes(NUL) || holdsNul(record[key]))) return true;
  }
  return false;
}

/** The value with every NUL replaced; a part with none is kept as it is. */
function clean(value: unknown): unknown {
  if (!holdsNul(value)) return value;
  if (typeof value === 'string') return value.replaceAll(NUL, REPLACEMENT);
  if (Array.isArray(value)) return (value as unknown[]).map(clean);
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
      key.replaceAll(NUL, REPLACEMENT),
      clean(inner),
    ]),
  );
}
