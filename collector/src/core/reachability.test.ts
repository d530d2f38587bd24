import { EventSchema, createValidator } from '@faultline/shared';
import { describe, expect, it } from 'vitest';
import { GENERIC_TRAP_OIDS, mergeEventDefinitions } from './event-definitions.js';
import type { DevicePoll } from './interface-points.js';
import { createInventory } from './inventory.js';
import {
  UNKNOWN_REACHABILITY,
  reachabilityEvent,
  stepReachability,
  type DeviceReachability,
  type PollOutcome,
} from './reachability.js';
import { testInventoryConfig } from './testing/fixtures.js';
import { trapToEvent } from './trap-to-event.js';
import { SnmpType } from './varbind.js';

const answered = (statuses: Record<number, number>): PollOutcome => ({
  kind: 'answered',
  poll: {
    device: 'core-1',
    timeMs: 0,
    interfaces: Object.entries(statuses).map(([ifIndex, operStatus]) => ({
      ifIndex: Number(ifIndex),
      width: 64,
      operStatus,
    })),
  } satisfies DevicePoll,
});
const failed: PollOutcome = { kind: 'failed', timeMs: 0, reason: 'Request timed out' };

/** Runs a timeline of outcomes; returns the decisions of each step, as short strings. */
function run(outcomes: PollOutcome[], failuresToDown = 3): string[][] {
  let state: DeviceReachability = UNKNOWN_REACHABILITY;
  return outcomes.map((outcome) => {
    const step = stepReachability(state, outcome, failuresToDown);
    state = step.state;
    return step.decisions.map((d) =>
      d.kind === 'linkDown' || d.kind === 'linkUp' ? `${d.kind}:${String(d.ifIndex)}` : d.kind,
    );
  });
}

describe('stepReachability', () => {
  it.each([
    [
      'N failures raise deviceDown once',
      [failed, failed, failed, failed],
      [[], [], ['deviceDown'], []],
    ],
    [
      'an answer before N resets the count',
      [failed, failed, answered({}), failed, failed],
      [[], [], [], [], []],
    ],
    [
      'an answer clears deviceDown',
      [failed, failed, failed, answered({})],
      [[], [], ['deviceDown'], ['deviceUp']],
    ],
    [
      'an oper status change raises and clears linkDown',
      [answered({ 3: 1 }), answered({ 3: 2 }), answered({ 3: 2 }), answered({ 3: 1 })],
      [[], ['linkDown:3'], [], ['linkUp:3']],
    ],
    [
      'down on the first poll raises; up on the first poll says nothing',
      [answered({ 3: 2, 7: 1 })],
      [['linkDown:3']],
    ],
    [
      'lowerLayerDown is down; testing and dormant neither raise nor clear',
      [
        answered({ 3: 1 }),
        answered({ 3: 7 }),
        answered({ 3: 3 }),
        answered({ 3: 5 }),
        answered({ 3: 1 }),
      ],
      [[], ['linkDown:3'], [], [], []],
    ],
    [
      'link states survive an outage: only changes are reported',
      [answered({ 3: 1, 7: 2 }), failed, failed, failed, answered({ 3: 2, 7: 2 })],
      [['linkDown:7'], [], [], ['deviceDown'], ['deviceUp', 'linkDown:3']],
    ],
  ] as [string, PollOutcome[], string[][]][])('%s', (_name, outcomes, want) => {
    expect(run(outcomes)).toEqual(want);
  });

  it('raises at the first failure with N = 1', () => {
    expect(run([failed], 1)).toEqual([['deviceDown']]);
  });
});

describe('reachabilityEvent', () => {
  const inventory = createInventory(testInventoryConfig());
  const validator = createValidator(EventSchema);
  const name = (ifIndex: number) => inventory.interfaceByIfIndex('core-1', ifIndex)?.name;

  it('uses the reduction keys of the linkDown and linkUp traps', () => {
    const definitions = mergeEventDefinitions([]);
    for (const [kind, trapOid] of [
      ['linkDown', GENERIC_TRAP_OIDS.linkDown],
      ['linkUp', GENERIC_TRAP_OIDS.linkUp],
    ] as const) {
      const trap = trapToEvent(
        {
          id: 't',
          receivedAtMs: 1,
          version: '2c',
          pdu: 'trap',
          sourceAddress: '10.0.0.1',
          sourcePort: 1,
          varbinds: [
            { oid: '1.3.6.1.2.1.1.3.0', type: SnmpType.TimeTicks, value: 1 },
            { oid: '1.3.6.1.6.3.1.1.4.1.0', type: SnmpType.OID, value: trapOid },
            { oid: '1.3.6.1.2.1.2.2.1.1.3', type: SnmpType.Integer, value: 3 },
          ],
        },
        inventory,
        definitions,
      );
      const decision =
        kind === 'linkDown'
          ? { kind, ifIndex: 3, operStatus: 2 }
          : { kind, ifIndex: 3, previous: 2 };
      const polled = reachabilityEvent('core-1', decision, 1, 'p', name);
      expect(validator.check(polled).ok).toBe(true);
      expect([
        polled.type,
        polled.severity,
        polled.reductionKey,
        polled.clearKey,
        polled.component,
      ]).toEqual([trap.type, trap.severity, trap.reductionKey, trap.clearKey, trap.component]);
      expect(polled.source).toBe('poll');
    }
  });

  it.each([
    [
      { kind: 'deviceDown', failures: 3, reason: 'Request timed out' } as const,
      'critical',
      'deviceDown:core-1',
      undefined,
    ],
    [{ kind: 'deviceUp', failures: 4 } as const, 'cleared', 'deviceUp:core-1', 'deviceDown:core-1'],
  ])('keys %j', (decision, severity, reductionKey, clearKey) => {
    const event = reachabilityEvent('core-1', decision, 1, 'p', name);
    expect(validator.check(event).ok).toBe(true);
    expect([event.type, event.severity, event.reductionKey, event.clearKey]).toEqual([
      decision.kind,
      severity,
      reductionKey,
      clearKey,
    ]);
  });
});
