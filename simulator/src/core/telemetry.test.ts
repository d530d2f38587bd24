import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValidator, TelemetryMessageSchema } from '@faultline/shared';
import { deviceTelemetry, NO_LIGHT_DBM, opticalPorts, type TelemetryDevice } from './telemetry.js';

const NOW = Date.UTC(2026, 10, 25, 10);
const validator = createValidator(TelemetryMessageSchema);
const port = (name: string, overrides: Partial<TelemetryDevice['opticalPorts'][number]> = {}) => ({
  name,
  operUp: true,
  forcedDbm: undefined,
  utilization: 0.3,
  ...overrides,
});
const device = (overrides: Partial<TelemetryDevice> = {}): TelemetryDevice => ({
  name: 'agg-2',
  opticalPorts: [port('xe-0/0/48'), port('xe-0/0/49')],
  utilization: 0.3,
  ...overrides,
});
const value = (d: TelemetryDevice, metric: string, ifName?: string): number | undefined =>
  deviceTelemetry(d, NOW).find(
    (m) => m.metric === metric && (ifName === undefined || m.tags?.interface === ifName),
  )?.value;

describe('deviceTelemetry', () => {
  it('publishes valid envelopes: one optical reading per port, temperature and CPU', () => {
    const readings = deviceTelemetry(device(), NOW);
    expect(readings.map((r) => [r.metric, r.tags?.interface])).toEqual([
      ['optical_rx_dbm', 'xe-0/0/48'],
      ['optical_rx_dbm', 'xe-0/0/49'],
      ['temperature_c', undefined],
      ['cpu_percent', undefined],
    ]);
    for (const reading of readings) {
      expect(validator.check(reading).ok).toBe(true);
      expect(reading).toMatchObject({ device: 'agg-2', time: NOW });
    }
  });

  it.each<[string, Partial<TelemetryDevice['opticalPorts'][number]>, (dbm: number) => boolean]>([
    ['about -8 dBm normally', {}, (dbm) => dbm >= -9.6 && dbm <= -6.4],
    ['the forced level, within 0.1 dB', { forcedDbm: -18 }, (dbm) => Math.abs(dbm + 18) <= 0.1],
    [
      'no light when the link is down',
      { operUp: false, forcedDbm: -18 },
      (dbm) => dbm === NO_LIGHT_DBM,
    ],
  ])('reports optics %s', (_, overrides, check) => {
    const dbm = value(device({ opticalPorts: [port('xe-0/0/48', overrides)] }), 'optical_rx_dbm');
    expect(check(dbm ?? Number.NaN)).toBe(true);
  });

  it('is deterministic and stays within physical bounds', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (name, utilization, nowMs) => {
          const d = device({ name, utilization });
          const readings = deviceTelemetry(d, nowMs);
          expect(deviceTelemetry(d, nowMs)).toEqual(readings);
          const of = (metric: string) => readings.find((r) => r.metric === metric)?.value ?? -1;
          expect(of('temperature_c')).toBeGreaterThanOrEqual(29.5);
          expect(of('temperature_c')).toBeLessThanOrEqual(57.5);
          expect(of('cpu_percent')).toBeGreaterThanOrEqual(0);
          expect(of('cpu_percent')).toBeLessThanOrEqual(100);
        },
      ),
    );
  });

  it('runs hotter and busier under load', () => {
    const idle = device({ utilization: 0 });
    const busy = device({ utilization: 1 });
    expect(value(busy, 'temperature_c') ?? 0).toBeGreaterThan(value(idle, 'temperature_c') ?? 0);
    expect(value(busy, 'cpu_percent') ?? 0).toBeGreaterThan(value(idle, 'cpu_percent') ?? 0);
  });
});

describe('opticalPorts', () => {
  it('takes link ends and customer ports', () => {
    const config = {
      links: [
        {
          a: { device: 'agg-2', interface: 'xe-0/0/48' },
          b: { device: 'core-1', interface: 'xe-0/0/2' },
        },
      ],
      customers: [
        {
          services: [{ device: 'agg-2', interface: 'ge-0/0/9' }],
        },
      ],
    } as unknown as Parameters<typeof opticalPorts>[0];
    expect(opticalPorts(config, 'agg-2')).toEqual(new Set(['xe-0/0/48', 'ge-0/0/9']));
    expect(opticalPorts(config, 'core-1')).toEqual(new Set(['xe-0/0/2']));
    expect(opticalPorts(config, 'access-9')).toEqual(new Set());
  });
});
