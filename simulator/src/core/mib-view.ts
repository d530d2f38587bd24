/**
 * What a simulated agent serves, as a handful of objects (scalars and table columns) over shared
 * row lists instead of one node per instance: Get, GetNext and GetBulk are answered by comparing
 * the requested OID with the objects' OIDs and searching the sorted rows, so a device with
 * hundreds of interfaces costs a few arrays, and a walk step a few comparisons.
 */

/** The SMI exception values of SNMPv2 responses (RFC 3416), as their BER tags. */
export const NO_SUCH_OBJECT = 0x80;
export const NO_SUCH_INSTANCE = 0x81;
export const END_OF_MIB_VIEW = 0x82;

/** A scalar's only instance: `<oid>.0`. */
export const SCALAR_ROWS: readonly number[] = [0];

/** One object type of the view: a scalar (rows `SCALAR_ROWS`) or a table column. */
export interface MibObject {
  /** Dotted decimal, without a leading dot. */
  readonly oid: string;
  /** The BER tag of its values (INTEGER 2, OCTET STRING 4, Counter64 0x46…). */
  readonly type: number;
  /** The last sub-identifier of each instance (a column's ifIndex), ascending, no repeats. */
  readonly rows: readonly number[];
  /** The value of instance `<oid>.<row>` now; undefined when it has none. May throw. */
  readonly read: (row: number) => unknown;
}

/** One variable binding of a response. Exceptions have a null value. */
export interface MibVarbind {
  readonly oid: string;
  readonly type: number;
  readonly value: unknown;
}

/** A read that threw while answering the request's variable binding `index` (0-based). */
export class MibReadError extends Error {
  constructor(
    readonly index: number,
    cause: unknown,
  ) {
    super(`reading variable binding ${String(index + 1)} failed`, { cause });
  }
}

export interface MibView {
  /** Get: each OID's value, or noSuchObject / noSuchInstance. */
  get(oids: readonly string[]): MibVarbind[];
  /** GetNext: the first instance after each OID, or endOfMibView. */
  next(oids: readonly string[]): MibVarbind[];
  /**
   * GetBulk (RFC 3416 4.2.3): GetNext of the first `nonRepeaters` OIDs, then repetitions of
   * GetNext over the others, with at most `maxRepetitions` variable bindings for the repeated
   * OIDs in all rather than per OID (net-snmp's agent capped the whole response at
   * `maxRepetitions`; the RFC allows fewer than N + M × R). It ends after a repetition in which
   * every OID reached endOfMibView.
   */
  bulk(nonRepeaters: number, maxRepetitions: number, oids: readonly string[]): MibVarbind[];
  /** Whether an instance exists at this OID (a Set must then say notWritable, not noCreation). */
  has(oid: string): boolean;
}

/** A place in the view: an object's position in OID order and a position in its rows. */
interface Cursor {
  at: number;
  position: number;
}

interface Compiled {
  readonly object: MibObject;
  readonly arcs: readonly number[];
  /** `<oid>.`: an OID starting with it lies inside the object. */
  readonly inside: string;
}

function toArcs(oid: string): number[] {
  return oid.split('.').map(Number);
}

/** Lexicographic order of two OIDs as sub-identifier lists (a prefix sorts first). */
function compareArcs(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function startsWith(arcs: readonly number[], prefix: readonly number[]): boolean {
  if (arcs.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (arcs[i] !== prefix[i]) return false;
  return true;
}

/** Position of the first row greater than `after` (rows ascending), or rows.length. */
function firstRowAfter(rows: readonly number[], after: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((rows[middle] ?? 0) <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Builds the view of `objects`. Their OIDs must not contain one another. */
export function createMibView(objects: readonly MibObject[]): MibView {
  const compiled: Compiled[] = objects
    .map((object) => ({ object, arcs: toArcs(object.oid), inside: `${object.oid}.` }))
    .sort((a, b) => compareArcs(a.arcs, b.arcs));
  compiled.forEach((entry, i) => {
    const following = compiled[i + 1];
    if (following !== undefined && startsWith(following.arcs, entry.arcs)) {
      throw new Error(`MIB object ${following.object.oid} lies inside ${entry.object.oid}`);
    }
  });

  const byOid = new Map(compiled.map((entry, at) => [entry.object.oid, { at, entry }]));

  /** The instance at `<object>.<row>`, or undefined when the object says it has no value. */
  const instance = ({ object }: Compiled, row: number): MibVarbind | undefined => {
    const value = object.read(row);
    return value === undefined
      ? undefined
      : { oid: `${object.oid}.${String(row)}`, type: object.type, value };
  };

  /**
   * The object an OID names or lies inside, with the sub-identifier after the object's OID (the
   * row) and whether more follow it. Compared as text: most requests name an instance, or a
   * column of a walk, and need no parsing beyond the row.
   */
  const locate = (
    oid: string,
  ): { at: number; entry: Compiled; row: number | undefined; deeper: boolean } | undefined => {
    // The common case first: `<object>.<row>`, found by the object's OID.
    const lastDot = oid.lastIndexOf('.');
    const direct = byOid.get(oid.slice(0, lastDot));
    if (direct !== undefined) {
      const { at, entry } = direct;
      return { at, entry, row: Number(oid.slice(lastDot + 1)), deeper: false };
    }
    for (const [at, entry] of compiled.entries()) {
      const { object, inside } = entry;
      if (oid === object.oid) return { at, entry, row: undefined, deeper: false };
      if (!oid.startsWith(inside)) continue;
      const end = oid.indexOf('.', inside.length);
      const row = Number(oid.slice(inside.length, end < 0 ? undefined : end));
      return { at, entry, row, deeper: end >= 0 };
    }
    return undefined;
  };

  const getOne = (oid: string): MibVarbind => {
    const found = locate(oid);
    if (found === undefined) return { oid, type: NO_SUCH_OBJECT, value: null };
    const { entry, row, deeper } = found;
    const rows = entry.object.rows;
    const known = !deeper && row !== undefined && rows[firstRowAfter(rows, row) - 1] === row;
    return (
      (known ? instance(entry, row) : undefined) ?? { oid, type: NO_SUCH_INSTANCE, value: null }
    );
  };

  /** Where the instances after `oid` begin: an object's position and a row position in it. */
  const cursorAfter = (oid: string): Cursor => {
    const found = locate(oid);
    if (found !== undefined) {
      // `<object>.<row>` and everything below it come before the next row.
      const { at, entry, row } = found;
      return { at, position: row === undefined ? 0 : firstRowAfter(entry.object.rows, row) };
    }
    // Outside every object: the first object after it in OID order.
    const arcs = toArcs(oid);
    const following = compiled.findIndex((entry) => compareArcs(arcs, entry.arcs) < 0);
    return { at: following < 0 ? compiled.length : following, position: 0 };
  };

  /** The first instance with a value from `cursor` on (undefined at the end), moving past it. */
  const take = (cursor: Cursor): MibVarbind | undefined => {
    for (; ; cursor.at++, cursor.position = 0) {
      const entry = compiled[cursor.at];
      if (entry === undefined) return undefined;
      const rows = entry.object.rows;
      while (cursor.position < rows.length) {
        const found = instance(entry, rows[cursor.position++] ?? 0);
        if (found !== undefined) return found;
      }
    }
  };

  const endOfView = (oid: string): MibVarbind => ({ oid, type: END_OF_MIB_VIEW, value: null });
  const nextOne = (oid: string): MibVarbind => take(cursorAfter(oid)) ?? endOfView(oid);

  const answering = <T>(index: number, compute: () => T): T => {
    try {
      return compute();
    } catch (error) {
      throw new MibReadError(index, error);
    }
  };

  return {
    get: (oids) => oids.map((oid, index) => answering(index, () => getOne(oid))),
    next: (oids) => oids.map((oid, index) => answering(index, () => nextOne(oid))),
    bulk(nonRepeaters, maxRepetitions, oids) {
      const split = Math.max(0, Math.min(nonRepeaters, oids.length));
      const out = oids.slice(0, split).map((oid, index) => answering(index, () => nextOne(oid)));
      // Each repeated OID keeps its place in the view between repetitions: no OID is parsed again.
      const walks = oids
        .slice(split)
        .map((oid, r) => ({ oid, cursor: answering(split + r, () => cursorAfter(oid)) }));
      const limit = split + Math.max(0, maxRepetitions);
      while (out.length < limit && walks.length > 0) {
        let ended = true;
        for (const [r, walk] of walks.entries()) {
          if (out.length >= limit) break;
          const varbind = answering(split + r, () => take(walk.cursor));
          if (varbind === undefined) {
            out.push(endOfView(walk.oid));
          } else {
            out.push(varbind);
            walk.oid = varbind.oid;
            ended = false;
          }
        }
        if (ended) break;
      }
      return out;
    },
    has: (oid) => {
      const type = getOne(oid).type;
      return type !== NO_SUCH_OBJECT && type !== NO_SUCH_INSTANCE;
    },
  };
}
