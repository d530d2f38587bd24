import { describe, expect, it } from 'vitest';
import { counter64Buffer } from './agent.js';

describe('counter64Buffer', () => {
  it.each([
    [0n, '0000000000000000'],
    [2n ** 32n, '0000000100000000'],
    [2n ** 64n - 1n, 'ffffffffffffffff'],
    [2n ** 64n + 3n, '0000000000000003'],
  ])('encodes %d as 8 big-endian bytes %s', (value, hex) => {
    const buffer = counter64Buffer(value);
    expect(buffer).toHaveLength(8);
    expect(buffer.toString('hex')).toBe(hex);
  });
});
