import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';

const example = readFileSync(new URL('../../../config/example.yaml', import.meta.url), 'utf8');

/** A small valid config; each bad case below changes one thing in it. */
const base = `
devices:
  - name: r1
    address: 127.0.0.10
    snmp: { version: 2c, community: public }
    interfaces:
      - { ifIndex: 1, name: eth0, speedMbps: 1000 }
      - { ifIndex: 2, name: eth1, speedMbps: 1000 }
  - name: r2
    address: 127.0.0.11
    snmp: { version: 2c, community: public }
    interfaces:
      - { ifIndex: 1, name: eth0, speedMbps: 1000 }
links:
  - { a: { device: r1, interface: eth1 }, b: { device: r2, interface: eth0 } }
topology: { roots: [r1] }
pricePlans:
  - { id: flat, type: flat, monthlyCharge: '10.00' }
slas:
  - { id: gold, tiers: [{ belowPercent: 99.9, creditPercent: 10 }], creditCapPercent: 50 }
customers:
  - id: c1
    name: Customer One
    currency: EUR
    timeZone: Europe/Berlin
    services:
      - { id: s1, device: r1, interface: eth0, plan: flat, sla: gold }
`;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** A problem expected at a path, with a message that matches. */
const problem = (path: string, message: RegExp) => ({
  path,
  message: expect.stringMatching(message) as string,
});

function problemsOf(text: string) {
  const result = parseConfig(text);
  if (result.ok) throw new Error('expected problems, got a valid config');
  return result.problems;
}

describe('parseConfig', () => {
  it('accepts the shipped example and fills defaults', () => {
    const result = parseConfig(example);
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.value.devices.length).toBeGreaterThanOrEqual(7);
    expect(result.value.snmp.communities).toEqual(['public']);
    expect(result.value.devices.find((d) => d.name === 'access-1')?.pollIntervalS).toBe(60);
  });

  it('accepts the minimal base config and an empty file', () => {
    expect(parseConfig(base).ok).toBe(true);
    const empty = parseConfig('');
    expect(empty.ok && empty.value.devices).toEqual([]);
  });

  it.each([
    ['an unknown top-level key', `${base}\nextra: 1\n`, 'extra', /unknown key "extra"/],
    [
      'an unknown nested key',
      base.replace('name: eth0, speedMbps: 1000 }', 'name: eth0, speedMbps: 1000, mtu: 9000 }'),
      'devices.0.interfaces.0.mtu',
      /unknown key "mtu"/,
    ],
    ['a wrong SNMP version', base.replace('version: 2c', 'version: 4'), 'devices.0.snmp', /union/],
    ['a bad money amount', base.replace("'10.00'", "'ten'"), 'pricePlans.0', /.+/],
    [
      'a bad currency',
      base.replace('currency: EUR', 'currency: euro'),
      'customers.0.currency',
      /match/,
    ],
    [
      'an unknown time zone',
      base.replace('Europe/Berlin', 'Mars/Olympus'),
      'customers.0.timeZone',
      /unknown time zone/,
    ],
    [
      'a link to an unknown device',
      base.replace('device: r2, interface: eth0 }', 'device: r9, interface: eth0 }'),
      'links.0.b.device',
      /unknown device "r9"/,
    ],
    [
      'a link to an unknown interface',
      base.replace('device: r1, interface: eth1 }', 'device: r1, interface: eth7 }'),
      'links.0.a.interface',
      /no interface "eth7"/,
    ],
    [
      'a service on an unknown device',
      base.replace('{ id: s1, device: r1', '{ id: s1, device: r3'),
      'customers.0.services.0.device',
      /unknown device "r3"/,
    ],
    [
      'a service with an unknown plan',
      base.replace('plan: flat, sla', 'plan: gold95, sla'),
      'customers.0.services.0.plan',
      /unknown price plan/,
    ],
    [
      'a service with an unknown SLA',
      base.replace('sla: gold }', 'sla: bronze }'),
      'customers.0.services.0.sla',
      /unknown SLA/,
    ],
    [
      'an unknown topology root',
      base.replace('roots: [r1]', 'roots: [r5]'),
      'topology.roots.0',
      /unknown device/,
    ],
    [
      'a duplicate device name',
      base.replace('name: r2', 'name: r1'),
      'devices.1.name',
      /duplicate device name/,
    ],
    [
      'a duplicate ifIndex',
      base.replace('ifIndex: 2, name: eth1', 'ifIndex: 1, name: eth1'),
      'devices.0.interfaces.1.ifIndex',
      /duplicate ifIndex/,
    ],
    [
      'an undefined v3 user',
      base.replace('snmp: { version: 2c, community: public }', 'snmp: { version: "3", user: ops }'),
      'devices.0.snmp.user',
      /not defined/,
    ],
    [
      'an SNMPv3 user with a protocol but no key',
      `${base}snmp:\n  users: [{ name: u, authProtocol: sha256 }]\n`,
      'snmp.users.0.authKey',
      /authKey is missing/,
    ],
    [
      'an SNMPv3 user with a privacy protocol but no key',
      `${base}snmp:\n  users: [{ name: u, authKey: k-123456, privProtocol: aes }]\n`,
      'snmp.users.0.privKey',
      /privKey is missing/,
    ],
    [
      'an SNMPv3 user with privacy but no authentication',
      `${base}snmp:\n  users: [{ name: u, privKey: k-123456 }]\n`,
      'snmp.users.0.authKey',
      /privacy needs authentication/,
    ],
    [
      'a duplicate SNMPv3 user',
      `${base}snmp:\n  users: [{ name: u }, { name: u, authKey: k-123456 }]\n`,
      'snmp.users.1.name',
      /duplicate SNMPv3 user "u"/,
    ],
    [
      'a discovery range with host bits set',
      `${base}discovery:\n  ranges: [{ range: 10.0.0.1/24 }]\n  credentials: [{ version: 2c, community: public }]\n`,
      'discovery.ranges.0.range',
      /host bits/,
    ],
    [
      'discovery ranges over maxAddresses',
      `${base}discovery:\n  ranges: [{ range: 10.0.0.0/16 }]\n  credentials: [{ version: 2c, community: public }]\n  maxAddresses: 1024\n`,
      'discovery.ranges',
      /65536 addresses, more than maxAddresses \(1024\)/,
    ],
    [
      'a discovery credential naming an undefined v3 user',
      `${base}discovery:\n  ranges: [{ range: 10.0.0.1 }]\n  credentials: [{ version: "3", user: nobody }]\n`,
      'discovery.credentials.0.user',
      /not defined in snmp.users/,
    ],
    [
      'a value of the wrong type',
      base.replace(
        'ifIndex: 2, name: eth1, speedMbps: 1000',
        'ifIndex: 2, name: eth1, speedMbps: fast',
      ),
      'devices.0.interfaces.1.speedMbps',
      /Expected number/,
    ],
    [
      'a missing required field',
      base.replace('    address: 127.0.0.11\n', ''),
      'devices.1.address',
      /required/,
    ],
    ['a list where a map belongs', '- a\n- b\n', '(root)', /Expected object/],
    ['a map where a list belongs', 'devices: { r1: x }\n', 'devices', /Expected array/],
    [
      'a map where a nested list belongs',
      'snmp: { communities: { main: s3cret } }\n',
      'snmp.communities',
      /Expected array/,
    ],
    ['tabs as indentation', 'devices:\n\t- x\n', 'line 2', /Tabs/],
    ['a YAML syntax error', `${base}\n  - : : [\n`, 'line', /.+/],
    ['a duplicate YAML key', 'devices: []\ndevices: []\n', 'line', /.+/],
  ])('reports %s with its path', (_label, text, pathStart, message) => {
    const problems = problemsOf(text);
    expect(problems.some((p) => p.path.startsWith(pathStart) && message.test(p.message))).toBe(
      true,
    );
  });

  it.each([
    [
      'a duplicate tier threshold',
      '[{ belowPercent: 99.9, creditPercent: 10 }, { belowPercent: 99.9, creditPercent: 20 }]',
      'slas.0.tiers.1.belowPercent',
      /duplicate tier threshold 99.9/,
    ],
    [
      'a lower tier with a smaller credit',
      '[{ belowPercent: 99.9, creditPercent: 25 }, { belowPercent: 99, creditPercent: 10 }]',
      'slas.0.tiers.1.creditPercent',
      /more downtime would earn less credit/,
    ],
  ])('reports %s', (_label, tiers, path, message) => {
    const problems = problemsOf(base.replace('[{ belowPercent: 99.9, creditPercent: 10 }]', tiers));
    expect(problems).toEqual([{ path, message: expect.stringMatching(message) as string }]);
  });

  it.each([
    [
      'an unknown device',
      "{ name: w, devices: [r9], recurring: { days: [sun], at: '02:00', durationMin: 60 } }",
      'maintenance.0.devices.0',
      /unknown device "r9"/,
    ],
    [
      'an unknown interface',
      "{ name: w, interfaces: ['r1:eth9'], recurring: { days: [sun], at: '02:00', durationMin: 60 } }",
      'maintenance.0.interfaces.0.interface',
      /no interface "eth9"/,
    ],
    [
      'an unknown service',
      "{ name: w, services: [s9], recurring: { days: [sun], at: '02:00', durationMin: 60 } }",
      'maintenance.0.services.0',
      /unknown service "s9"/,
    ],
    [
      'an unknown time zone',
      "{ name: w, recurring: { days: [sun], at: '02:00', durationMin: 60, timeZone: Mars/Base } }",
      'maintenance.0.recurring.timeZone',
      /unknown time zone/,
    ],
    [
      'an end before its start',
      "{ name: w, start: '2026-05-02T00:00:00Z', end: '2026-05-01T00:00:00Z' }",
      'maintenance.0.end',
      /after start/,
    ],
    [
      'a one-off window without an end',
      "{ name: w, start: '2026-05-02T00:00:00Z' }",
      'maintenance.0',
      /needs both start and end/,
    ],
    [
      'both kinds at once',
      "{ name: w, start: '2026-05-01T00:00:00Z', end: '2026-05-02T00:00:00Z', recurring: { days: [sun], at: '02:00', durationMin: 60 } }",
      'maintenance.0',
      /not both/,
    ],
  ])('reports a maintenance window with %s', (_label, window, path, message) => {
    const problems = problemsOf(`${base}maintenance:\n  - ${window}\n`);
    expect(problems).toEqual([{ path, message: expect.stringMatching(message) as string }]);
  });

  it('accepts valid maintenance windows', () => {
    const windows = `${base}maintenance:
  - { name: a, devices: [r1], interfaces: ['r1:eth0'], services: [s1], start: '2026-05-01T00:00:00Z', end: '2026-05-01T02:00:00Z' }
  - { name: b, devices: [r2], recurring: { days: [sat, sun], at: '23:30', durationMin: 120, timeZone: Europe/Berlin } }
`;
    const result = parseConfig(windows);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('lists every problem at once', () => {
    const text = base
      .replace('device: r2, interface: eth0 }', 'device: r9, interface: eth0 }')
      .replace('plan: flat, sla', 'plan: nope, sla')
      .replace('Europe/Berlin', 'Nowhere/Land');
    const paths = problemsOf(text).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'links.0.b.device',
        'customers.0.services.0.plan',
        'customers.0.timeZone',
      ]),
    );
  });

  it.each([
    [
      'a schema problem and a reference problem',
      base
        .replace('{ ifIndex: 2, name: eth1, speedMbps: 1000 }', '{ ifIndex: 2, name: eth1 }')
        .replace('plan: flat, sla', 'plan: nope, sla'),
      [
        problem('devices.0.interfaces.1.speedMbps', /Expected required property/),
        problem('customers.0.services.0.plan', /unknown price plan "nope"/),
      ],
    ],
    [
      'an unknown key, a wrong type and two references',
      `${base
        .replace('topology: { roots: [r1] }', 'topology: 3')
        .replace('device: r2, interface: eth0 }', 'device: r9, interface: eth0 }')
        .replace('Europe/Berlin', 'Nowhere/Land')}extra: 1\n`,
      [
        problem('extra', /unknown key "extra"/),
        problem('topology', /Expected object/),
        problem('links.0.b.device', /unknown device "r9"/),
        problem('customers.0.timeZone', /unknown time zone/),
      ],
    ],
    [
      'a wrong SNMP version beside a link to an unknown interface',
      base
        .replace('version: 2c', 'version: 4')
        .replace('device: r2, interface: eth0 }', 'device: r2, interface: eth7 }'),
      [
        problem('devices.0.snmp', /union/),
        problem('links.0.b.interface', /device "r2" has no interface "eth7"/),
      ],
    ],
    [
      // The stand-in for a missing plan would be an unknown plan: the schema problem says it.
      'a missing reference, once',
      base.replace('plan: flat, sla', 'sla'),
      [problem('customers.0.services.0.plan', /Expected required property/)],
    ],
    [
      'a wrong role, naming the roles allowed',
      `${base}api: { tokens: [{ name: t, role: root, sha256: ${digest('t')} }] }\n`,
      [
        problem(
          'api.tokens.0.role',
          /^must be one of metrics, viewer, care, engineer, billing, admin$/,
        ),
      ],
    ],
    [
      'a wrong role beside a duplicate token name',
      `${base}api: { tokens: [{ name: t, role: root, sha256: ${digest('t')} }, { name: t, role: viewer, sha256: ${digest('u')} }] }\n`,
      [
        problem('api.tokens.0.role', /^must be one of/),
        problem('api.tokens.1.name', /duplicate token name "t"/),
      ],
    ],
  ])('reports %s in one pass', (_label, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  it.each([
    [
      'the same token twice with different roles',
      [
        ['wall', 'viewer', digest('one-token')],
        ['ops', 'admin', digest('one-token')],
      ],
      [problem('api.tokens.1.sha256', /the same token as api\.tokens\.0/)],
    ],
    [
      'the same token twice with one role',
      [
        ['wall', 'viewer', digest('one-token')],
        ['wall-2', 'viewer', digest('one-token')],
      ],
      [problem('api.tokens.1.sha256', /the same token as api\.tokens\.0/)],
    ],
    [
      'the demo token published in the first example config',
      [['noc-wall', 'viewer', digest('noc-wall-demo-token-change-me')]],
      [problem('api.tokens.0.sha256', /published/)],
    ],
    [
      'different tokens',
      [
        ['wall', 'viewer', digest('one-token')],
        ['ops', 'admin', digest('another-token')],
      ],
      [],
    ],
  ])('checks api tokens: %s', (_label, tokens, expected) => {
    const entries = tokens.map(
      ([name, role, sha256]) => `{ name: ${name}, role: ${role}, sha256: ${sha256} }`,
    );
    const result = parseConfig(`${base}api: { tokens: [${entries.join(', ')}] }\n`);
    expect(result.ok ? [] : result.problems).toEqual(expected);
  });

  it('enables no api token in the shipped example: a published token is no secret', () => {
    const result = parseConfig(example);
    expect(result.ok && result.value.api.tokens).toEqual([]);
  });

  it('defaults the telemetry subscription and checks it', () => {
    const empty = parseConfig('');
    expect(empty.ok && empty.value.telemetry).toEqual({
      topics: ['telemetry/#'],
      qos: 1,
      sessionExpiryS: 86_400,
      maxPayloadBytes: 65_536,
      deadLetterMax: 1000,
    });
    expect(parseConfig('telemetry: { topics: [a/#], group: g1, qos: 0 }\n').ok).toBe(true);
    expect(problemsOf('telemetry: { topics: [] }\n').map((p) => p.path)).toEqual([
      'telemetry.topics',
    ]);
    expect(problemsOf('telemetry: { qos: 3 }\n').map((p) => p.path)).toEqual(['telemetry.qos']);
  });

  it('defaults the billing section and checks it', () => {
    const empty = parseConfig('');
    expect(empty.ok && empty.value.billing).toEqual({
      minCoveragePercent: 99,
      liveIntervalS: 60,
      budgetWarningPercent: 80,
      usageLedger: { followIntervalS: 60, settleS: 660, backfillDays: 35 },
    });
    const push = parseConfig('billing: { webhook: { url: http://127.0.0.1:9/bss } }\n');
    expect(push.ok && push.value.billing.webhook).toEqual({
      url: 'http://127.0.0.1:9/bss',
      attempts: 8,
    });
    expect(
      problemsOf('billing: { minCoveragePercent: 101, webhook: { url: ftp://x }, typo: 1 }\n').map(
        (p) => p.path,
      ),
    ).toEqual(['billing.typo', 'billing.minCoveragePercent', 'billing.webhook.url']);
    expect(
      problemsOf('billing: { usageLedger: { settleS: -1, typo: 1 } }\n').map((p) => p.path),
    ).toEqual(['billing.usageLedger.typo', 'billing.usageLedger.settleS']);
  });

  it('accepts threshold rules with hysteresis and checks them', () => {
    const rules = `
thresholds:
  - { name: hot, source: poll, metric: utilization_percent, direction: above, raise: 90, clear: 70, forS: 300 }
  - { name: dark, source: telemetry, metric: optical_rx_dbm, direction: below, raise: -25, clear: -23, devices: [r1] }
`;
    const parsed = parseConfig(base + rules);
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    expect(parsed.ok && parsed.value.thresholds[1]).toMatchObject({ forS: 0, severity: 'major' });
    const bad = `
thresholds:
  - { name: hot, source: poll, metric: cpu_percent, direction: above, raise: 90, clear: 95 }
  - { name: hot, source: telemetry, metric: rx, direction: below, raise: -25, clear: -30, devices: [r9] }
`;
    expect(problemsOf(base + bad)).toEqual([
      { path: 'thresholds.1.name', message: 'duplicate threshold name "hot"' },
      {
        path: 'thresholds.0.clear',
        message: 'must be below raise (90) for a rule that raises above it',
      },
      {
        path: 'thresholds.0.metric',
        message: expect.stringMatching(/one of utilization_percent/) as string,
      },
      {
        path: 'thresholds.1.clear',
        message: 'must be above raise (-25) for a rule that raises below it',
      },
      { path: 'thresholds.1.devices.0', message: 'unknown device "r9"' },
    ]);
  });

  it('takes IP addresses and CIDR ranges as trusted proxies, and nothing else', () => {
    const good = parseConfig(
      `api: { trustedProxies: [127.0.0.1, 10.0.0.0/8, '::1', 'fd00::/8'] }\n`,
    );
    expect(good.ok && good.value.api.trustedProxies).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
    ]);
    expect(parseConfig('api: {}\n').ok && parseConfig('api: {}\n')).toMatchObject({
      value: { api: { trustedProxies: [] } },
    });
    expect(
      problemsOf(`api: { trustedProxies: [proxy.example, 10.0.0.0/33, '::1/129', 1.2.3.4/8/1] }\n`),
    ).toEqual([
      {
        path: 'api.trustedProxies.0',
        message: 'must be an IP address or a CIDR range (10.0.0.0/8)',
      },
      { path: 'api.trustedProxies.1', message: 'prefix length must be 0 to 32' },
      { path: 'api.trustedProxies.2', message: 'prefix length must be 0 to 128' },
      {
        path: 'api.trustedProxies.3',
        message: 'must be an IP address or a CIDR range (10.0.0.0/8)',
      },
    ]);
  });

  it('answers problems, never a throw, whatever any value of a valid file is replaced with', () => {
    const valid = parseConfig(base);
    if (!valid.ok) throw new Error('the base config is valid');
    /** Replaces the value at the place `choices` lead to (each picks a key, modulo their number). */
    const replaced = (choices: readonly number[], value: unknown): unknown => {
      const root: unknown = structuredClone(valid.value);
      let node = root as Record<string, unknown>;
      for (const [step, choice] of choices.entries()) {
        const keys = Object.keys(node);
        const key = keys[choice % keys.length];
        if (key === undefined) break;
        const child = node[key];
        if (step === choices.length - 1 || typeof child !== 'object' || child === null) {
          node[key] = value;
          break;
        }
        node = child as Record<string, unknown>;
      }
      return root;
    };
    // The reference checks then run on a salvaged shape, and must cope with whatever stood in
    // for the bad parts.
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.jsonValue({ maxDepth: 2 }),
        (choices, value) => {
          const result = parseConfig(stringify(replaced(choices, value)));
          expect(result.ok || result.problems.length > 0).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);

  it('requires org and bucket for InfluxDB v2', () => {
    expect(problemsOf(`influx: { api: v2 }\n`)).toEqual([
      { path: 'influx', message: 'api v2 needs both org and bucket' },
    ]);
    expect(parseConfig(`influx: { api: v2, org: o, bucket: b }\n`).ok).toBe(true);
  });
});
