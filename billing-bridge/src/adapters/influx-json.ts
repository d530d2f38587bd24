/**
 * InfluxDB's `/query` JSON answer, read without losing counter digits. JSON.parse turns every
 * number into a float, exact only to 2^53; octet counters go to 2^64. So integer tokens too long
 * to be exact are turned into strings first (outside string literals), and the reader makes
 * bigints of them.
 */

/** Integers of up to 15 digits are always exact as floats. */
const EXACT_DIGITS = 15;

/** The answer's text with every integer token of more than 15 digits quoted. */
export function quoteLongIntegers(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === '"') {
      // Copy a string literal whole, escapes included.
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(index, end + 1);
      index = end + 1;
      continue;
    }
    const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(index, index + 40));
    if ((char === '-' || (char >= '0' && char <= '9')) && match !== null) {
      const token = match[0];
      const integer = match[1] === undefined && match[2] === undefined;
      out += integer && token.replace('-', '').length > EXACT_DIGITS ? `"${token}"` : token;
      index += token.length;
      continue;
    }
    out += char;
    index++;
  }
  return out;
}

/** A value of the answer as a bigint (numbers, bigints and quoted integers), or null. */
export function toBigInt(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  return null;
}
