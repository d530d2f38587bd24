import { describe, expect, it } from 'vitest';
import type { InterfaceTraffic } from '@faultline/shared';
import { formatBps, formatSpeedMbps, trafficChart } from './traffic-chart.js';

describe('formatBps', () => {
  it.each([
    [null, '–'],
    [0, '0 bit/s'],
    [999, '999 bit/s'],
    [1_500, '1.50 kbit/s'],
    [183_400_000, '183 Mbit/s'],
    [18_340_000, '18.3 Mbit/s'],
    [999_600, '1.00 Mbit/s'],
    [1_250_000_000, '1.25 Gbit/s'],
  ])('%s is %s', (bps, text) => {
    expect(formatBps(bps)).toBe(text);
  });
});

describe('formatSpeedMbps', () => {
  it.each([
    [100, '100 Mbit/s'],
    [10000, '10 Gbit/s'],
  ])('%s', (speed, text) => {
    expect(formatSpeedMbps(speed)).toBe(text);
  });
});

describe('trafficChart', () => {
  const traffic: InterfaceTraffic = {
    device: 'd',
    interface: 'p',
    ifIndex: 1,
    speedMbps: 100,
    range: 'hour',
    fromMs: 0,
    toMs: 120_000,
    stepMs: 60_000,
    timeMs: [0, 60_000],
    inBps: [1, null],
    outBps: [2, 3],
    percentiles: [
      {
        serviceId: 's',
        customerName: 'Initech',
        description: null,
        direction: 'max',
        commitMbps: 5,
        percentileBps: 3,
        sampleCount: 2,
      },
      {
        serviceId: 't',
        customerName: 'Nobody',
        description: null,
        direction: 'in',
        commitMbps: 5,
        percentileBps: null,
        sampleCount: 0,
      },
    ],
  };

  it('has in, out and a flat line per 95th with a value, x in seconds', () => {
    const chart = trafficChart(traffic);
    expect(chart.timeS).toEqual([0, 60]);
    expect(chart.lines.map((l) => [l.label, l.values])).toEqual([
      ['In', [1, null]],
      ['Out', [2, 3]],
      ['95th Initech (max)', [3, 3]],
    ]);
  });
});
