import fc from 'fast-check';
import { EventSchema, createValidator } from '@faultline/shared';
import { describe, expect, it } from 'vitest';
import { GENERIC_TRAP_OIDS, mergeEventDefinitions } from './event-definitions.js';
import type { DevicePoll } from './interface-points.js';
import { createInventory } from './inventory.js';
import {
  UNKNOWN_REACHABILITY,
  expectOpenLinkAlarms,
  reachabilityEvent,
  restartClearEvents,
  restartWindowMs,
  stepReachability,
  verifiedUpReason,
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
/** An answer without interfaces giving this sysUpTime, in seconds. */
const upFor = (uptimeS: number): PollOutcome => ({
  kind: 'answered',
  poll: { device: 'core-1', timeMs: 0, uptimeTicks: uptimeS * 100, interfaces: [] },
});
const failed: PollOutcome = { kind: 'failed', timeMs: 0, reason: 'Request timed out' };

/**
 * Runs a timeline of outcomes from a start that found these link alarms open (ifIndex → last
 * seen); returns the decisions of each step, as short strings.
 */
function run(
  outcomes: PollOutcome[],
  failuresToDown = 3,
  openLinkAlarms: ReadonlyMap<number, number> = new Map(),
  restartWindowMs = 60_000,
): string[][] {
  let state = expectOpenLinkAlarms(UNKNOWN_REACHABILITY, openLinkAlarms);
  return outcomes.map((outcome) => {
    const step = stepReachability(state, outcome, failuresToDown, restartWindowMs);
    state = step.state;
    return step.decisions.map((d) => {
      switch (d.kind) {
        case 'linkDown':
        case 'linkUp':
          return `${d.kind}:${String(d.ifIndex)}`;
        case 'linkVerifiedUp':
          return `${d.kind}:${String(d.ifIndex)}@${String(d.lastKnownMs)}`;
        case 'restarted':
          return `${d.kind}:${String(d.uptimeS)}s`;
        default:
          return d.kind;
      }
    });
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

  // A start that found link alarms open on ifIndex 3 (last seen at 100) and 7 (at 200).
  const open = new Map([
    [3, 100],
    [7, 200],
  ]);
  it.each([
    [
      'up clears each open alarm once',
      [answered({ 3: 1, 7: 1 }), answered({ 3: 1, 7: 1 })],
      [['linkVerifiedUp:3@100', 'linkVerifiedUp:7@200'], []],
    ],
    [
      'down confirms it and says nothing; its later up clears it the usual way',
      [answered({ 3: 2, 7: 7 }), answered({ 3: 2, 7: 7 }), answered({ 3: 1, 7: 1 })],
      [[], [], ['linkUp:3', 'linkUp:7']],
    ],
    [
      'an interface without an open alarm is judged as before: up says nothing, down raises',
      [answered({ 3: 1, 5: 1, 6: 2 })],
      [['linkVerifiedUp:3@100', 'linkDown:6']],
    ],
    [
      'a status neither up nor down leaves it waiting for one that is',
      [answered({ 3: 5 }), answered({ 3: 3 }), answered({ 3: 1 })],
      [[], [], ['linkVerifiedUp:3@100']],
    ],
    [
      'a poll without the interface leaves it waiting',
      [answered({}), answered({ 7: 1 }), answered({ 3: 1 })],
      [[], ['linkVerifiedUp:7@200'], ['linkVerifiedUp:3@100']],
    ],
    [
      'failed polls keep it waiting through an outage',
      [failed, failed, failed, answered({ 3: 1 })],
      [[], [], ['deviceDown'], ['deviceUp', 'linkVerifiedUp:3@100']],
    ],
    [
      'up, then down again after the verification, raises anew',
      [answered({ 3: 1 }), answered({ 3: 2 })],
      [['linkVerifiedUp:3@100'], ['linkDown:3']],
    ],
  ] as [string, PollOutcome[], string[][]][])('open at start: %s', (_name, outcomes, want) => {
    expect(run(outcomes, 3, open)).toEqual(want);
  });

  it.each<[string, [number, number][], [number, number][], [number, number][]]>([
    ['nothing open', [], [], []],
    ['open alarms wait', [], [[3, 100]], [[3, 100]]],
    [
      'more are added to those waiting; the later last-seen time wins',
      [
        [3, 100],
        [7, 200],
      ],
      [
        [3, 150],
        [7, 150],
        [9, 10],
      ],
      [
        [3, 150],
        [7, 200],
        [9, 10],
      ],
    ],
  ])('expectOpenLinkAlarms: %s', (_name, waiting, more, want) => {
    const before = expectOpenLinkAlarms(UNKNOWN_REACHABILITY, new Map(waiting));
    expect([...expectOpenLinkAlarms(before, new Map(more)).unverified]).toEqual(want);
  });

  it('clears each open alarm at most once, only when up, and only alarms that were open', () => {
    // 0: the interface is missing from the poll.
    const status = fc.constantFrom(0, 1, 2, 3, 5, 7);
    const outcome = fc.oneof(
      fc.constant(failed),
      fc
        .tuple(status, status, status)
        .map((statuses) =>
          answered(
            Object.fromEntries(
              [3, 7, 9].flatMap((ifIndex, n) => (statuses[n] ? [[ifIndex, statuses[n]]] : [])),
            ) as Record<number, number>,
          ),
        ),
    );
    const statusOf = (o: PollOutcome | undefined, ifIndex: number) =>
      o?.kind === 'answered'
        ? o.poll.interfaces.find((i) => i.ifIndex === ifIndex)?.operStatus
        : undefined;
    fc.assert(
      fc.property(fc.array(outcome, { maxLength: 12 }), (outcomes) => {
        const steps = run(outcomes, 3, open);
        const verified = steps.flat().filter((d) => d.startsWith('linkVerifiedUp'));
        for (const d of verified) {
          expect(['linkVerifiedUp:3@100', 'linkVerifiedUp:7@200']).toContain(d);
        }
        // Settled by the first poll that shows the interface up or down: cleared there if up.
        for (const [ifIndex, lastSeen] of open) {
          const first = outcomes.findIndex((o) => [1, 2, 7].includes(statusOf(o, ifIndex) ?? 0));
          const want = first >= 0 && statusOf(outcomes[first], ifIndex) === 1 ? [first] : [];
          const tag = `linkVerifiedUp:${String(ifIndex)}@${String(lastSeen)}`;
          expect(steps.flatMap((step, n) => (step.includes(tag) ? [n] : []))).toEqual(want);
        }
      }),
    );
  });

  // The restart window is 60 s (two 30 s poll intervals). A restart seen is reported by the
  // next answer, so the device's own trap is recorded before its clear.
  it.each([
    [
      'a first answer that booted within the window',
      [upFor(12), upFor(42)],
      [[], ['restarted:42s']],
    ],
    ['a first answer that booted long ago says nothing', [upFor(86_400), upFor(86_430)], [[], []]],
    ['the window is half-open: 59 s is inside', [upFor(59), upFor(89)], [[], ['restarted:89s']]],
    ['the window is half-open: 60 s is outside', [upFor(60), upFor(90)], [[], []]],
    [
      'once per boot: uptime growing is the same boot',
      [upFor(5), upFor(35), upFor(65)],
      [[], ['restarted:35s'], []],
    ],
    [
      'uptime going back is a restart, however long ago',
      [upFor(86_400), upFor(86_430), upFor(3_000), upFor(3_030)],
      [[], [], [], ['restarted:3030s']],
    ],
    [
      'a reboot while unreachable: deviceUp, then restarted at the next answer',
      [upFor(900), failed, failed, failed, upFor(20), upFor(50)],
      [[], [], [], ['deviceDown'], ['deviceUp'], ['restarted:50s']],
    ],
    [
      'an answer without sysUpTime says nothing and keeps the last one',
      [upFor(900), answered({}), upFor(10), answered({})],
      [[], [], [], ['restarted:10s']],
    ],
    ['failed polls keep the last uptime', [upFor(900), failed, upFor(960)], [[], [], []]],
    [
      'failures between the restart and its report: the next answer reports it',
      [upFor(5), failed, upFor(40)],
      [[], [], ['restarted:40s']],
    ],
    [
      'another restart before the report: reported once, after the last',
      [upFor(5), upFor(2), upFor(32)],
      [[], [], ['restarted:32s']],
    ],
  ] as [string, PollOutcome[], string[][]][])('restarts: %s', (_name, outcomes, want) => {
    expect(run(outcomes)).toEqual(want);
  });

  it('reports each restart once, at the first answer after it that shows no new restart', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 200 }), { minLength: 1, maxLength: 12 }), (uptimes) => {
        const steps = run(uptimes.map(upFor));
        const restarts = steps.map((step) => step.filter((d) => d.startsWith('restarted')).length);
        let pending = false;
        const want = uptimes.map((uptime, n) => {
          const seen = n === 0 ? uptime < 60 : uptime < (uptimes[n - 1] ?? 0);
          const report = pending && !seen ? 1 : 0;
          pending = seen || (pending && report === 0);
          return report;
        });
        expect(restarts).toEqual(want);
      }),
    );
  });

  it('raises at the first failure with N = 1', () => {
    expect(run([failed], 1)).toEqual([['deviceDown']]);
  });
});

describe('restartClearEvents', () => {
  const validator = createValidator(EventSchema);

  it('clears the keys of the coldStart and warmStart traps, saying why', () => {
    const definitions = mergeEventDefinitions([]);
    const inventory = createInventory(testInventoryConfig());
    const trapKeys = [GENERIC_TRAP_OIDS.coldStart, GENERIC_TRAP_OIDS.warmStart].map(
      (trapOid) =>
        trapToEvent(
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
            ],
          },
          inventory,
          definitions,
        ).reductionKey,
    );
    let n = 0;
    const events = restartClearEvents('core-1', { kind: 'restarted', uptimeS: 12 }, 5, () => {
      n += 1;
      return `p${String(n)}`;
    });
    const reason = 'restarted 12 s before this poll; answers polls again';
    for (const event of events) expect(validator.check(event).ok).toBe(true);
    expect(events.map((e) => e.clearKey)).toEqual(trapKeys);
    expect(
      events.map((e) => [e.id, e.severity, e.source, e.timeMs, e.details.clearReason]),
    ).toEqual([
      ['p1', 'cleared', 'poll', 5, reason],
      ['p2', 'cleared', 'poll', 5, reason],
    ]);
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

  it('clears an alarm open at start as a linkUp would, saying why and what went unseen', () => {
    const t1 = Date.UTC(2026, 11, 6, 23, 0, 0);
    const t2 = Date.UTC(2026, 11, 7, 0, 10, 0);
    const reason =
      'verified up by poll; state unknown between 2026-12-06T23:00:00.000Z and 2026-12-07T00:10:00.000Z';
    const event = reachabilityEvent(
      'core-1',
      { kind: 'linkVerifiedUp', ifIndex: 3, lastKnownMs: t1 },
      t2,
      'p',
      name,
    );
    expect(validator.check(event).ok).toBe(true);
    expect(event).toEqual({
      id: 'p',
      source: 'poll',
      device: 'core-1',
      deviceKnown: true,
      component: 'xe-0/0/2',
      type: 'linkUp',
      severity: 'cleared',
      timeMs: t2,
      reductionKey: 'linkUp:core-1:ifIndex=3',
      clearKey: 'linkDown:core-1:ifIndex=3',
      description: `Interface xe-0/0/2 on core-1 ${reason}`,
      details: {
        ifIndex: 3,
        operStatus: 1,
        clearReason: reason,
        unknownFromMs: t1,
        verifiedAtMs: t2,
      },
    });
  });

  it.each([
    ['an alarm seen before the poll', 1000, 5000, '1970-01-01T00:00:01.000Z'],
    // Clocks of two hosts can disagree: the unknown stretch never ends before it begins.
    ['an alarm stamped after the poll', 9000, 5000, '1970-01-01T00:00:05.000Z'],
  ])('verifiedUpReason: %s', (_name, lastKnownMs, verifiedAtMs, from) => {
    expect(verifiedUpReason(lastKnownMs, verifiedAtMs)).toBe(
      `verified up by poll; state unknown between ${from} and 1970-01-01T00:00:05.000Z`,
    );
  });
});

describe('restartWindowMs', () => {
  it.each([
    [30, 15 * 60_000],
    [600, 20 * 60_000],
    [3600, 2 * 3_600_000],
  ])(
    'a device polled every %i s counts a first answer as a restart under %i ms of uptime',
    (s, ms) => {
      expect(restartWindowMs(s)).toBe(ms);
    },
  );
});
