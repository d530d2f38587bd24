import { describe, expect, it } from 'vitest';
import { flushDecision, type FlushDecision, type FlushInput } from './batch-flush.js';

const base: FlushInput = {
  bufferedEvents: 3,
  batchEvents: 100,
  news: 'repeat',
  lastNewsFlushMs: undefined,
  newsGapMs: 10,
};

describe('flushDecision', () => {
  it.each<[string, Partial<FlushInput>, number, FlushDecision]>([
    ['a repeat lingers', {}, 1000, { kind: 'linger' }],
    ['a full buffer goes at once', { bufferedEvents: 100 }, 1000, { kind: 'full' }],
    ['full wins over news', { bufferedEvents: 100, news: 'news' }, 1000, { kind: 'full' }],
    ['news goes at once', { news: 'news' }, 1000, { kind: 'news' }],
    [
      'news a gap after the last flush for news goes at once',
      { news: 'news', lastNewsFlushMs: 990 },
      1000,
      { kind: 'news' },
    ],
    [
      'news within the gap goes when the gap ends',
      { news: 'news', lastNewsFlushMs: 996 },
      1000,
      { kind: 'at', atMs: 1006 },
    ],
    [
      'a repeat just after a flush for news lingers',
      { lastNewsFlushMs: 999 },
      1000,
      { kind: 'linger' },
    ],
  ])('%s', (_, input, nowMs, want) => {
    expect(flushDecision({ ...base, ...input }, nowMs)).toEqual(want);
  });
});
