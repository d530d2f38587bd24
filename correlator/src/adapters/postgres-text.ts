const NUL = '\u0000';
const REPLACEMENT = '\uFFFD';

/**
 * Replaces U+0000 in every string (and object key) of a JSON-like value with U+FFFD.
 *
 * PostgreSQL `text` rejects the NUL byte and `jsonb` rejects the `\u0000` escape, and SNMP octet
 * strings and telemetry payloads can carry one. Left alone, one such event would fail its whole
 * batch on every retry and take the other events down with it; replaced deterministically, a
 * redelivered event still gets the same id.
 */
export function withoutNul<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string')
    return value.includes(NUL) ? value.replaceAll(NUL, REPLACEMENT) : value;
  if (Array.isArray(value)) return value.map(clean);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [clean(key), clean(inner)]),
    );
  }
  return value;
}
