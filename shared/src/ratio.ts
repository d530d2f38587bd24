/**
 * Exact rational numbers on bigint.
 *
 * Every billing formula (money × quantity × pro-ration, percentages, availability) is computed on
 * these, so no value that ends up on an invoice ever passes through a binary float. A value is
 * rounded exactly once, by `roundHalfAwayFromZero` in `money.ts`.
 *
 * Invariant of every `Ratio` built here: `den > 0` and `gcd(|num|, den) = 1`, so two equal numbers
 * have equal fields and `compare` can cross-multiply without sign surprises.
 */

/** An exact rational number `num / den`, reduced, with a positive denominator. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) {
    [x, y] = [y, x % y];
  }
  return x;
}

/**
 * Builds the reduced ratio `num / den`.
 * @throws RangeError when `den` is zero (a broken invariant: no formula here divides by zero).
 */
export function ratio(num: bigint, den = 1n): Ratio {
  if (den === 0n) throw new RangeError('ratio: zero denominator');
  const sign = den < 0n ? -1n : 1n;
  const divisor = gcd(num, den);
  if (divisor === 0n) return { num: 0n, den: 1n };
  return { num: (sign * num) / divisor, den: (sign * den) / divisor };
}

/** Zero. */
export const ZERO: Ratio = { num: 0n, den: 1n };
/** One. */
export const ONE: Ratio = { num: 1n, den: 1n };

/** a + b, exactly. */
export function add(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** a − b, exactly. */
export function sub(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den - b.num * a.den, a.den * b.den);
}

/** a × b, exactly. */
export function mul(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.num, a.den * b.den);
}

/**
 * a ÷ b, exactly.
 * @throws RangeError when b is zero.
 */
export function div(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den, a.den * b.num);
}

/** −a. */
export function neg(a: Ratio): Ratio {
  return { num: -a.num, den: a.den };
}

/** −1, 0 or 1 as a is less than, equal to or greater than b. */
export function compare(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The smaller of a and b. */
export function min(a: Ratio, b: Ratio): Ratio {
  return compare(a, b) <= 0 ? a : b;
}

/** The larger of a and b. */
export function max(a: Ratio, b: Ratio): Ratio {
  return compare(a, b) >= 0 ? a : b;
}

/** The integer as a ratio. */
export function fromBigInt(value: bigint): Ratio {
  return { num: value, den: 1n };
}

/** The largest integer ≤ r (floor, also for negative values). */
export function floor(r: Ratio): bigint {
  const q = r.num / r.den; // truncates toward zero
  return r.num < 0n && q * r.den !== r.num ? q - 1n : q;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal string exactly ("1250.00", "99.95", "-0.5", "1e-7"), or returns null when the
 * text is not a decimal number. No float is involved: "0.1" is exactly 1/10.
 */
export function parseDecimal(text: string): Ratio | null {
  const match = DECIMAL.exec(text.trim());
  if (match === null) return null;
  const [, sign = '', whole = '0', fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText) - fraction.length;
  if (Math.abs(exponent) > 400) return null; // far outside anything a config or a meter produces
  const digits = BigInt(`${sign}${whole}${fraction}`);
  return exponent >= 0
    ? ratio(digits * 10n ** BigInt(exponent))
    : ratio(digits, 10n ** BigInt(-exponent));
}

/**
 * The exact value of a config number, read through its shortest round-trip decimal form: the
 * YAML number `99.95` is the ratio 9995/100, not the binary float nearest to it. This is how
 * `belowPercent`, `creditPercent`, `commitMbps` and `includedGB` enter the formulas.
 * @throws RangeError for NaN or ±Infinity (the config schema never lets them through).
 */
export function fromNumber(value: number): Ratio {
  if (!Number.isFinite(value)) throw new RangeError(`fromNumber: ${value} is not finite`);
  const parsed = parseDecimal(String(value));
  if (parsed === null) throw new RangeError(`fromNumber: cannot read ${value}`);
  return parsed;
}

/** Counts the factors `p` in `n` (n > 0). */
function multiplicity(n: bigint, p: bigint): { count: number; rest: bigint } {
  let count = 0;
  let rest = n;
  while (rest % p === 0n) {
    rest /= p;
    count += 1;
  }
  return { count, rest };
}

/**
 * The exact decimal form of r ("0.4", "-12.5", "3"), or null when it does not terminate (its
 * reduced denominator has a prime factor other than 2 and 5, e.g. 1/3).
 * @param minDecimals pads with zeros to at least this many decimals ("4.5" → "4.50" for 2).
 */
export function toDecimalString(r: Ratio, minDecimals = 0): string | null {
  const twos = multiplicity(r.den, 2n);
  const fives = multiplicity(twos.rest, 5n);
  if (fives.rest !== 1n) return null;
  const decimals = Math.max(twos.count, fives.count, minDecimals);
  const scaled = (r.num * 10n ** BigInt(decimals)) / r.den; // exact by construction
  const sign = scaled < 0n ? '-' : '';
  const digits = abs(scaled)
    .toString()
    .padStart(decimals + 1, '0');
  if (decimals === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/**
 * An exact, human-readable form of r: its decimal form when that terminates, otherwise the reduced
 * fraction "num/den" (e.g. "10/31"). Never rounded.
 */
export function toExactString(r: Ratio): string {
  return toDecimalString(r) ?? `${r.num}/${r.den}`;
}
