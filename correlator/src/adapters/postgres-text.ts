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

function clean(value: unknown): unknown {
  if (typeof value === 'string')
    return value.includes(NUL) ? value.replaceAll(NUL, REPLACEMENT) : value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const cleaned = clean(item);
      if (cleaned !== item) (copy ??= [...(value as unknown[])])[index] = cleaned;
    });
    return copy ?? value;
  }
  if (typeof value === 'object' && value !== null) {
    // Looked over first without allocating: a storm's events are nearly all clean.
    const record = value as Record<string, unknown>;
    const dirty = Object.keys(record).some(
      (key) => key.includes(NUL) || clean(record[key]) !== record[key],
    );
    if (!dirty) return value;
    return Object.fromEntries(
      Object.entries(record).map(([key, inner]) => [clean(key), clean(inner)]),
    );
  }
  return value;
}
