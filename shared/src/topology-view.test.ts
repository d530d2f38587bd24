import { describe, expect, it } from 'vitest';
import {
  topologyView,
  type AlarmOnMap,
  type ElementStatus,
  type IncidentOnMap,
} from './topology-view.js';

const shape = {
  devices: [{ name: 'core-1', kind: 'core', site: 'fra1' }, { name: 'agg-1' }],
  links: [
    {
      a: { device: 'core-1', interface: 'xe-0/0/1' },
      b: { device: 'agg-1', interface: 'xe-0/0/48' },
    },
  ],
};

const alarm = (overrides: Partial<AlarmOnMap>): AlarmOnMap => ({
  device: 'core-1',
  component: 'xe-0/0/1',
  severity: 'major',
  state: 'active',
  ...overrides,
});

describe('topologyView', () => {
  it.each<[string, AlarmOnMap[], ElementStatus, ElementStatus, ElementStatus]>([
    ['no alarms', [], 'ok', 'ok', 'ok'],
    ['an alarm on one end', [alarm({})], 'major', 'ok', 'major'],
    [
      'an alarm on the other end',
      [alarm({ device: 'agg-1', component: 'xe-0/0/48' })],
      'ok',
      'major',
      'major',
    ],
    [
      'the worse of both ends',
      [alarm({}), alarm({ device: 'agg-1', component: 'xe-0/0/48', severity: 'critical' })],
      'major',
      'critical',
      'critical',
    ],
    [
      'a device alarm leaves links ok',
      [alarm({ component: null, severity: 'critical' })],
      'critical',
      'ok',
      'ok',
    ],
    ['a cleared alarm counts for nothing', [alarm({ state: 'cleared' })], 'ok', 'ok', 'ok'],
    ['a normal severity counts for nothing', [alarm({ severity: 'normal' })], 'ok', 'ok', 'ok'],
    [
      'an acknowledged alarm still counts',
      [alarm({ state: 'acknowledged', severity: 'minor' })],
      'minor',
      'ok',
      'minor',
    ],
  ])('%s', (_name, alarms, core, agg, link) => {
    const view = topologyView(shape, alarms);
    expect(view.nodes.map((node) => node.status)).toEqual([core, agg]);
    expect(view.links[0]?.status).toBe(link);
  });

  it('counts open alarms per device and fills missing kinds and sites with null', () => {
    const view = topologyView(shape, [alarm({}), alarm({ component: 'xe-0/0/9' })]);
    expect(view.nodes).toEqual([
      {
        name: 'core-1',
        kind: 'core',
        site: 'fra1',
        status: 'major',
        openAlarms: 2,
        unreachable: false,
      },
      { name: 'agg-1', kind: null, site: null, status: 'ok', openAlarms: 0, unreachable: false },
    ]);
  });
});

describe('topologyView: unreachable devices', () => {
  const incident = (overrides: Partial<IncidentOnMap>): IncidentOnMap => ({
    state: 'open',
    cutOffDevices: ['agg-1'],
    ...overrides,
  });

  it.each<[string, AlarmOnMap[], IncidentOnMap[], [boolean, boolean]]>([
    ['nothing wrong', [], [], [false, false]],
    ['an open incident cuts agg-1 off', [], [incident({})], [false, true]],
    [
      'an acknowledged incident still cuts it off',
      [],
      [incident({ state: 'acknowledged' })],
      [false, true],
    ],
    ['a resolved incident does not', [], [incident({ state: 'resolved' })], [false, false]],
    [
      'an open deviceDown alarm',
      [alarm({ device: 'agg-1', component: null, type: 'deviceDown' })],
      [],
      [false, true],
    ],
    [
      'a cleared deviceDown alarm',
      [alarm({ device: 'agg-1', component: null, type: 'deviceDown', state: 'cleared' })],
      [],
      [false, false],
    ],
    [
      'a linkDown alarm leaves the device reachable',
      [alarm({ type: 'linkDown' })],
      [],
      [false, false],
    ],
  ])('%s', (_name, alarms, incidents, expected) => {
    const view = topologyView(shape, alarms, incidents);
    expect(view.nodes.map((node) => node.unreachable)).toEqual(expected);
  });

  it('marks a cut-off device without alarms of its own unreachable, not just ok', () => {
    const [, agg] = topologyView(shape, [], [incident({})]).nodes;
    expect(agg).toMatchObject({ name: 'agg-1', status: 'ok', openAlarms: 0, unreachable: true });
  });
});
