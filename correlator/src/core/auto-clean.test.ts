import { describe, expect, it } from 'vitest';
import { staleAfterMs, staleAlarmClears, type CleanableAlarm } from './auto-clean.js';

const alarm: CleanableAlarm = {
  id: 'a1',
  reductionKey: 'linkDown:core-1:ifIndex=3',
  type: 'linkDown',
  device: 'core-1',
  deviceKnown: true,
  lastSeenMs: 0,
  raisedAtMs: 0,
};
const everyType = { anyMs: 60_000, byTypeMs: new Map<string, number>() };
const restartsOnly = { byTypeMs: new Map([['coldStart', 3_600_000]]) };

describe('staleAlarmClears', () => {
  it.each([
    ['fresh', alarm, 59_999, 0],
    ['stale', alarm, 60_000, 1],
    ['repeated lately by the device clock', { ...alarm, lastSeenMs: 30_000 }, 60_000, 0],
    ['recorded lately by the correlator', { ...alarm, raisedAtMs: 30_000 }, 60_000, 0],
  ])('%s', (_label, a, now, count) => {
    expect(staleAlarmClears([a], now, everyType)).toHaveLength(count);
  });

  it('clears the alarm by its key with a deterministic id', () => {
    expect(staleAlarmClears([alarm], 60_000, everyType)[0]).toMatchObject({
      id: 'autoclean-a1',
      source: 'system',
      severity: 'cleared',
      clearKey: 'linkDown:core-1:ifIndex=3',
      reductionKey: 'autoClean:linkDown:core-1:ifIndex=3',
      timeMs: 60_000,
      description: 'Cleared automatically: nothing repeated it for 60 s',
    });
  });

  it.each([
    ['a listed type after its own period', 'coldStart', restartsOnly, 3_600_000, 1],
    ['a listed type before it', 'coldStart', restartsOnly, 3_599_999, 0],
    ['an unlisted type, with no period for every type', 'linkDown', restartsOnly, 10 ** 12, 0],
    [
      'a listed type by its own period, not the shorter one for every type',
      'coldStart',
      { ...restartsOnly, anyMs: 60_000 },
      60_000,
      0,
    ],
    [
      'an unlisted type by the period for every type',
      'linkDown',
      { ...restartsOnly, anyMs: 60_000 },
      60_000,
      1,
    ],
  ])('%s', (_label, type, policy, now, count) => {
    expect(staleAlarmClears([{ ...alarm, type }], now, policy)).toHaveLength(count);
  });

  it('says after how long, per type', () => {
    expect(staleAfterMs(restartsOnly, 'coldStart')).toBe(3_600_000);
    expect(staleAfterMs(restartsOnly, 'linkDown')).toBeUndefined();
    expect(staleAfterMs(everyType, 'linkDown')).toBe(60_000);
  });
});
