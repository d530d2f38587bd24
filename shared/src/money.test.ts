import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amountOf,
  displayDecimal,
  formatMinor,
  formatPriceMinor,
  minorDigits,
  parseAmountMinor,
  parsePriceMinor,
  percentOf,
  roundHalfAwayFromZero,
} from './money.js';
import { compare, fromBigInt, neg, parseDecimal, ratio, sub } from './ratio.js';

describe('roundHalfAwayFromZero, the one rounding function', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [3n, 2n, 2n],
    [1n, 2n, 1n],
    [-1n, 2n, -1n],
    [45n, 10n, 5n], // half-even would give 4
    [24999n, 10000n, 2n],
    [25001n, 10000n, 3n],
    [7n, 3n, 2n],
    [-7n, 3n, -2n],
    [0n, 1n, 0n],
    [166665n, 10n, 16667n],
  ])('%d/%d → %d', (num, den, expected) => {
    expect(roundHalfAwayFromZero(ratio(num, den))).toBe(expected);
  });

  it('is within one half of the exact value and symmetric around zero', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (num, den) => {
          const exact = ratio(num, den);
          const rounded = roundHalfAwayFromZero(exact);
          const error = sub(fromBigInt(rounded), exact);
          expect(compare(error, ratio(1n, 2n))).toBeLessThanOrEqual(0);
          expect(compare(error, ratio(-1n, 2n))).toBeGreaterThanOrEqual(0);
          expect(roundHalfAwayFromZero(neg(exact))).toBe(-rounded);
        },
      ),
    );
  });
});

describe('currencies', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['CHF', 2],
    ['JPY', 0],
    ['KWD', 3],
  ])('%s has %d minor digits', (currency, digits) => {
    expect(minorDigits(currency)).toBe(digits);
  });
});

describe('parsing config money', () => {
  it.each([
    ['1250.00', 'EUR', 125000n, 1n],
    ['4.50', 'EUR', 450n, 1n],
    ['0.0125', 'EUR', 5n, 4n],
    ['0.80', 'USD', 80n, 1n],
    ['1250', 'JPY', 1250n, 1n],
    ['12.5', 'JPY', 25n, 2n],
    ['1.234', 'KWD', 1234n, 1n],
  ])('price %s %s = %d/%d minor units', (text, currency, num, den) => {
    expect(parsePriceMinor(text, currency)).toEqual({ ok: true, value: { num, den } });
  });

  it.each([
    ['1250.00', 'EUR', { ok: true, value: 125000n }],
    ['900', 'USD', { ok: true, value: 90000n }],
    ['0.005', 'EUR', { ok: false, error: 'finer-than-minor-unit' }],
    ['12.5', 'JPY', { ok: false, error: 'finer-than-minor-unit' }],
    ['abc', 'EUR', { ok: false, error: 'not-a-decimal' }],
    ['1e3', 'EUR', { ok: false, error: 'not-a-decimal' }],
    ['-1.00', 'EUR', { ok: false, error: 'negative' }],
  ])('amount %s %s → %o', (text, currency, expected) => {
    expect(parseAmountMinor(text, currency)).toEqual(expected);
  });

  it.each([
    [125000n, 'EUR', '1250.00'],
    [-5n, 'EUR', '-0.05'],
    [0n, 'USD', '0.00'],
    [1250n, 'JPY', '1250'],
    [1234n, 'KWD', '1.234'],
    [-22500n, 'GBP', '-225.00'],
  ])('formatMinor(%d, %s) = %s', (amount, currency, text) => {
    expect(formatMinor(amount, currency)).toBe(text);
  });

  it.each([
    [ratio(450n), 'EUR', '4.50'],
    [ratio(5n, 4n), 'EUR', '0.0125'],
    [ratio(25n, 2n), 'JPY', '12.5'],
  ])('formatPriceMinor(%o, %s) = %s', (price, currency, text) => {
    expect(formatPriceMinor(price, currency)).toBe(text);
  });

  it('formats and parses amounts back to the same minor units', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        fc.constantFrom('EUR', 'JPY', 'KWD'),
        (amount, currency) => {
          expect(parseAmountMinor(formatMinor(amount, currency), currency)).toEqual({
            ok: true,
            value: amount,
          });
        },
      ),
    );
  });
});

describe('displayDecimal', () => {
  it.each([
    [ratio(1775n, 18n), 4, '98.6111'],
    [ratio(43170n * 100n, 43200n), 4, '99.9306'], // 99.930555…
    [ratio(-1n, 8n), 2, '-0.13'], // −0.125, half away from zero
    [ratio(5n), 2, '5'],
  ])('%o to %d places = %s', (value, decimals, text) => {
    expect(displayDecimal(value, decimals)).toBe(text);
  });
});

describe('amounts from products and percentages', () => {
  it.each([
    [90000n, '25', 22500n],
    [90000n, '10', 9000n],
    [333n, '50', 167n], // 166.5 → 167
    [-333n, '50', -167n],
    [1n, '50', 1n], // 0.5 → 1
    [1n, '49.99', 0n],
    [33333n, '12.5', 4167n], // 4166.625 → 4167
  ])('%d × %s %% = %d', (amount, percent, expected) => {
    expect(percentOf(amount, parseDecimal(percent) ?? ratio(0n))).toBe(expected);
  });

  it.each([
    // quantity, unit price (minor), fraction, amount
    ['45.3', '450', '1', 20385n],
    ['234.5', '80', '1', 18760n],
    ['1', '15000', '1', 15000n],
    ['1000.5', '1.25', '1', 1251n], // 1250.625 → 1251
  ])('%s × %s × %s = %d', (quantity, unit, fraction, expected) => {
    const factors = [quantity, unit, fraction].map((text) => parseDecimal(text) ?? ratio(0n));
    expect(amountOf(...factors)).toBe(expected);
  });

  it('amountOf(10/31 of 150.00) rounds once: 4838.709… → 4839', () => {
    expect(amountOf(ratio(15000n), ratio(10n, 31n))).toBe(4839n);
  });
});
