import { describe, expect, it } from 'vitest';
import type { Override, PageTarget } from '@faultline/shared';
import { followUpDestinations, resolveTargets, type Destination } from './destinations.js';
import { rotation } from './paging.fixture.js';

const at = (iso: string): number => Date.parse(iso);
const cover: Override = {
  rotation: 'noc',
  person: 'carol',
  start: '2026-12-02T12:00:00Z',
  end: '2026-12-02T13:00:00Z',
};

describe('resolveTargets', () => {
  it.each<[string, PageTarget[], Override[], string, ReturnType<typeof resolveTargets>]>([
    [
      'the rotation names its on-call',
      [{ rotation: 'noc' }],
      [],
      '2026-12-01T09:00:00Z',
      { people: [{ person: 'alice', rotation: 'noc' }], channels: [], unstaffed: [] },
    ],
    [
      'the next day, the other',
      [{ rotation: 'noc' }],
      [],
      '2026-12-02T08:00:00Z',
      { people: [{ person: 'bob', rotation: 'noc' }], channels: [], unstaffed: [] },
    ],
    [
      'an override takes effect at its start',
      [{ rotation: 'noc' }],
      [cover],
      '2026-12-02T12:00:00Z',
      { people: [{ person: 'carol', rotation: 'noc' }], channels: [], unstaffed: [] },
    ],
    [
      'and not a moment before',
      [{ rotation: 'noc' }],
      [cover],
      '2026-12-02T11:59:59.999Z',
      { people: [{ person: 'bob', rotation: 'noc' }], channels: [], unstaffed: [] },
    ],
    [
      'a person once, channels once',
      [{ person: 'alice' }, { rotation: 'noc' }, { channel: 'chat' }, { channel: 'chat' }],
      [],
      '2026-12-01T09:00:00Z',
      { people: [{ person: 'alice', rotation: null }], channels: ['chat'], unstaffed: [] },
    ],
    [
      'a rotation not started yet is unstaffed',
      [{ rotation: 'noc' }],
      [],
      '2026-11-30T00:00:00Z',
      { people: [], channels: [], unstaffed: ['noc'] },
    ],
  ])('%s', (_, targets, overrides, when, want) => {
    expect(resolveTargets(targets, [rotation], overrides, at(when))).toEqual(want);
  });
});

describe('followUpDestinations', () => {
  const paged: Destination[] = [
    { kind: 'webpush', person: 'alice', subscriptionId: 's1' },
    { kind: 'email', person: 'alice', address: 'alice@example.org' },
    { kind: 'channel', channel: 'chat', type: 'slack' },
    { kind: 'channel', channel: 'pd', type: 'pagerduty' },
    { kind: 'channel', channel: 'hook', type: 'webhook' },
  ];
  it('a resolve reaches everyone paged', () => {
    expect(followUpDestinations('resolve', paged)).toEqual(paged);
  });
  it('an acknowledgement reaches PagerDuty and webhooks only', () => {
    expect(
      followUpDestinations('acknowledge', paged).map((d) => d.kind === 'channel' && d.channel),
    ).toEqual(['pd', 'hook']);
  });
});
