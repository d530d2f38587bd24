import type { Alarm } from '@faultline/shared';
import { describe, expect, it } from 'vitest';
import { linkAlarmTargets, linkAlarmsToVerify } from './link-reconciliation.js';
import { testDevices } from './testing/fixtures.js';

const T1 = '2026-12-06T23:00:00.000Z';
const T2 = '2026-12-06T23:30:00.000Z';

describe('linkAlarmTargets', () => {
  it('names the linkDown key of every configured interface, and nothing else', () => {
    expect(linkAlarmTargets([...testDevices(), { name: 'bare-1', interfaces: [] }])).toEqual([
      { device: 'core-1', ifIndex: 3, reductionKey: 'linkDown:core-1:ifIndex=3' },
      { device: 'core-1', ifIndex: 7, reductionKey: 'linkDown:core-1:ifIndex=7' },
      { device: 'access-1', ifIndex: 1, reductionKey: 'linkDown:access-1:ifIndex=1' },
    ]);
  });
});

describe('linkAlarmsToVerify', () => {
  const targets = linkAlarmTargets(testDevices());
  type Open = [string, Pick<Alarm, 'state' | 'lastSeen'>][];
  it.each<[string, Open, [string, [number, number][]][]]>([
    ['no open alarm: nothing to verify (a start sends no clear)', [], []],
    [
      'active and acknowledged alarms are verified from their last event',
      [
        ['linkDown:core-1:ifIndex=7', { state: 'active', lastSeen: T1 }],
        ['linkDown:access-1:ifIndex=1', { state: 'acknowledged', lastSeen: T2 }],
      ],
      [
        ['core-1', [[7, Date.parse(T1)]]],
        ['access-1', [[1, Date.parse(T2)]]],
      ],
    ],
    [
      'two on one device',
      [
        ['linkDown:core-1:ifIndex=3', { state: 'active', lastSeen: T2 }],
        ['linkDown:core-1:ifIndex=7', { state: 'active', lastSeen: T1 }],
      ],
      [
        [
          'core-1',
          [
            [3, Date.parse(T2)],
            [7, Date.parse(T1)],
          ],
        ],
      ],
    ],
    [
      'a cleared alarm, and alarms on interfaces no poll reads, are left alone',
      [
        ['linkDown:core-1:ifIndex=3', { state: 'cleared', lastSeen: T1 }],
        ['linkDown:core-1:ifIndex=4', { state: 'active', lastSeen: T1 }],
        ['linkDown:edge-9:ifIndex=1', { state: 'active', lastSeen: T1 }],
      ],
      [],
    ],
  ])('%s', (_name, open, want) => {
    const found = linkAlarmsToVerify(targets, new Map(open));
    expect([...found].map(([device, links]) => [device, [...links]])).toEqual(want);
  });
});
