import { describe, expect, it } from 'vitest';
import { layoutTopology } from './topology-layout.js';

describe('layoutTopology', () => {
  it('puts core on top, aggregation below, access and others at the bottom, spread evenly', () => {
    const positions = layoutTopology(
      [
        { name: 'access-1', kind: 'access' },
        { name: 'core-1', kind: 'core' },
        { name: 'core-2', kind: 'core' },
        { name: 'agg-1', kind: 'aggregation' },
        { name: 'box', kind: null },
      ],
      1000,
      800,
    );
    expect(Object.fromEntries(positions)).toEqual({
      'core-1': { x: 250, y: 100 },
      'core-2': { x: 750, y: 100 },
      'agg-1': { x: 500, y: 300 },
      'access-1': { x: 500, y: 500 },
      box: { x: 500, y: 700 },
    });
  });

  it('uses only the rows it needs', () => {
    const positions = layoutTopology([{ name: 'a', kind: 'access' }], 100, 100);
    expect(positions.get('a')).toEqual({ x: 50, y: 50 });
  });
});
