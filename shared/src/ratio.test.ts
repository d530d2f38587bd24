import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  compare,
  floor,
  fromNumber,
  mul,
  parseDecimal,
  ratio,
  sub,
  toDecimalString,
  toExactString,
  type Ratio,
} from './ratio.js';

const arbitraryRatio = fc
  .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }))
  .map(([num, den]) => ratio(num, den));

describe('ratio', () => {
  it.each([
    ['1250.00', 1250n, 1n],
    ['99.95', 1999n, 20n],
    ['0.1', 1n, 10n],
    ['-0.5', -1n, 2n],
    ['1e-7', 1n, 10000000n],
    ['2.5e3', 2500n, 1n],
    ['0', 0n, 1n],
  ])('parseDecimal(%s) = %d/%d exactly', (text, num, den) => {
    expect(parseDecimal(text)).toEqual({ num, den });
  });

  it.each(['', 'abc', '1.', '.5', '1,5', '1.2.3', '0x10'])('parseDecimal(%j) is null', (text) => {
    expect(parseDecimal(text)).toBeNull();
  });

  it.each([
    [ratio(5n, 4n), 0, '1.25'],
    [ratio(-1n, 2n), 0, '-0.5'],
    [ratio(9n, 2n), 2, '4.50'],
    [ratio(3n), 0, '3'],
    [ratio(-1n, 200n), 0, '-0.005'],
    [ratio(1n, 3n), 0, null],
    [ratio(10n, 31n), 0, null],
  ])('toDecimalString(%o, %d) = %s', (value, minDecimals, text) => {
    expect(toDecimalString(value, minDecimals)).toBe(text);
  });

  it.each([
    [ratio(10n, 31n), '10/31'],
    [ratio(2n, 6n), '1/3'],
    [ratio(1n, 4n), '0.25'],
  ])('toExactString(%o) = %s', (value, text) => {
    expect(toExactString(value)).toBe(text);
  });

  it.each([
    [99.95, 1999n, 20n],
    [0.1, 1n, 10n],
    [200, 200n, 1n],
    [12.5, 25n, 2n],
    [1e21, 10n ** 21n, 1n],
  ])('fromNumber(%d) reads the shortest decimal: %d/%d', (value, num, den) => {
    expect(fromNumber(value)).toEqual({ num, den });
  });

  it.each([
    [ratio(-1n, 2n), -1n],
    [ratio(1n, 2n), 0n],
    [ratio(-4n, 2n), -2n],
    [ratio(7n, 3n), 2n],
  ])('floor(%o) = %d', (value, expected) => {
    expect(floor(value)).toBe(expected);
  });

  it('rejects a zero denominator and non-finite numbers', () => {
    expect(() => ratio(1n, 0n)).toThrow(RangeError);
    expect(() => fromNumber(Number.NaN)).toThrow(RangeError);
  });

  it('is a field: (a + b) − b = a, a × b = b × a, and stays reduced', () => {
    fc.assert(
      fc.property(arbitraryRatio, arbitraryRatio, (a: Ratio, b: Ratio) => {
        expect(sub(add(a, b), b)).toEqual(a);
        expect(mul(a, b)).toEqual(mul(b, a));
        expect(compare(add(a, b), a)).toBe(compare(b, ratio(0n)));
      }),
    );
  });

  it('round-trips decimals through toDecimalString and parseDecimal', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.nat(8),
        (digits, scale) => {
          const value = ratio(digits, 10n ** BigInt(scale));
          const text = toDecimalString(value);
          expect(text).not.toBeNull();
          expect(parseDecimal(text ?? '')).toEqual(value);
        },
      ),
    );
  });
});
