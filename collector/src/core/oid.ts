/**
 * Object identifiers in dotted-decimal form. Agents and tools sometimes write a leading dot
 * (`.1.3.6…`); every function here accepts both spellings and answers without it.
 */

/** The OID without a leading dot. */
export function normalizeOid(oid: string): string {
  return oid.startsWith('.') ? oid.slice(1) : oid;
}

/**
 * True when `oid` is `prefix` or lies under it. The match is by whole sub-identifiers, so
 * `1.3.6.1.2.1.2.2.1.10` is not under `1.3.6.1.2.1.2.2.1.1`.
 */
export function oidHasPrefix(oid: string, prefix: string): boolean {
  const o = normalizeOid(oid);
  const p = normalizeOid(prefix);
  return o === p || (o.startsWith(p) && o.charCodeAt(p.length) === 46); /* "." */
}

/**
 * The instance suffix of `oid` under `prefix` (`3` for ifIndex.3 under ifIndex), the empty
 * string when they are equal, or undefined when `oid` is not under `prefix`.
 */
export function oidSuffix(oid: string, prefix: string): string | undefined {
  if (!oidHasPrefix(oid, prefix)) return undefined;
  const o = normalizeOid(oid);
  const p = normalizeOid(prefix);
  return o.length === p.length ? '' : o.slice(p.length + 1);
}
