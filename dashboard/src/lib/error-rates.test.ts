import { describe, expect, it } from 'vitest';
import { errorRatesLine, formatPacketRate, inOutRates } from './error-rates.js';

describe('formatPacketRate', () => {
  it.each([
    [null, '–'],
    [0, '0/s'],
    [0.001, '<0.01/s'],
    [0.25, '0.25/s'],
    [6.5, '6.5/s'],
    [12.4, '12/s'],
    [560.2, '560/s'],
    [31_623, '31.6k/s'],
    [150_000, '150k/s'],
  ])('%s is %s', (perS, text) => {
    expect(formatPacketRate(perS)).toBe(text);
  });
});

describe('errorRatesLine', () => {
  it.each([
    [{ inErrorsPs: null, outErrorsPs: null, inDiscardsPs: null, outDiscardsPs: null }, ''],
    [{ inErrorsPs: 0, outErrorsPs: 0, inDiscardsPs: 0, outDiscardsPs: 0 }, ''],
    [
      { inErrorsPs: 6, outErrorsPs: 0, inDiscardsPs: null, outDiscardsPs: 1 },
      '6.0/s errors in · 1.0/s discards out',
    ],
  ])('%o is "%s"', (rates, text) => {
    expect(errorRatesLine(rates)).toBe(text);
  });
});

describe('inOutRates', () => {
  it.each<[number | null, number | null, string]>([
    [null, null, '–'],
    [6, 0, '6.0/s in · 0/s out'],
    [null, 0.5, '– in · 0.50/s out'],
  ])('%s and %s are "%s"', (inPerS, outPerS, text) => {
    expect(inOutRates(inPerS, outPerS)).toBe(text);
  });
});
