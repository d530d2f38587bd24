import { describe, expect, it } from 'vitest';
import type { Override, Rotation } from './config/paging-schema.js';
import { onCallAt, onCallNowAndNext, onCallSegments, zonedTimeToEpochMs } from './oncall.js';

const weekly: Rotation = {
  name: 'noc',
  timeZone: 'Europe/Paris',
  start: '2026-03-23',
  handoff: '09:00',
  shiftDays: 7,
  people: ['alice', 'bob'],
};
const at = (iso: string): number => Date.parse(iso);

describe('zonedTimeToEpochMs', () => {
  it.each([
    ['winter', '2026-01-10T09:00:00Z', 'Europe/Paris', '2026-01-10T08:00:00.000Z'],
    ['summer', '2026-07-10T09:00:00Z', 'Europe/Paris', '2026-07-10T07:00:00.000Z'],
    // 02:30 does not exist on 29 March in Paris: the instant 30 min past the jump.
    ['spring gap', '2026-03-29T02:30:00Z', 'Europe/Paris', '2026-03-29T01:30:00.000Z'],
    // 02:30 happens twice on 25 October: the first.
    ['fall repeat', '2026-10-25T02:30:00Z', 'Europe/Paris', '2026-10-25T00:30:00.000Z'],
    ['New York', '2026-11-01T09:00:00Z', 'America/New_York', '2026-11-01T14:00:00.000Z'],
    // Each zone keeps its own formatter: Paris again after New York.
    ['Paris after New York', '2026-11-01T09:00:00Z', 'Europe/Paris', '2026-11-01T08:00:00.000Z'],
  ])('%s', (_, local, zone, want) => {
    expect(new Date(zonedTimeToEpochMs(at(local), zone)).toISOString()).toBe(want);
  });

  it('rejects an unknown zone on every call', () => {
    for (let i = 0; i < 2; i += 1) {
      expect(() => zonedTimeToEpochMs(at('2026-01-10T09:00:00Z'), 'Mars/Olympus')).toThrow(
        RangeError,
      );
    }
  });
});

describe('onCallAt', () => {
  it.each([
    ['before the first turn', '2026-03-23T07:59:00Z', undefined],
    ['first turn (CET, 09:00 = 08:00Z)', '2026-03-23T08:00:00Z', 'alice'],
    // Summer time began on 29 March: the handoff stays at 09:00 local, now 07:00Z.
    ['last minute of alice across the DST change', '2026-03-30T06:59:00Z', 'alice'],
    ['bob from 09:00 local after the change', '2026-03-30T07:00:00Z', 'bob'],
    ['alice again a week later', '2026-04-06T07:00:00Z', 'alice'],
  ])('%s', (_, when, person) => {
    expect(onCallAt(weekly, [], at(when))?.person).toBe(person);
  });

  it('a turn across the DST change lasts 167 hours', () => {
    const turn = onCallAt(weekly, [], at('2026-03-25T12:00:00Z'));
    expect(turn).toMatchObject({ source: 'shift', person: 'alice' });
    expect(((turn?.endMs ?? 0) - (turn?.startMs ?? 0)) / 3_600_000).toBe(167);
  });

  const override: Override = {
    rotation: 'noc',
    person: 'carol',
    start: '2026-04-01T18:00:00+02:00',
    end: '2026-04-02T08:00:00+02:00',
    covers: 'bob',
  };

  it.each([
    ['just before the override', '2026-04-01T15:59:59Z', 'bob', 'shift'],
    ['at its start', '2026-04-01T16:00:00Z', 'carol', 'override'],
    ['inside', '2026-04-02T05:59:59Z', 'carol', 'override'],
    ['at its end', '2026-04-02T06:00:00Z', 'bob', 'shift'],
  ])('override: %s', (_, when, person, source) => {
    expect(onCallAt(weekly, [override], at(when))).toMatchObject({ person, source });
  });

  it('the turn before an override ends at its start; the turn after starts at its end', () => {
    expect(onCallAt(weekly, [override], at('2026-04-01T12:00:00Z'))?.endMs).toBe(
      at(override.start),
    );
    expect(onCallAt(weekly, [override], at('2026-04-02T12:00:00Z'))?.startMs).toBe(
      at(override.end),
    );
  });

  it('an override of another rotation changes nothing', () => {
    expect(
      onCallAt(weekly, [{ ...override, rotation: 'other' }], at('2026-04-01T20:00:00Z'))?.person,
    ).toBe('bob');
  });
});

describe('onCallNowAndNext', () => {
  it('names the next holder from the end of the current segment', () => {
    const { now, next } = onCallNowAndNext(weekly, [], at('2026-03-24T00:00:00Z'));
    expect([now?.person, next?.person, next?.startMs]).toEqual([
      'alice',
      'bob',
      at('2026-03-30T07:00:00Z'),
    ]);
  });

  it('before the rotation starts, nobody now and the first turn next', () => {
    const { now, next } = onCallNowAndNext(weekly, [], at('2026-03-01T00:00:00Z'));
    expect([now, next?.person]).toEqual([undefined, 'alice']);
  });
});

describe('onCallSegments', () => {
  it('tiles the range without gaps', () => {
    const segments = onCallSegments(
      weekly,
      [],
      at('2026-03-23T08:00:00Z'),
      at('2026-05-01T00:00:00Z'),
    );
    expect(segments.map((s) => s.person).slice(0, 4)).toEqual(['alice', 'bob', 'alice', 'bob']);
    segments.slice(1).forEach((segment, i) => {
      expect(segment.startMs).toBe(segments[i]?.endMs);
    });
  });
});
