import { createLogger, type Alarm } from '@faultline/shared';
import { describe, expect, it } from 'vitest';
import { testDevices } from '../core/testing/fixtures.js';
import type { OpenAlarmReader } from '../ports.js';
import { reconcileLinkAlarms } from './link-reconciliation.js';

const logger = createLogger({ level: 'silent' });

function openLinkAlarm(reductionKey: string, lastSeen: string): Alarm {
  return {
    id: 'a1',
    reductionKey,
    device: 'core-1',
    deviceKnown: true,
    component: 'ge-0/0/7',
    type: 'linkDown',
    source: 'trap',
    severity: 'major',
    state: 'active',
    count: 1,
    firstSeen: lastSeen,
    lastSeen,
    clearedAt: null,
    description: 'down',
    lastEventId: 'e1',
    causedBy: null,
    explanation: null,
    ticketId: null,
    acknowledgedBy: null,
  };
}

describe('reconcileLinkAlarms', () => {
  it('asks for the configured link keys and hands what is open to reachability', async () => {
    const asked: string[][] = [];
    const reader: OpenAlarmReader = {
      read: (keys) => {
        asked.push([...keys]);
        const key = 'linkDown:core-1:ifIndex=7';
        return Promise.resolve(new Map([[key, openLinkAlarm(key, '2026-12-06T23:00:00.000Z')]]));
      },
    };
    const expected: [string, [number, number][]][] = [];
    await reconcileLinkAlarms({
      devices: testDevices(),
      reader,
      reachability: {
        expectOpenLinkAlarms: (device, alarms) => expected.push([device, [...alarms]]),
      },
      logger,
    });
    expect(asked).toEqual([
      ['linkDown:core-1:ifIndex=3', 'linkDown:core-1:ifIndex=7', 'linkDown:access-1:ifIndex=1'],
    ]);
    expect(expected).toEqual([['core-1', [[7, Date.UTC(2026, 11, 6, 23)]]]]);
  });

  it('starts without verification when the alarms cannot be read', async () => {
    const expected: string[] = [];
    await expect(
      reconcileLinkAlarms({
        devices: testDevices(),
        reader: { read: () => Promise.reject(new Error('Connection is closed.')) },
        reachability: { expectOpenLinkAlarms: (device) => expected.push(device) },
        logger,
      }),
    ).resolves.toBeUndefined();
    expect(expected).toEqual([]);
  });
});
