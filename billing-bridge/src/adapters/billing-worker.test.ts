import { describe, expect, it } from 'vitest';
import { closePattern } from './billing-worker.js';

describe('closePattern', () => {
  it.each([
    [1, '0 1 1 * *'],
    [15, '0 1 15 * *'],
  ])('anchor day %i runs at 01:00 local on that day', (anchorDay, pattern) => {
    expect(
      closePattern({
        id: 'c',
        name: 'C',
        currency: 'EUR',
        timeZone: 'Europe/Berlin',
        billingAnchorDay: anchorDay,
        services: [],
      }),
    ).toBe(pattern);
  });
});
