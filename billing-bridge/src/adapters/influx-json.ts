/**
 * InfluxDB's `/query` JSON answer, read without losing counter digits. JSON.parse turns every
 * number into a float, exact only to 2^53; octet counters go to 2^64. So integer tokens too long
 * to be exact are turned into strings first (outside string literals), and the reader makes
 * bigints of them.
 */

/**
 * A string literal (kept whole, escapes included), or an integer token of more than 15 digits
 * (up to 15 are always exact as floats): not the end of a number, nor followed by a fraction or
 * an exponent.
 */
const STRING_OR_LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

/** The answer's text with every integer token of more than 15 digits quoted. */
export function quoteLongIntegers(text: string): string {
  return text.replace(STRING_OR_LONG_INTEGER, (token) =>
    token.startsWith('"') ? token : `"${token}"`,
  );
}

/** A value of the answer as a bigint (numbers, bigints and quoted integers), or null. */
export function toBigInt(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  return null;
}
