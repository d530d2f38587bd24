import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_VALUE_DEPTH, unstorableValue, type UnstorableValue } from './unstorable-value.js';

/** `levels` arrays, one inside the other, around `inner`. */
function nestedArrays(levels: number, inner: unknown = 1): unknown {
  let value = inner;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

describe('unstorableValue', () => {
  it.each<[unknown, UnstorableValue | undefined]>([
    ['plain', undefined],
    ['a\u0000b', { kind: 'nul', path: '' }],
    [{ device: 'core-1', limit: 5 }, undefined],
    [{ device: 'core\u0000' }, { kind: 'nul', path: 'device' }],
    [{ 'bad\u0000key': 'x' }, { kind: 'nul', path: 'bad\\u0000key' }],
    [{ list: ['ok', 'no\u0000'] }, { kind: 'nul', path: 'list.1' }],
    [{ nested: { text: 'x\u0000' } }, { kind: 'nul', path: 'nested.text' }],
    [{ text: 'a\ud800b' }, { kind: 'lone-surrogate', path: 'text' }],
    [{ text: 'a\udc00' }, { kind: 'lone-surrogate', path: 'text' }],
    [{ text: 'a\ud83d\ude00b' }, undefined],
    [{ 'k\udfff': 1 }, { kind: 'lone-surrogate', path: 'k\\udfff' }],
    [
      { first: 'a\ud800', then: 'b\u0000' },
      { kind: 'lone-surrogate', path: 'first' },
    ],
    [null, undefined],
    [42, undefined],
    [nestedArrays(MAX_VALUE_DEPTH), undefined],
    [
      nestedArrays(MAX_VALUE_DEPTH + 1),
      { kind: 'too-deep', path: Array<string>(MAX_VALUE_DEPTH).fill('0').join('.') },
    ],
  ])('%j → %j', (value, expected) => {
    expect(unstorableValue(value)).toEqual(expected);
  });

  it('refuses a body nested 20,000 arrays or 5,000 objects deep without running out of stack', () => {
    expect(unstorableValue(JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`))).toEqual({
      kind: 'too-deep',
      path: Array<string>(MAX_VALUE_DEPTH).fill('0').join('.'),
    });
    expect(unstorableValue(JSON.parse(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`))?.kind).toBe(
      'too-deep',
    );
  });

  it('takes any JSON value of well-formed text within the depth', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), (value) => {
        expect(unstorableValue(value)).toBeUndefined();
      }),
    );
  });
});
