import { describe, expect, it } from 'vitest';
import {
  interfaceStatuses,
  networkHealth,
  utilizationPercent,
  type PolledInterfaceNow,
} from './network-health.js';

const NOW = 1_000_000_000;
const deviceA = {
  name: 'a',
  pollIntervalS: 60,
  interfaces: [
    { ifIndex: 1, name: 'p1', speedMbps: 100 },
    { ifIndex: 2, name: 'p2', speedMbps: 1000, description: 'uplink' },
  ],
};
const devices = [
  deviceA,
  { name: 'b', pollIntervalS: 600, interfaces: [{ ifIndex: 1, name: 'p1', speedMbps: 10 }] },
  { name: 'c', pollIntervalS: 60, interfaces: [{ ifIndex: 1, name: 'p1', speedMbps: 10 }] },
];

const polled = (
  device: string,
  iface: string,
  fields: Partial<PolledInterfaceNow>,
): PolledInterfaceNow => ({
  device,
  interface: iface,
  inBps: null,
  outBps: null,
  inErrorsPs: null,
  outErrorsPs: null,
  inDiscardsPs: null,
  outDiscardsPs: null,
  operStatus: 1,
  lastPolledMs: NOW - 1000,
  ...fields,
});

describe('utilizationPercent', () => {
  it.each([
    [null, null, 100, null],
    [50e6, null, 100, 50],
    [10e6, 90e6, 100, 90],
  ])('in %s out %s of %s Mbps is %s %%', (inBps, outBps, speed, expected) => {
    expect(utilizationPercent(inBps, outBps, speed)).toBe(expected);
  });
});

describe('networkHealth', () => {
  const health = networkHealth(
    devices,
    [
      polled('a', 'p1', { inBps: 60e6, outBps: 1e6, inErrorsPs: 0, outDiscardsPs: 0.5 }),
      polled('a', 'p2', {
        inBps: 900e6,
        outBps: 100e6,
        operStatus: 7,
        inErrorsPs: 12,
        outErrorsPs: 0,
        inDiscardsPs: 1,
        outDiscardsPs: 0,
      }),
      // b polls every 10 minutes: 20 minutes of silence is still within three intervals.
      polled('b', 'p1', { lastPolledMs: NOW - 20 * 60_000 }),
      // c was last heard 6 minutes ago with a 1-minute interval: silent.
      polled('c', 'p1', { lastPolledMs: NOW - 6 * 60_000, inErrorsPs: 0, inDiscardsPs: 0 }),
      polled('gone', 'x', { inBps: 1e9, inErrorsPs: 100 }),
    ],
    ['c'],
    NOW,
  );

  it('lists the busiest configured interfaces first', () => {
    expect(health.busiest.map((b) => [b.device, b.interface, b.utilizationPercent])).toEqual([
      ['a', 'p2', 90],
      ['a', 'p1', 60],
    ]);
    expect(health.interfacesPolled).toBe(2);
    expect(health.interfacesConfigured).toBe(4);
  });

  it('lists configured interfaces with errors or discards, the most per second first', () => {
    expect(health.errored).toEqual([
      {
        device: 'a',
        ifIndex: 2,
        interface: 'p2',
        description: 'uplink',
        inErrorsPs: 12,
        outErrorsPs: 0,
        inDiscardsPs: 1,
        outDiscardsPs: 0,
        errorsAndDiscardsPs: 13,
      },
      {
        device: 'a',
        ifIndex: 1,
        interface: 'p1',
        description: null,
        inErrorsPs: 0,
        outErrorsPs: null,
        inDiscardsPs: null,
        outDiscardsPs: 0.5,
        errorsAndDiscardsPs: 0.5,
      },
    ]);
  });

  it('lists no interface with only zero or no error rates', () => {
    const quiet = networkHealth(devices, [polled('c', 'p1', { inErrorsPs: 0 })], [], NOW);
    expect(quiet.errored).toEqual([]);
  });

  it('names interfaces not up, unreachable and silent devices', () => {
    expect(health.interfacesDown).toEqual([
      { device: 'a', interface: 'p2', operStatus: 'lowerLayerDown' },
    ]);
    expect(health.unreachable).toEqual(['c']);
    expect(health.silent).toEqual(['c']);
    expect(health.devices).toBe(3);
  });
});

describe('interfaceStatuses', () => {
  it('joins the inventory with the last poll and the services carried', () => {
    const service = {
      customerId: 'x',
      customerName: 'X',
      serviceId: 's',
      description: null,
      device: 'a',
      interface: 'p2',
    };
    const [p1, p2] = interfaceStatuses(
      deviceA,
      [polled('a', 'p2', { inBps: 500e6, outBps: 1e6, operStatus: 2, inErrorsPs: 3 })],
      [service],
    );
    expect(p1).toMatchObject({
      name: 'p1',
      operStatus: null,
      utilizationPercent: null,
      inErrorsPs: null,
      outDiscardsPs: null,
      services: [],
    });
    expect(p2).toMatchObject({
      name: 'p2',
      description: 'uplink',
      operStatus: 'down',
      utilizationPercent: 50,
      inErrorsPs: 3,
      outErrorsPs: null,
      lastPolledAt: new Date(NOW - 1000).toISOString(),
      services: [service],
    });
  });
});
