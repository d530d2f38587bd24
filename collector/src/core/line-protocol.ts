/**
 * A parser for InfluxDB line protocol, the second telemetry payload format:
 * `measurement[,tag=value…] field=value[,field=value…] [timestamp]`, one point per line.
 * Measurement names escape `,` and space with a backslash; tag keys, tag values and field keys
 * also escape `=`. Field values are floats (`1.5`, `-2e3`), integers (`12i`), unsigned integers
 * (`12u`), booleans (`t`, `true`, `F`…) or double-quoted strings (escaping `"` and `\`). The
 * timestamp is in nanoseconds, the protocol's default precision.
 */

/** One field value as written. */
export type LineFieldValue = number | boolean | string;

/** One parsed line. */
export interface ProtocolLine {
  readonly measurement: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, LineFieldValue>>;
  /** The timestamp in nanoseconds since the epoch, when the line has one. */
  readonly timeNs?: bigint;
}

/** Every line of a payload, or where the first bad one is (1-based line number). */
export type LineProtocolResult =
  | { readonly ok: true; readonly lines: readonly ProtocolLine[] }
  | { readonly ok: false; readonly line: number; readonly message: string };

class LineError extends Error {}

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+i$/;
const UNSIGNED = /^\d+u$/;
const TIMESTAMP = /^-?\d{1,19}$/;
const TRUE = new Set(['t', 'T', 'true', 'True', 'TRUE']);
const FALSE = new Set(['f', 'F', 'false', 'False', 'FALSE']);

/** A cursor over one line. */
interface Cursor {
  readonly text: string;
  at: number;
}

/** Reads up to (not including) the first unescaped character of `stops`, unescaping `escapable`. */
function readToken(cursor: Cursor, stops: string, escapable: string): string {
  let out = '';
  while (cursor.at < cursor.text.length) {
    const char = cursor.text.charAt(cursor.at);
    if (char === '\\' && cursor.at + 1 < cursor.text.length) {
      const next = cursor.text.charAt(cursor.at + 1);
      if (escapable.includes(next) || next === '\\') {
        out += next;
        cursor.at += 2;
        continue;
      }
    }
    if (stops.includes(char)) break;
    out += char;
    cursor.at += 1;
  }
  return out;
}

function readFieldValue(cursor: Cursor): LineFieldValue {
  if (cursor.text.charAt(cursor.at) === '"') {
    cursor.at += 1;
    let out = '';
    while (cursor.at < cursor.text.length) {
      const char = cursor.text.charAt(cursor.at);
      if (char === '\\' && '"\\'.includes(cursor.text.charAt(cursor.at + 1))) {
        out += cursor.text.charAt(cursor.at + 1);
        cursor.at += 2;
        continue;
      }
      if (char === '"') {
        cursor.at += 1;
        return out;
      }
      out += char;
      cursor.at += 1;
    }
    throw new LineError('unterminated string field');
  }
  const raw = readToken(cursor, ', ', '');
  if (INTEGER.test(raw) || UNSIGNED.test(raw)) {
    const value = Number(raw.slice(0, -1));
    if (!Number.isSafeInteger(value)) throw new LineError(`integer field out of range: ${raw}`);
    return value;
  }
  if (FLOAT.test(raw)) {
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new LineError(`float field out of range: ${raw}`);
    return value;
  }
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw new LineError(`invalid field value "${raw}"`);
}

function parseLine(text: string): ProtocolLine {
  const cursor: Cursor = { text, at: 0 };
  const measurement = readToken(cursor, ', ', ', ');
  if (measurement === '') throw new LineError('missing measurement');
  const tags: Record<string, string> = {};
  while (text.charAt(cursor.at) === ',') {
    cursor.at += 1;
    const key = readToken(cursor, '=, ', ',= ');
    if (text.charAt(cursor.at) !== '=' || key === '') throw new LineError('invalid tag');
    cursor.at += 1;
    const value = readToken(cursor, ', ', ',= ');
    if (value === '') throw new LineError(`empty value for tag "${key}"`);
    tags[key] = value;
  }
  if (text.charAt(cursor.at) !== ' ') throw new LineError('missing fields');
  cursor.at += 1;
  const fields: Record<string, LineFieldValue> = {};
  for (;;) {
    const key = readToken(cursor, '=, ', ',= ');
    if (text.charAt(cursor.at) !== '=' || key === '') throw new LineError('invalid field');
    cursor.at += 1;
    fields[key] = readFieldValue(cursor);
    if (text.charAt(cursor.at) !== ',') break;
    cursor.at += 1;
  }
  if (cursor.at === text.length) return { measurement, tags, fields };
  if (text.charAt(cursor.at) !== ' ') throw new LineError('unexpected text after fields');
  const stamp = text.slice(cursor.at + 1).trim();
  if (!TIMESTAMP.test(stamp)) throw new LineError(`invalid timestamp "${stamp}"`);
  return { measurement, tags, fields, timeNs: BigInt(stamp) };
}

/**
 * Parses a payload of line protocol. Empty lines and `#` comments are skipped; a payload with no
 * point at all is an error, like any malformed line.
 */
export function parseLineProtocol(payload: string): LineProtocolResult {
  const lines: ProtocolLine[] = [];
  const texts = payload.split('\n');
  for (const [index, raw] of texts.entries()) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    try {
      lines.push(parseLine(text));
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      return { ok: false, line: index + 1, message: error.message };
    }
  }
  if (lines.length === 0) return { ok: false, line: 1, message: 'no point in payload' };
  return { ok: true, lines };
}
