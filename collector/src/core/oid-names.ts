import { normalizeOid } from './oid.js';

/** Names OIDs from the loaded MIBs. */
export interface OidNames {
  /**
   * `MODULE::object` for an OID a MIB defines, `MODULE::object.<instance>` for one under it (the
   * longest defined prefix wins), or undefined when no loaded MIB covers it.
   */
  nameOf(oid: string): string | undefined;
  /** How many OIDs have a name. */
  readonly size: number;
}

/** Names of no MIB at all: every OID stays numeric. */
export const NO_OID_NAMES: OidNames = { nameOf: () => undefined, size: 0 };

/**
 * Answers remembered per OID: a storm repeats the same few varbind OIDs, and each first answer
 * walks every prefix. Past this many the memory starts afresh, so it stays bounded whatever OIDs
 * arrive.
 */
const REMEMBERED_ANSWERS = 10_000;

/**
 * Builds the look-up from `[oid, 'MODULE::object']` pairs. Later pairs for the same OID win, so
 * a vendor MIB loaded after the built-in ones may rename. Only prefixes that are objects of some
 * MIB name an OID: `1.3.6.1.4.1` (enterprises) does name `1.3.6.1.4.1.9999.1` as
 * `SNMPv2-SMI::enterprises.9999.1` when nothing deeper is loaded.
 */
export function createOidNames(entries: Iterable<readonly [string, string]>): OidNames {
  const names = new Map<string, string>();
  for (const [oid, name] of entries) names.set(normalizeOid(oid), name);
  const lookUp = (oid: string): string | undefined => {
    const parts = normalizeOid(oid).split('.');
    for (let length = parts.length; length > 0; length -= 1) {
      const name = names.get(parts.slice(0, length).join('.'));
      if (name !== undefined) {
        return length === parts.length ? name : `${name}.${parts.slice(length).join('.')}`;
      }
    }
    return undefined;
  };
  const answers = new Map<string, string | undefined>();
  return {
    size: names.size,
    nameOf(oid) {
      if (answers.has(oid)) return answers.get(oid);
      if (answers.size >= REMEMBERED_ANSWERS) answers.clear();
      const name = lookUp(oid);
      answers.set(oid, name);
      return name;
    },
  };
}
