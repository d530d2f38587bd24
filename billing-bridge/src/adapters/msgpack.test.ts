import { describe, expect, it } from 'vitest';
import { decodeMsgpack } from './msgpack.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('decodeMsgpack', () => {
  it.each([
    { name: 'positive and negative fixints', input: bytes(0x92, 0x05, 0xff), want: [5, -1] },
    { name: 'nil and booleans', input: bytes(0x93, 0xc0, 0xc2, 0xc3), want: [null, false, true] },
    { name: 'a fixstr', input: bytes(0xa2, 0x68, 0x69), want: 'hi' },
    { name: 'a str8', input: bytes(0xd9, 0x02, 0x68, 0x69), want: 'hi' },
    {
      name: 'a fixmap of an array16',
      input: bytes(0x81, 0xa1, 0x76, 0xdc, 0x00, 0x02, 0xcc, 0xc8, 0xd0, 0x80),
      want: { v: [200, -128] },
    },
    {
      name: 'uint16 and uint32',
      input: bytes(0x92, 0xcd, 1, 0, 0xce, 0, 1, 0, 0),
      want: [256, 65536],
    },
    {
      name: 'int16 and int32',
      input: bytes(0x92, 0xd1, 0xff, 0, 0xd2, 0xff, 0xff, 0, 0),
      want: [-256, -65536],
    },
    { name: 'a float64', input: bytes(0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0), want: 1.5 },
    { name: 'a float32', input: bytes(0xca, 0x3f, 0xc0, 0, 0), want: 1.5 },
  ])('reads $name', ({ input, want }) => {
    expect(decodeMsgpack(input)).toEqual(want);
  });

  it('keeps every digit of 64-bit integers: numbers below 2^53, bigints above', () => {
    // An epoch-ms time and a counter below 2^53 are numbers.
    expect(decodeMsgpack(bytes(0xd3, 0, 0, 0x01, 0x9b, 0x76, 0xa3, 0xb9, 0x80))).toBe(
      1_767_222_000_000,
    );
    expect(decodeMsgpack(bytes(0xd3, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe(
      2 ** 53 - 1,
    );
    expect(decodeMsgpack(bytes(0xd3, 0x00, 0x20, 0, 0, 0, 0, 0, 1))).toBe(2n ** 53n + 1n);
    expect(decodeMsgpack(bytes(0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe(-1);
    expect(decodeMsgpack(bytes(0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0))).toBe(-(2n ** 63n));
    expect(decodeMsgpack(bytes(0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe(
      2n ** 64n - 1n,
    );
    expect(decodeMsgpack(bytes(0xcf, 0, 0, 0, 0x01, 0, 0, 0, 0))).toBe(2 ** 32);
  });

  it('refuses cut, padded and unknown input', () => {
    expect(() => decodeMsgpack(bytes(0xcb, 0x3f))).toThrow(/cut short/);
    expect(() => decodeMsgpack(bytes(0x01, 0x02))).toThrow(/trailing/);
    expect(() => decodeMsgpack(bytes(0xd6, 0xff, 0, 0, 0, 0))).toThrow(/0xd6/);
  });
});
