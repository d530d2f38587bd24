import { createLogger, type Alarm } from '@faultline/shared';
import { describe, expect, it, vi } from 'vitest';
import { testDevices } from '../core/testing/fixtures.js';
import type { OpenAlarmReader } from '../ports.js';
import { createLinkReconciliation } from './link-reconciliation.js';

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

const KEY = 'linkDown:core-1:ifIndex=7';
const LAST_SEEN = '2026-12-06T23:00:00.000Z';

/** A reader that fails `failures` times, then finds the alarm on core-1's ifIndex 7 open. */
function reader(failures: number): OpenAlarmReader & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    read(keys) {
      asked.push([...keys]);
      if (asked.length <= failures) return Promise.reject(new Error('Connection is closed.'));
      return Promise.resolve(new Map([[KEY, openLinkAlarm(KEY, LAST_SEEN)]]));
    },
  };
}

describe('createLinkReconciliation', () => {
  it('asks for the configured link keys and hands what is open to reachability', async () => {
    const source = reader(0);
    const expected: [string, [number, number][]][] = [];
    const reconciliation = createLinkReconciliation({
      devices: testDevices(),
      reader: source,
      reachability: {
        expectOpenLinkAlarms: (device, alarms) => expected.push([device, [...alarms]]),
      },
      logger,
    });
    await reconciliation.start();
    expect(source.asked).toEqual([
      ['linkDown:core-1:ifIndex=3', 'linkDown:core-1:ifIndex=7', 'linkDown:access-1:ifIndex=1'],
    ]);
    expect(expected).toEqual([['core-1', [[7, Date.parse(LAST_SEEN)]]]]);
    reconciliation.stop();
  });

  it('starts at once when the alarms cannot be read, and keeps trying until they can', async () => {
    const source = reader(3);
    const expected: string[] = [];
    const reconciliation = createLinkReconciliation({
      devices: testDevices(),
      reader: source,
      reachability: { expectOpenLinkAlarms: (device) => expected.push(device) },
      logger,
      maxDelayMs: 1,
    });
    await reconciliation.start();
    expect(source.asked).toHaveLength(1);
    await vi.waitFor(() => {
      expect(expected).toEqual(['core-1']);
    });
    expect(source.asked).toHaveLength(4);
    reconciliation.stop();
  });

  it('applies nothing that arrives after a stop', async () => {
    let answer: (open: Map<string, Alarm>) => void = () => undefined;
    const expected: string[] = [];
    const reconciliation = createLinkReconciliation({
      devices: testDevices(),
      reader: { read: () => new Promise((resolve) => (answer = resolve)) },
      reachability: { expectOpenLinkAlarms: (device) => expected.push(device) },
      logger,
    });
    const started = reconciliation.start();
    reconciliation.stop();
    answer(new Map([[KEY, openLinkAlarm(KEY, LAST_SEEN)]]));
    await started;
    expect(expected).toEqual([]);
  });
});
