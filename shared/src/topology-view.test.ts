import { describe, expect, it } from 'vitest';
import { topologyView, type AlarmOnMap, type ElementStatus } from './topology-view.js';

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
      { name: 'core-1', kind: 'core', site: 'fra1', status: 'major', openAlarms: 2 },
      { name: 'agg-1', kind: null, site: null, status: 'ok', openAlarms: 0 },
    ]);
  });
});
