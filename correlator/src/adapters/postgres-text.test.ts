import { describe, expect, it } from 'vitest';
import { withoutNul } from './postgres-text.js';

describe('withoutNul', () => {
  it.each<[string, unknown, unknown]>([
    ['a plain string', 'linkDown', 'linkDown'],
    ['a string with NUL', 'a\u0000b\u0000', 'a\uFFFDb\uFFFD'],
    ['numbers, booleans and null', [1, true, null], [1, true, null]],
    ['nested values', { v: [{ s: 'x\u0000' }] }, { v: [{ s: 'x\uFFFD' }] }],
    ['object keys', { 'k\u0000': 1 }, { 'k\uFFFD': 1 }],
  ])('%s', (_name, input, expected) => {
    expect(withoutNul(input)).toEqual(expected);
  });

  it('returns a value without NUL as it is, and copies only what holds one', () => {
    const clean = { a: [{ s: 'x' }], b: { t: 'y' } };
    expect(withoutNul(clean)).toBe(clean);
    const mixed = { a: [{ s: 'x' }], b: { t: 'y\u0000' } };
    const cleaned = withoutNul(mixed);
    expect(cleaned).not.toBe(mixed);
    expect(cleaned.a).toBe(mixed.a);
    expect(cleaned.b).toEqual({ t: 'y\uFFFD' });
  });

  it('leaves the input unchanged', () => {
    const input = { s: 'a\u0000' };
    withoutNul(input);
    expect(input.s).toBe('a\u0000');
  });
});
