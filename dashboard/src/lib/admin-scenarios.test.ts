import { describe, expect, it } from 'vitest';
import { formatLengthMs, parseSpeedup } from './admin-scenarios.js';

describe('parseSpeedup', () => {
  it.each<[string, number | undefined]>([
    ['', undefined],
    ['  ', undefined],
    ['10', 10],
    [' 2.5 ', 2.5],
    ['10000', 10_000],
  ])('accepts %j', (text, speedup) => {
    expect(parseSpeedup(text)).toEqual({ ok: true, speedup });
  });

  it.each(['0', '-1', 'fast', '10001', 'Infinity'])('refuses %j', (text) => {
    expect(parseSpeedup(text).ok).toBe(false);
  });
});

describe('formatLengthMs', () => {
  it.each<[number, string]>([
    [600, '600 ms'],
    [6_333, '6.3 s'],
    [60_000, '1 min'],
    [190_000, '3 min 10 s'],
  ])('%i → %s', (lengthMs, text) => {
    expect(formatLengthMs(lengthMs)).toBe(text);
  });
});
