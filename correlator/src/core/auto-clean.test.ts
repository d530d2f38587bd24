import { describe, expect, it } from 'vitest';
import { staleAlarmClears, type CleanableAlarm } from './auto-clean.js';

const alarm: CleanableAlarm = {
  id: 'a1',
  reductionKey: 'linkDown:core-1:ifIndex=3',
  device: 'core-1',
  deviceKnown: true,
  lastSeenMs: 0,
  raisedAtMs: 0,
};

describe('staleAlarmClears', () => {
  it.each([
    ['fresh', alarm, 59_999, 0],
    ['stale', alarm, 60_000, 1],
    ['repeated lately by the device clock', { ...alarm, lastSeenMs: 30_000 }, 60_000, 0],
    ['recorded lately by the correlator', { ...alarm, raisedAtMs: 30_000 }, 60_000, 0],
  ])('%s', (_label, a, now, count) => {
    expect(staleAlarmClears([a], now, 60_000)).toHaveLength(count);
  });

  it('clears the alarm by its key with a deterministic id', () => {
    expect(staleAlarmClears([alarm], 60_000, 60_000)[0]).toMatchObject({
      id: 'autoclean-a1',
      source: 'system',
      severity: 'cleared',
      clearKey: 'linkDown:core-1:ifIndex=3',
      reductionKey: 'autoClean:linkDown:core-1:ifIndex=3',
      timeMs: 60_000,
    });
  });
});
