import type { ThresholdRule } from '@faultline/shared';
import { describe, expect, it } from 'vitest';
import {
  evaluateThresholds,
  metricWording,
  stepThreshold,
  thresholdEvent,
  utilizationSamples,
  type SeriesState,
  type ThresholdSample,
} from './thresholds.js';

const hot: ThresholdRule = {
  name: 'uplink-hot',
  source: 'poll',
  metric: 'utilization_percent',
  direction: 'above',
  raise: 90,
  clear: 70,
  forS: 120,
  severity: 'major',
};
const dark: ThresholdRule = {
  name: 'rx-low',
  source: 'telemetry',
  metric: 'optical_rx_dbm',
  label: 'Optical receive power',
  unit: 'dBm',
  direction: 'below',
  raise: -25,
  clear: -23,
  forS: 0,
  severity: 'critical',
  devices: ['core-1'],
};

/** Runs a timeline of [seconds, value] through one rule; returns the steps that were not `none`. */
function run(rule: ThresholdRule, timeline: [number, number][]): string[] {
  let state: SeriesState = { status: 'normal' };
  const out: string[] = [];
  for (const [s, value] of timeline) {
    const next = stepThreshold(state, rule, value, s * 1000);
    state = next.state;
    if (next.step.kind !== 'none')
      out.push(`${String(s)}:${next.step.kind}@${String(next.step.sinceMs / 1000)}`);
  }
  return out;
}

describe('stepThreshold', () => {
  it.each([
    [
      'raises after forS beyond raise',
      hot,
      [
        [0, 95],
        [60, 96],
        [120, 97],
      ],
      ['120:raised@0'],
    ],
    [
      'does not raise when it dips before forS',
      hot,
      [
        [0, 95],
        [60, 85],
        [120, 95],
        [180, 95],
      ],
      [],
    ],
    [
      'keeps raised between clear and raise (hysteresis)',
      hot,
      [
        [0, 95],
        [120, 95],
        [180, 80],
        [240, 71],
        [300, 92],
      ],
      ['120:raised@0'],
    ],
    [
      'clears below clear, then needs forS again',
      hot,
      [
        [0, 95],
        [120, 95],
        [180, 69],
        [240, 95],
        [300, 95],
        [360, 95],
      ],
      ['120:raised@0', '180:cleared@0', '360:raised@240'],
    ],
    [
      'is not raised at exactly raise, nor cleared at exactly clear',
      hot,
      [
        [0, 90],
        [200, 90],
        [300, 91],
        [420, 91],
        [480, 70],
        [540, 69.9],
      ],
      ['420:raised@300', '540:cleared@300'],
    ],
    [
      'raises at once with forS 0 and clears above clear (below rule)',
      dark,
      [
        [0, -20],
        [10, -26],
        [20, -24],
        [30, -22.5],
      ],
      ['10:raised@10', '30:cleared@10'],
    ],
  ] as [string, ThresholdRule, [number, number][], string[]][])(
    '%s',
    (_name, rule, timeline, want) => {
      expect(run(rule, timeline)).toEqual(want);
    },
  );
});

describe('evaluateThresholds', () => {
  const sample = (over: Partial<ThresholdSample>): ThresholdSample => ({
    source: 'telemetry',
    device: 'core-1',
    metric: 'optical_rx_dbm',
    value: -30,
    timeMs: 1000,
    tags: { interface: 'xe-0/0/1' },
    ...over,
  });

  it.each([
    ['a matching sample', sample({}), 1],
    ['another device', sample({ device: 'core-2' }), 0],
    ['another metric', sample({ metric: 'temperature_c' }), 0],
    ['another source', sample({ source: 'poll' }), 0],
  ])('runs rules on %s', (_name, s, decisions) => {
    expect(evaluateThresholds(new Map(), [dark, hot], s).decisions).toHaveLength(decisions);
  });

  it('filters on match tags and keeps one series per tag set', () => {
    const rule = { ...dark, match: { interface: 'xe-0/0/1' } };
    expect(
      evaluateThresholds(new Map(), [rule], sample({ tags: { interface: 'xe-0/0/2' } })).decisions,
    ).toEqual([]);
    const first = evaluateThresholds(
      new Map(),
      [rule],
      sample({ tags: { interface: 'xe-0/0/1', lane: '1' } }),
    );
    const states = new Map(first.updates);
    const second = evaluateThresholds(
      states,
      [rule],
      sample({ tags: { interface: 'xe-0/0/1', lane: '2' } }),
    );
    expect([
      first.decisions.length,
      second.decisions.length,
      states.size + second.updates.length,
    ]).toEqual([1, 1, 2]);
    // The same series again: already raised, nothing new.
    expect(
      evaluateThresholds(states, [rule], sample({ tags: { interface: 'xe-0/0/1', lane: '1' } })),
    ).toEqual({ updates: [], decisions: [] });
  });
});

describe('thresholdEvent', () => {
  const s: ThresholdSample = {
    source: 'telemetry',
    device: 'core-1',
    metric: 'optical_rx_dbm',
    value: -27.456,
    timeMs: 5000,
    tags: { interface: 'xe-0/0/1' },
  };

  it('raises under a key naming rule, device and component', () => {
    expect(
      thresholdEvent({ kind: 'raised', rule: dark, sample: s, sinceMs: 4000 }, 'e1'),
    ).toMatchObject({
      id: 'e1',
      source: 'threshold',
      type: 'rx-low',
      device: 'core-1',
      component: 'xe-0/0/1',
      severity: 'critical',
      reductionKey: 'threshold:rx-low:core-1:xe-0/0/1',
      description: 'Optical receive power -27.46 dBm, below -25 dBm on core-1 xe-0/0/1',
      details: { value: -27.456, sinceMs: 4000, raise: -25, clear: -23 },
    });
  });

  it('clears with its own key and the raise key as clear key', () => {
    const event = thresholdEvent(
      { kind: 'cleared', rule: dark, sample: { ...s, value: -22 }, sinceMs: 4000 },
      'e2',
    );
    expect(event).toMatchObject({
      severity: 'cleared',
      reductionKey: 'thresholdClear:rx-low:core-1:xe-0/0/1',
      clearKey: 'threshold:rx-low:core-1:xe-0/0/1',
      description: 'Optical receive power -22 dBm, back above -23 dBm on core-1 xe-0/0/1',
    });
  });

  it('has no component for a device-wide reading', () => {
    const event = thresholdEvent(
      {
        kind: 'raised',
        rule: hot,
        sample: { ...s, tags: {}, metric: 'utilization_percent', value: 95 },
        sinceMs: 0,
      },
      'e3',
    );
    expect(event).not.toHaveProperty('component');
    expect(event).toMatchObject({
      reductionKey: 'threshold:uplink-hot:core-1',
      description: 'Utilization 95%, above 90% on core-1 for 120 s',
    });
  });
});

describe('metricWording', () => {
  it.each([
    ["the rule's label and unit", dark, { label: 'Optical receive power', unit: 'dBm' }],
    ["a poll metric's built-in name", hot, { label: 'Utilization', unit: '%' }],
    [
      'a renamed poll metric',
      { ...hot, metric: 'in_utilization_percent', label: 'Uplink load' },
      { label: 'Uplink load', unit: '%' },
    ],
    [
      'the metric itself without a label',
      { metric: 'optical_rx_dbm' },
      { label: 'optical_rx_dbm', unit: '' },
    ],
  ] as const)('uses %s', (_, rule, wording) => {
    expect(metricWording(rule)).toEqual(wording);
  });
});

describe('utilizationSamples', () => {
  it('gives in, out and the larger, in % of the configured speed', () => {
    const samples = utilizationSamples(
      [
        { device: 'core-1', interface: 'xe-0/0/1', timeMs: 1, inBps: 5e8, outBps: 2.5e8 },
        { device: 'core-1', interface: 'xe-0/0/2', timeMs: 1, outBps: 1e8 },
        { device: 'core-1', interface: 'xe-0/0/3', timeMs: 1 },
        { device: 'core-1', interface: 'unknown', timeMs: 1, inBps: 1 },
      ],
      (_device, name) => (name === 'unknown' ? undefined : 1000),
    );
    expect(samples.map((x) => [x.tags.interface, x.metric, x.value])).toEqual([
      ['xe-0/0/1', 'in_utilization_percent', 50],
      ['xe-0/0/1', 'out_utilization_percent', 25],
      ['xe-0/0/1', 'utilization_percent', 50],
      ['xe-0/0/2', 'out_utilization_percent', 10],
      ['xe-0/0/2', 'utilization_percent', 10],
    ]);
  });
});
