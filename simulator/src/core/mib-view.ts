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
   * GetNext over the others. As net-snmp's agent did, the response holds at most
   * `maxRepetitions` variable bindings beyond the non-repeaters' (not `maxRepetitions` per
   * repeated OID), and it ends after a repetition in which every OID reached endOfMibView.
   */
  bulk(nonRepeaters: number, maxRepetitions: number, oids: readonly string[]): MibVarbind[];
  /** Whether an instance exists at this OID (a Set must then say notWritable, not noCreation). */
  has(oid: string): boolean;
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
    if (direct !== undefined)
      return { ...direct, row: Number(oid.slice(lastDot + 1)), deeper: false };
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

  /** The first instance with a value in `compiled[at…]`, from row position `from` of the first. */
  const firstFrom = (at: number, from: number): MibVarbind | undefined => {
    for (let index = at, start = from; ; index++, start = 0) {
      const entry = compiled[index];
      if (entry === undefined) return undefined;
      const rows = entry.object.rows;
      for (let position = start; position < rows.length; position++) {
        const found = instance(entry, rows[position] ?? 0);
        if (found !== undefined) return found;
      }
    }
  };

  /** The first instance strictly after `oid`, or undefined at the end of the view. */
  const nextAfter = (oid: string): MibVarbind | undefined => {
    const found = locate(oid);
    if (found !== undefined) {
      // `<object>.<row>` and everything below it come before the next row.
      const { at, entry, row } = found;
      return firstFrom(at, row === undefined ? 0 : firstRowAfter(entry.object.rows, row));
    }
    // Outside every object: the first object after it in OID order.
    const arcs = toArcs(oid);
    const following = compiled.findIndex((entry) => compareArcs(arcs, entry.arcs) < 0);
    return following < 0 ? undefined : firstFrom(following, 0);
  };

  const nextOne = (oid: string): MibVarbind =>
    nextAfter(oid) ?? { oid, type: END_OF_MIB_VIEW, value: null };

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
      const cursors = oids.slice(split);
      const limit = split + Math.max(0, maxRepetitions);
      while (out.length < limit && cursors.length > 0) {
        let ended = true;
        for (let r = 0; r < cursors.length && out.length < limit; r++) {
          const varbind = answering(split + r, () => nextOne(cursors[r] ?? ''));
          out.push(varbind);
          if (varbind.type !== END_OF_MIB_VIEW) {
            cursors[r] = varbind.oid;
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
