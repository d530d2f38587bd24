import { describe, expect, it } from 'vitest';
import { quoteLongIntegers, toBigInt } from './influx-json.js';

describe('quoteLongIntegers', () => {
  it.each([
    [
      '[1700000000000,18446744073709551615,5,1.5,null]',
      '[1700000000000,"18446744073709551615",5,1.5,null]',
    ],
    [
      '[-9223372036854775808,1e+300,12345678901234.5]',
      '["-9223372036854775808",1e+300,12345678901234.5]',
    ],
    [
      '[1.12345678901234567,2e12345678901234567,-123456789012345]',
      '[1.12345678901234567,2e12345678901234567,-123456789012345]',
    ],
    [
      '{"a":[-1234567890123456,1234567890123456]}',
      '{"a":["-1234567890123456","1234567890123456"]}',
    ],
    [
      '{"name":"x 12345678901234567 \\" 99999999999999999"}',
      '{"name":"x 12345678901234567 \\" 99999999999999999"}',
    ],
  ])('%s', (input, want) => {
    expect(quoteLongIntegers(input)).toBe(want);
  });

  it('keeps every digit of a 64-bit counter through JSON.parse', () => {
    const parsed = JSON.parse(quoteLongIntegers('[9007199254740993]')) as unknown[];
    expect(toBigInt(parsed[0])).toBe(9_007_199_254_740_993n);
    expect(toBigInt(42)).toBe(42n);
    expect(toBigInt(null)).toBeNull();
  });
});
