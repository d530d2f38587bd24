import { describe, expect, it } from 'vitest';
import { billingSearch, readBillingSelection } from './billing-url.js';

describe('readBillingSelection', () => {
  it.each([
    ['', { period: '', customer: '', run: null, job: null }],
    [
      '?period=2026-04&customer=acme&run=acme%2F2026-04%2Fv1&job=j1',
      { period: '2026-04', customer: 'acme', run: 'acme/2026-04/v1', job: 'j1' },
    ],
    ['?run=&job=%20&rotate=30', { period: '', customer: '', run: null, job: null }],
  ])('%s', (search, selection) => {
    expect(readBillingSelection(search)).toEqual(selection);
  });
});

describe('billingSearch', () => {
  it.each([
    ['', { run: 'acme/2026-04/v1' }, '?run=acme%2F2026-04%2Fv1'],
    ['?period=2026-04&run=x', { run: null }, '?period=2026-04'],
    ['?period=2026-04', { period: '', customer: 'acme' }, '?customer=acme'],
    ['?rotate=30&pages=%2Fwall', { job: 'j1' }, '?rotate=30&pages=%2Fwall&job=j1'],
    ['?job=j1', { job: null }, ''],
  ] as const)('%s + %j → %s', (search, changes, expected) => {
    expect(billingSearch(search, changes)).toBe(expected);
    // What it writes reads back as asked.
    const read = readBillingSelection(expected);
    for (const [key, value] of Object.entries(changes)) {
      expect(read[key as keyof typeof read]).toBe(value === '' ? '' : value);
    }
  });
});
