import { describe, expect, it } from 'vitest';
import { statesFor, type AlarmStateFilter } from './alarm-filter.js';

describe('statesFor', () => {
  it.each<[AlarmStateFilter, string[]]>([
    ['open', ['active', 'acknowledged']],
    ['active', ['active']],
    ['acknowledged', ['acknowledged']],
    ['cleared', ['cleared']],
    ['all', ['active', 'acknowledged', 'cleared']],
  ])('%s selects %j', (filter, states) => {
    expect(statesFor(filter)).toEqual(states);
  });
});
