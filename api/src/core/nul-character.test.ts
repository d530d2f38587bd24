import { describe, expect, it } from 'vitest';
import { nulCharacterAt } from './nul-character.js';

describe('nulCharacterAt', () => {
  it.each<[unknown, string | undefined]>([
    ['plain', undefined],
    ['a\u0000b', ''],
    [{ device: 'core-1', limit: 5 }, undefined],
    [{ device: 'core\u0000' }, 'device'],
    [{ 'bad\u0000key': 'x' }, 'bad\\u0000key'],
    [{ list: ['ok', 'no\u0000'] }, 'list.1'],
    [{ nested: { text: 'x\u0000' } }, 'nested.text'],
    [null, undefined],
    [42, undefined],
  ])('%j → %j', (value, expected) => {
    expect(nulCharacterAt(value)).toBe(expected);
  });
});
