import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@faultline/shared';
import { parseScenario } from './scenario.js';

const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../config/example.yaml', import.meta.url));
const example = parseConfig(readFileSync(EXAMPLE, 'utf8'));
if (!example.ok) throw new Error('the example config is invalid');
const config = example.value;

/** A matcher for a message, typed as the string it stands for. */
const anyText = (pattern: RegExp): unknown => expect.stringMatching(pattern);
const yaml = (steps: string): string => `description: test\nsteps:\n${steps}`;

describe('parseScenario', () => {
  it.each(readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')))(
    'accepts the shipped %s against the example network',
    (file) => {
      const parsed = parseScenario(
        file.replace(/\.yaml$/, ''),
        readFileSync(`${SCENARIOS}${file}`, 'utf8'),
        config,
      );
      expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    },
  );

  it('turns steps into actions with times in ms and resolved defaults', () => {
    const parsed = parseScenario(
      'sample',
      yaml(`  - { at: 1m30s, action: linkDown, device: core-1, interface: xe-0/0/2, note: cut }
  - { at: 2, action: reboot, device: agg-1 }
  - { at: 500ms, action: trapStorm, device: access-2, rate: 100, count: 10 }
  - { at: 0s, action: optics, device: agg-2, interface: xe-0/0/48, dbm: normal }
  - { at: 0s, action: utilization, device: access-1, interface: ge-0/0/1, percent: 97.5 }
  - { at: 1h, action: maintenance, label: done }`),
      config,
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        name: 'sample',
        description: 'test',
        steps: [
          {
            atMs: 90_000,
            note: 'cut',
            action: { action: 'linkDown', device: 'core-1', interface: 'xe-0/0/2' },
          },
          {
            atMs: 2_000,
            note: undefined,
            action: { action: 'reboot', device: 'agg-1', downForMs: 0 },
          },
          {
            atMs: 500,
            note: undefined,
            action: {
              action: 'trapStorm',
              device: 'access-2',
              rate: 100,
              count: 10,
              trap: 'authenticationFailure',
              interface: undefined,
            },
          },
          {
            atMs: 0,
            note: undefined,
            action: { action: 'optics', device: 'agg-2', interface: 'xe-0/0/48', dbm: undefined },
          },
          {
            atMs: 0,
            note: undefined,
            action: {
              action: 'utilization',
              device: 'access-1',
              interface: 'ge-0/0/1',
              percent: 97.5,
            },
          },
          { atMs: 3_600_000, note: undefined, action: { action: 'maintenance', label: 'done' } },
        ],
      },
    });
  });

  it.each<[string, string, unknown[]]>([
    [
      'no steps',
      'description: x\nsteps: []',
      [{ path: 'steps', message: 'Expected array length to be greater or equal to 1' }],
    ],
    [
      'an unknown top-level key',
      'description: x\nsteps: [{ at: 0s, action: maintenance, label: a }]\nextra: 1',
      [{ path: 'extra', message: 'unknown key "extra"' }],
    ],
    [
      'an unknown action',
      yaml('  - { at: 0s, action: explode, device: core-1 }'),
      [
        {
          path: 'steps.0.action',
          message: anyText(/^must be one of linkDown, linkUp/),
        },
      ],
    ],
    [
      'a bad duration',
      yaml('  - { at: soon, action: maintenance, label: a }'),
      [{ path: 'steps.0.at', message: anyText(/./) }],
    ],
    [
      'an unknown key in a step',
      yaml('  - { at: 0s, action: linkUp, device: core-1, interface: xe-0/0/2, speed: 1 }'),
      [{ path: 'steps.0.speed', message: 'unknown key "speed"' }],
    ],
    [
      'a missing field',
      yaml('  - { at: 0s, action: linkUp, device: core-1 }'),
      [{ path: 'steps.0.interface', message: 'Expected required property' }],
    ],
    [
      'a storm over its bounds',
      yaml('  - { at: 0s, action: trapStorm, device: core-1, rate: 1000000, count: 10 }'),
      [{ path: 'steps.0.rate', message: 'Expected integer to be less or equal to 200000' }],
    ],
    [
      'an unknown device',
      yaml('  - { at: 0s, action: reboot, device: core-9 }'),
      [{ path: 'steps.0.device', message: 'unknown device "core-9"' }],
    ],
    [
      'an unknown interface',
      yaml('  - { at: 0s, action: linkDown, device: core-1, interface: ge-9 }'),
      [{ path: 'steps.0.interface', message: 'device "core-1" has no interface "ge-9"' }],
    ],
    [
      'a re-patch onto an unknown port',
      yaml(
        '  - { at: 0s, action: repatch, device: agg-1, interface: ge-0/0/1, to: { device: access-2, interface: ge-9 } }',
      ),
      [{ path: 'steps.0.to.interface', message: 'device "access-2" has no interface "ge-9"' }],
    ],
    [
      'a link storm without a port',
      yaml(
        '  - { at: 0s, action: trapStorm, device: core-1, rate: 10, count: 10, trap: linkDown }',
      ),
      [{ path: 'steps.0.interface', message: 'a linkDown storm needs an interface' }],
    ],
    ['YAML that does not parse', 'description: [', [{ path: 'line 1', message: anyText(/./) }]],
  ])('reports %s with its path', (_, text, problems) => {
    const parsed = parseScenario('sample', text, config);
    expect(parsed.ok ? [] : parsed.problems).toEqual(problems);
  });

  it('reports every bad step at once', () => {
    const parsed = parseScenario(
      'sample',
      yaml(`  - { at: 0s, action: reboot, device: core-9 }
  - { at: 0s, action: linkUp, device: core-1, interface: nope }`),
      config,
    );
    expect(parsed.ok ? [] : parsed.problems.map((p) => p.path)).toEqual([
      'steps.0.device',
      'steps.1.interface',
    ]);
  });

  it('rejects a name that is not a file name', () => {
    expect(
      parseScenario('../etc/passwd', yaml('  - { at: 0s, action: maintenance, label: a }')).ok,
    ).toBe(false);
  });
});
