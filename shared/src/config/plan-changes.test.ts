import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';
import { planChangeProblems } from './plan-changes.js';

const plans = new Set(['flat', 'burst']);

/** A valid config whose one service has the plan changes given as YAML flow text. */
function configWith(changes: string): string {
  return `
devices:
  - name: r1
    address: 127.0.0.10
    snmp: { version: 2c, community: public }
    interfaces: [{ ifIndex: 1, name: eth0, speedMbps: 1000 }]
pricePlans:
  - { id: flat, type: flat, monthlyCharge: '10.00' }
  - { id: burst, type: flat, monthlyCharge: '20.00' }
customers:
  - id: c1
    name: Customer One
    currency: EUR
    services:
      - { id: s1, device: r1, interface: eth0, plan: flat, planChanges: ${changes} }
`;
}

const at = 'customers.0.services.0.planChanges';

describe('plan changes in config', () => {
  it('accepts sorted changes, a cancellation, and none at all', () => {
    const result = parseConfig(
      configWith(`[{ from: '2026-04-14', plan: burst }, { from: '2026-06-01', plan: null }]`),
    );
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.value.customers[0]?.services[0]?.planChanges).toEqual([
      { from: '2026-04-14', plan: 'burst' },
      { from: '2026-06-01', plan: null },
    ]);
    const none = parseConfig(configWith('[]'));
    expect(none.ok).toBe(true);
  });

  it.each([
    [
      'an unknown plan',
      `[{ from: '2026-04-14', plan: gold }]`,
      `${at}.0.plan`,
      /unknown price plan "gold"/,
    ],
    [
      'a date that does not exist',
      `[{ from: '2026-02-30', plan: burst }]`,
      `${at}.0.from`,
      /not a calendar date/,
    ],
    ['month 13', `[{ from: '2026-13-01', plan: burst }]`, `${at}.0.from`, /not a calendar date/],
    ['day 0', `[{ from: '2026-04-00', plan: burst }]`, `${at}.0.from`, /not a calendar date/],
    [
      'a year far in the past',
      `[{ from: '1999-12-31', plan: burst }]`,
      `${at}.0.from`,
      /outside 2000\.\.2100/,
    ],
    [
      'a year far in the future',
      `[{ from: '2101-01-01', plan: burst }]`,
      `${at}.0.from`,
      /outside 2000\.\.2100/,
    ],
    [
      'unsorted dates',
      `[{ from: '2026-05-01', plan: burst }, { from: '2026-04-01', plan: flat }]`,
      `${at}.1.from`,
      /must be after the change before it \(2026-05-01\)/,
    ],
    [
      'two changes the same day',
      `[{ from: '2026-05-01', plan: burst }, { from: '2026-05-01', plan: flat }]`,
      `${at}.1.from`,
      /must be after/,
    ],
    [
      'a date with a time',
      `[{ from: '2026-05-01T00:00:00Z', plan: burst }]`,
      `${at}.0.from`,
      /pattern|match/,
    ],
    [
      'an unknown key',
      `[{ from: '2026-05-01', plan: burst, until: '2026-06-01' }]`,
      `${at}.0.until`,
      /unknown key/,
    ],
    ['a missing plan', `[{ from: '2026-05-01' }]`, `${at}.0.plan`, /required|plan/],
  ])('refuses %s, naming the path', (_name, changes, path, message) => {
    const result = parseConfig(configWith(changes));
    if (result.ok) throw new Error('expected problems');
    expect(result.problems).toContainEqual({
      path,
      message: expect.stringMatching(message) as string,
    });
  });

  it('reports every problem of a list at once', () => {
    const problems = planChangeProblems(
      [
        { from: '2026-05-01', plan: 'nope' },
        { from: '2026-04-31', plan: 'flat' },
      ],
      'x',
      plans,
    );
    expect(problems.map((problem) => problem.path)).toEqual(['x.0.plan', 'x.1.from', 'x.1.from']);
  });

  const day = fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString().slice(0, 10));

  it('accepts any strictly increasing list of real days and refuses any list out of order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(day, { minLength: 2, maxLength: 8 }), (days) => {
        const sorted = [...days].sort();
        const asChanges = (list: string[]) => list.map((from) => ({ from, plan: 'flat' }));
        expect(planChangeProblems(asChanges(sorted), 'x', plans)).toEqual([]);
        const reversed = [...sorted].reverse();
        expect(planChangeProblems(asChanges(reversed), 'x', plans)).toHaveLength(sorted.length - 1);
      }),
    );
  });
});
