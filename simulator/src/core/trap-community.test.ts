import { describe, expect, it } from 'vitest';
import { trapCommunity } from './trap-community.js';

describe('trapCommunity', () => {
  it.each<
    [
      string,
      string[],
      { version: '1' | '2c'; community: string } | { version: '3'; user: string },
      string,
    ]
  >([
    [
      'the device community when receivers accept it',
      ['public', 'noc'],
      { version: '2c', community: 'noc' },
      'noc',
    ],
    [
      'the first accepted one otherwise',
      ['public'],
      { version: '2c', community: 'secret' },
      'public',
    ],
    ['the first accepted one for a v3 device', ['traps'], { version: '3', user: 'ops' }, 'traps'],
    ['the device community when none is configured', [], { version: '1', community: 'c' }, 'c'],
  ])('uses %s', (_label, communities, snmp, expected) => {
    expect(trapCommunity({ snmp: { communities } }, { snmp })).toBe(expected);
  });
});
