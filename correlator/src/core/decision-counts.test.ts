import { describe, expect, it } from 'vitest';
import type { FaultEvent } from '@faultline/shared';
import { reduceAlarms } from './alarm-reducer.js';
import { countDecisions, sumCounts } from './decision-counts.js';

const base: FaultEvent = {
  id: 'e1',
  source: 'poll',
  device: 'edge-1',
  deviceKnown: false,
  type: 'unreachable',
  severity: 'critical',
  timeMs: 1000,
  reductionKey: 'unreachable:edge-1',
  description: 'edge-1 does not answer',
  details: {},
};

describe('countDecisions', () => {
  it.each<[string, FaultEvent[], Partial<ReturnType<typeof countDecisions>>]>([
    ['nothing', [], {}],
    ['a raise and a duplicate', [base, base], { raised: 1, duplicate: 1 }],
    [
      'a raise, a repeat and a clear',
      [
        base,
        { ...base, id: 'e2', timeMs: 2000 },
        { ...base, id: 'e3', timeMs: 3000, severity: 'cleared' },
      ],
      { raised: 1, repeated: 1, cleared: 1 },
    ],
    ['an orphan clear', [{ ...base, severity: 'cleared' }], { orphanClear: 1 }],
  ])('%s', (_name, events, expected) => {
    const { decisions } = reduceAlarms(new Map(), { events }, { newAlarmId: () => 'a' });
    expect(countDecisions(decisions)).toEqual({
      raised: 0,
      repeated: 0,
      escalated: 0,
      cleared: 0,
      duplicate: 0,
      orphanClear: 0,
      ...expected,
    });
  });
});

describe('sumCounts', () => {
  it('adds the counts of several batches kind by kind', () => {
    const one = { raised: 1, repeated: 2, escalated: 0, cleared: 1, duplicate: 0, orphanClear: 0 };
    const two = { raised: 0, repeated: 1, escalated: 1, cleared: 0, duplicate: 3, orphanClear: 1 };
    expect(sumCounts([one, two])).toEqual({
      raised: 1,
      repeated: 3,
      escalated: 1,
      cleared: 1,
      duplicate: 3,
      orphanClear: 1,
    });
    expect(sumCounts([])).toEqual(countDecisions([]));
  });
});
