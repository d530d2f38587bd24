import { describe, expect, it } from 'vitest';
import { discoveryAddresses, probeStartMs } from './discovery-addresses.js';

describe('discoveryAddresses', () => {
  it.each<[string, { range: string; exclude: string[] }[], string[]]>([
    ['a single address', [{ range: '10.0.0.5', exclude: [] }], ['10.0.0.5']],
    [
      'a block minus an address and a sub-range',
      [{ range: '10.0.0.0/29', exclude: ['10.0.0.0', '10.0.0.5-10.0.0.6'] }],
      ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.7'],
    ],
    [
      'overlapping ranges once each, in order',
      [
        { range: '10.0.0.3-10.0.0.4', exclude: [] },
        { range: '10.0.0.1-10.0.0.3', exclude: [] },
      ],
      ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'],
    ],
    [
      'an exclusion applies to its own range only',
      [
        { range: '10.0.0.1-10.0.0.2', exclude: ['10.0.0.2'] },
        { range: '10.0.0.2', exclude: [] },
      ],
      ['10.0.0.1', '10.0.0.2'],
    ],
    ['a refused range yields nothing', [{ range: '10.0.0.1/24', exclude: [] }], []],
  ])('%s', (_, ranges, expected) => {
    expect(discoveryAddresses(ranges)).toEqual(expected);
  });
});

describe('probeStartMs', () => {
  it('spaces probes evenly at the rate', () => {
    expect([0, 1, 2, 200].map((n) => probeStartMs(n, 200))).toEqual([0, 5, 10, 1000]);
  });
});
