/** How deep a request value may nest; the api's own bodies nest two levels at most. */
export const MAX_VALUE_DEPTH = 32;

/**
 * Why a request value cannot be taken, with the dotted path of the string, key or value at fault
 * (`""` for the value itself):
 * - `nul`: a NUL character (U+0000), which PostgreSQL text cannot store;
 * - `lone-surrogate`: half of a UTF-16 surrogate pair (`"\ud800"` in JSON), which is not Unicode
 *   text and which PostgreSQL's json refuses;
 * - `too-deep`: nested deeper than `MAX_VALUE_DEPTH`; nothing the api reads nests so deep, and a
 *   check that recursed would run out of stack on a small body nested thousands of levels.
 */
export type UnstorableValue =
  | { readonly kind: 'nul'; readonly path: string }
  | { readonly kind: 'lone-surrogate'; readonly path: string }
  | { readonly kind: 'too-deep'; readonly path: string };

/** A value still to look at: its key under its parent, the parent's entry, its depth. */
interface Pending {
  readonly value: unknown;
  readonly key: string;
  readonly parent: Pending | undefined;
  readonly depth: number;
}

const NUL = '\u0000';
/** In a `u` regular expression a surrogate pair is one code point; only an unpaired half is Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A key as it can be shown in a message: NUL and lone surrogates as `\uXXXX` escapes. */
function printable(key: string): string {
  return Array.from(key)
    .map((char) =>
      char === NUL || LONE_SURROGATE.test(char)
        ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
        : char,
    )
    .join('');
}

function pathOf(entry: Pending): string {
  const keys: string[] = [];
  for (let at = entry; at.parent !== undefined; at = at.parent) {
    keys.push(printable(at.key));
  }
  return keys.reverse().join('.');
}

function textIssue(text: string): UnstorableValue['kind'] | undefined {
  if (text.includes(NUL)) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'lone-surrogate';
  return undefined;
}

/**
 * The first reason that a parsed request value (query, path parameters or a JSON body) cannot be
 * taken, or undefined when it can; values are looked at in document order, an object's keys
 * before its values. Walks with its own stack rather than recursion, so any input within the body
 * limit is checked in bounded stack, and in time linear in its size.
 */
export function unstorableValue(value: unknown): UnstorableValue | undefined {
  const stack: Pending[] = [{ value, key: '', parent: undefined, depth: 0 }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const item = entry.value;
    if (typeof item === 'string') {
      const kind = textIssue(item);
      if (kind !== undefined) return { kind, path: pathOf(entry) };
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (entry.depth >= MAX_VALUE_DEPTH) return { kind: 'too-deep', path: pathOf(entry) };
    const children = Object.entries(item as Readonly<Record<string, unknown>>);
    for (let index = children.length - 1; index >= 0; index--) {
      const [key, child] = children[index] ?? ['', undefined];
      stack.push({ value: child, key, parent: entry, depth: entry.depth + 1 });
    }
    // Keys are checked before the values under them, in order.
    for (const [key] of children) {
      const kind = textIssue(key);
      if (kind !== undefined) {
        return { kind, path: pathOf({ value: key, key, parent: entry, depth: entry.depth + 1 }) };
      }
    }
  }
  return undefined;
}
