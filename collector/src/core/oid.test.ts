import { describe, expect, it } from 'vitest';
import { normalizeOid, oidHasPrefix, oidSuffix } from './oid.js';

describe('oidHasPrefix', () => {
  it.each([
    ['1.3.6.1.2.1.2.2.1.1.3', '1.3.6.1.2.1.2.2.1.1', true],
    ['1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.1', true],
    ['.1.3.6.1.2.1.2.2.1.1.3', '1.3.6.1.2.1.2.2.1.1', true],
    ['1.3.6.1.2.1.2.2.1.1.3', '.1.3.6.1.2.1.2.2.1.1', true],
    ['1.3.6.1.2.1.2.2.1.10.3', '1.3.6.1.2.1.2.2.1.1', false],
    ['1.3.6.1.2.1.2.2.1', '1.3.6.1.2.1.2.2.1.1', false],
    ['1.3.6.2', '1.3.6.1', false],
  ])('%s under %s is %s', (oid, prefix, expected) => {
    expect(oidHasPrefix(oid, prefix)).toBe(expected);
  });
});

describe('oidSuffix', () => {
  it.each([
    ['1.3.6.1.2.1.2.2.1.1.3', '1.3.6.1.2.1.2.2.1.1', '3'],
    ['1.3.6.1.4.1.9.9.41.1.2.3.1.2.17.4', '1.3.6.1.4.1.9.9.41.1.2.3.1.2', '17.4'],
    ['1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.1', ''],
    ['1.3.6.1.2.1.2.2.1.10.3', '1.3.6.1.2.1.2.2.1.1', undefined],
  ])('%s under %s has suffix %s', (oid, prefix, expected) => {
    expect(oidSuffix(oid, prefix)).toBe(expected);
  });

  it('drops a leading dot', () => {
    expect(normalizeOid('.1.3.6')).toBe('1.3.6');
    expect(normalizeOid('1.3.6')).toBe('1.3.6');
  });
});
