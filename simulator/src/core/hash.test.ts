import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a32, unitFromSeed } from './hash.js';

describe('fnv1a32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j to the published FNV-1a value', (text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });
});

describe('unitFromSeed', () => {
  it('always lies in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.nat(), (seed, salt) => {
        const value = unitFromSeed(seed, salt);
        return value >= 0 && value < 1;
      }),
    );
  });

  it('spreads neighbouring salts over the interval', () => {
    const values = Array.from({ length: 1000 }, (_, salt) => unitFromSeed(12345, salt));
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(new Set(values).size).toBe(values.length);
  });
});
