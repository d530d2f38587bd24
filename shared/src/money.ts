/**
 * Money: currencies, parsing config amounts, formatting, and THE rounding function.
 *
 * Conventions (see docs/billing.md):
 * - An amount is an integer number of minor units of its currency (`bigint`): cents for EUR, USD
 *   and GBP, yen for JPY, fils for KWD. The number of minor digits is the ISO 4217 one, as Intl
 *   reports it (`maximumFractionDigits` of a currency formatter).
 * - Unit prices in config may carry up to 4 decimals ("0.0125" EUR per GB); they are kept as exact
 *   rationals of minor units and only the final line amount is rounded.
 * - Every product or percentage that yields an amount is rounded once, by `roundHalfAwayFromZero`:
 *   commercial rounding, the same as a spreadsheet's `ROUND(x, 0)`. It is symmetric, so a credit
 *   (negative) is always exactly minus the same charge (positive).
 */
import {
  floor,
  fromBigInt,
  mul,
  parseDecimal,
  ratio,
  toDecimalString,
  type Ratio,
} from './ratio.js';

/** The currency's number of minor digits (ISO 4217): EUR, USD, GBP → 2; JPY → 0; KWD → 3. */
export function minorDigits(currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  // Always set for a currency style; 2 is the ISO 4217 default should an engine leave it out.
  return digits ?? 2;
}

/** 10^digits as a bigint: minor units per major unit. */
function minorPerMajor(currency: string): bigint {
  return 10n ** BigInt(minorDigits(currency));
}

/**
 * THE rounding function: the integer nearest to r, halves rounded away from zero
 * (2.5 → 3, −2.5 → −3, 2.4999 → 2). Every amount of money is produced by this function, and
 * only once per amount.
 */
export function roundHalfAwayFromZero(r: Ratio): bigint {
  const negative = r.num < 0n;
  const magnitude = negative ? ratio(-r.num, r.den) : r;
  // floor(|r| + 1/2) is |r| rounded half up; the sign is put back afterwards.
  const rounded = floor(ratio(2n * magnitude.num + magnitude.den, 2n * magnitude.den));
  return negative ? -rounded : rounded;
}

/** Why a money string was refused. */
export type MoneyError = 'not-a-decimal' | 'negative' | 'finer-than-minor-unit';

/** The result of parsing a money string. */
export type ParsedMoney<T> = { ok: true; value: T } | { ok: false; error: MoneyError };

/**
 * Parses a config price ("4.50", "0.0125") into an exact number of minor units (450, 1.25 for EUR).
 * Sub-minor precision is kept: it is the line amount, not the unit price, that gets rounded.
 */
export function parsePriceMinor(text: string, currency: string): ParsedMoney<Ratio> {
  const major = parseDecimal(text);
  if (major === null || /[eE]/.test(text)) return { ok: false, error: 'not-a-decimal' };
  if (major.num < 0n) return { ok: false, error: 'negative' };
  return { ok: true, value: mul(major, fromBigInt(minorPerMajor(currency))) };
}

/**
 * Parses an amount ("1250.00") into an integer number of minor units (125000 for EUR). An amount
 * finer than the currency's minor unit ("0.005" EUR, "12.5" JPY) is refused, never rounded
 * silently: use `parsePriceMinor` for unit prices.
 */
export function parseAmountMinor(text: string, currency: string): ParsedMoney<bigint> {
  const parsed = parsePriceMinor(text, currency);
  if (!parsed.ok) return parsed;
  if (parsed.value.den !== 1n) return { ok: false, error: 'finer-than-minor-unit' };
  return { ok: true, value: parsed.value.num };
}

/**
 * Like `parsePriceMinor` for a string the config schema has already validated.
 * @throws Error when the text is not a valid price (a broken invariant after validation).
 */
export function priceMinor(text: string, currency: string): Ratio {
  const parsed = parsePriceMinor(text, currency);
  if (!parsed.ok) throw new Error(`invalid price "${text}": ${parsed.error}`);
  return parsed.value;
}

/**
 * A value for people to read, rounded by the one rounding function to `decimals` places:
 * displayDecimal(1775/18, 4) = "98.6111". For descriptions only; evidence keeps the exact value.
 */
export function displayDecimal(value: Ratio, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const rounded = roundHalfAwayFromZero(mul(value, ratio(scale)));
  return toDecimalString(ratio(rounded, scale)) ?? String(rounded);
}

/** Formats minor units as a plain decimal in major units: 125000n EUR → "1250.00", −5n → "-0.05". */
export function formatMinor(amountMinor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const text = toDecimalString(ratio(amountMinor, 10n ** BigInt(digits)), digits);
  // A ratio over a power of ten always terminates.
  return text ?? String(amountMinor);
}

/**
 * Formats an exact (possibly sub-minor) number of minor units as major units with at least the
 * currency's decimals: 450 → "4.50", 1.25 (EUR cents) → "0.0125".
 */
export function formatPriceMinor(priceMinorUnits: Ratio, currency: string): string {
  const digits = minorDigits(currency);
  const major = mul(priceMinorUnits, ratio(1n, 10n ** BigInt(digits)));
  return toDecimalString(major, digits) ?? `${major.num}/${major.den}`;
}

/**
 * The amount of a product of exact factors, rounded once: e.g. quantity × unit price × pro-ration.
 */
export function amountOf(...factors: readonly Ratio[]): bigint {
  return roundHalfAwayFromZero(factors.reduce(mul, fromBigInt(1n)));
}

/** `percent` % of an amount, rounded once: percentOf(90000n, 25) = 22500n. */
export function percentOf(amountMinor: bigint, percent: Ratio): bigint {
  return amountOf(fromBigInt(amountMinor), percent, ratio(1n, 100n));
}
