import { describe, expect, it } from 'vitest';
import { decimalIntegerIssue } from './decimal-integer.js';

describe('decimalIntegerIssue', () => {
  it.each([['5'], ['0'], ['-3'], ['007'], ['1000']])('accepts %s', (limit) => {
    expect(decimalIntegerIssue({ limit }, ['limit'])).toBeUndefined();
  });

  it.each([['1e3'], ['0x10'], ['0b1'], ['5.0'], [' 5'], ['5 '], ['+5'], [''], ['Infinity']])(
    'refuses %j',
    (limit) => {
      expect(decimalIntegerIssue({ limit }, ['limit'])).toEqual({
        keyword: 'type',
        instancePath: '/limit',
        params: { type: 'integer' },
        message: 'must be a decimal integer (digits only)',
      });
    },
  );

  it('checks each value of a repeated parameter, and only the named ones', () => {
    expect(decimalIntegerIssue({ limit: ['5', '1e3'] }, ['limit'])?.instancePath).toBe('/limit');
    expect(decimalIntegerIssue({ limit: ['5', '6'] }, ['limit'])).toBeUndefined();
    expect(decimalIntegerIssue({ device: '1e3' }, ['limit'])).toBeUndefined();
    expect(decimalIntegerIssue(null, ['limit'])).toBeUndefined();
  });
});
