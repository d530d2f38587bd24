import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';

/** Devices, customers and a valid paging section; each bad case changes one thing. */
const base = (paging: string, notify = ''): string => `
devices:
  - name: r1
    address: 127.0.0.10
    snmp: { version: 2c, community: public }
pricePlans:
  - { id: flat, type: flat, monthlyCharge: '10.00' }
customers:
  - id: c1
    name: Customer One
    currency: EUR
    timeZone: Europe/Berlin
    services: []
${notify}
paging:
  people: [{ name: alice }, { name: bob }]
  rotations:
    - { name: noc, timeZone: Europe/Paris, start: '2026-12-01', people: [alice, bob] }
  channels:
    - { name: chat, type: slack, url: 'https://hooks.example/x' }
  deviceGroups: [{ name: paris, devices: [r1] }]
${paging}
`;

const policy = (targets: string, match = '{}') => `  policies:
    - name: p
      match: ${match}
      levels: [{ targets: ${targets} }]`;

function problems(text: string) {
  const result = parseConfig(text);
  return result.ok ? [] : result.problems;
}

describe('paging references', () => {
  it('accepts a valid section and fills defaults', () => {
    const result = parseConfig(base(policy('[{ rotation: noc }, { channel: chat }]')));
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.value.paging.rotations[0]).toMatchObject({ handoff: '09:00', shiftDays: 7 });
    expect(result.value.paging.policies[0]?.levels[0]?.escalateAfterMin).toBe(5);
    expect(result.value.paging.webPush.allowLoopbackHttp).toBe(false);
  });

  it.each([
    [
      'an unknown rotation target',
      policy('[{ rotation: nope }]'),
      'paging.policies.0.levels.0.targets.0.rotation',
      'unknown rotation "nope"',
    ],
    [
      'an unknown person target',
      policy('[{ person: carol }]'),
      'paging.policies.0.levels.0.targets.0.person',
      'unknown person "carol"',
    ],
    [
      'an unknown channel target',
      policy('[{ channel: pd }]'),
      'paging.policies.0.levels.0.targets.0.channel',
      'unknown channel "pd"',
    ],
    [
      'an unknown customer in a match',
      policy('[{ rotation: noc }]', '{ customers: [c9] }'),
      'paging.policies.0.match.customers.0',
      'unknown customer "c9"',
    ],
    [
      'an unknown device group in a match',
      policy('[{ rotation: noc }]', '{ deviceGroups: [lyon] }'),
      'paging.policies.0.match.deviceGroups.0',
      'unknown device group "lyon"',
    ],
    [
      'an override ending before it starts',
      `  overrides:\n    - { rotation: noc, person: bob, start: '2026-12-02T00:00:00Z', end: '2026-12-01T00:00:00Z' }`,
      'paging.overrides.0.end',
      'end must be after start',
    ],
  ])('%s', (_, extra, path, message) => {
    expect(problems(base(extra))).toContainEqual({ path, message });
  });

  it('refuses reminders beside escalation policies', () => {
    expect(
      problems(base(policy('[{ rotation: noc }]'), 'notify: { ackTimeoutS: 60 }')),
    ).toContainEqual({
      path: 'notify.ackTimeoutS',
      message: 'escalation policies (paging.policies) replace reminders: remove ackTimeoutS',
    });
  });

  it('an e-mail channel needs paging.smtp', () => {
    const text = base('').replace(
      "    - { name: chat, type: slack, url: 'https://hooks.example/x' }",
      '    - { name: mail, type: email, to: [noc@example.org] }',
    );
    expect(problems(text)).toContainEqual({
      path: 'paging.channels.0',
      message: 'an email channel needs paging.smtp',
    });
  });

  it("a customer's contact names paging channels, and none for incidents only", () => {
    const contact = (channels: string) =>
      base('').replace(
        '    services: []',
        `    services: []\n    contact: { channels: ${channels} }`,
      );
    expect(problems(contact('[chat]'))).toEqual([]);
    expect(problems(contact('[chat, crm]'))).toEqual([
      { path: 'customers.0.contact.channels.1', message: 'unknown channel "crm"' },
    ]);
    const pagerDuty = contact('[pd]').replace(
      "    - { name: chat, type: slack, url: 'https://hooks.example/x' }",
      "    - { name: pd, type: pagerduty, url: 'https://events.example/v2', routingKey: k }",
    );
    expect(problems(pagerDuty)).toEqual([
      {
        path: 'customers.0.contact.channels.0',
        message: 'a budget warning is no incident: not a pagerduty channel',
      },
    ]);
  });

  it('an unknown time zone and a rotation of unknown people', () => {
    const text = base('')
      .replace('timeZone: Europe/Paris', 'timeZone: Mars/Olympus')
      .replace('people: [alice, bob] }', 'people: [alice, zed] }');
    expect(problems(text)).toEqual([
      { path: 'paging.rotations.0.timeZone', message: 'unknown time zone "Mars/Olympus"' },
      { path: 'paging.rotations.0.people.1', message: 'unknown person "zed"' },
    ]);
  });
});
