import { describe, expect, it } from 'vitest';
import { linkTokenFrom, overallState } from './care-view.js';

describe('status page helpers', () => {
  it.each([
    ['', null],
    ['#', null],
    ['#fls_abc-_1', 'fls_abc-_1'],
    ['#%20fls_x%20', 'fls_x'],
  ])('reads the link token of %j', (hash, token) => {
    expect(linkTokenFrom(hash)).toBe(token);
  });

  it.each([
    [[], 'up'],
    [['up', 'maintenance'], 'maintenance'],
    [['maintenance', 'degraded', 'up'], 'degraded'],
    [['degraded', 'down'], 'down'],
  ] as const)('the worst of %j is %s', (states, expected) => {
    expect(overallState(states)).toBe(expected);
  });
});
