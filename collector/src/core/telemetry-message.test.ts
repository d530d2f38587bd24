import { describe, expect, it } from 'vitest';
import { createInventory } from './inventory.js';
import { decodeTelemetry } from './telemetry-message.js';
import { testInventoryConfig } from './testing/fixtures.js';

const inventory = createInventory(testInventoryConfig());
const NOW = 1_700_000_000_000;
const decode = (payload: string, max = 65_536) =>
  decodeTelemetry(Buffer.from(payload), NOW, inventory, max);

describe('decodeTelemetry', () => {
  it.each([
    [
      'a JSON envelope without time',
      { device: 'core-1', metric: 'temperature_c', value: 41.5 },
      [{ device: 'core-1', metric: 'temperature_c', value: 41.5, timeMs: NOW, tags: {} }],
    ],
    [
      'a JSON envelope with an ISO time and an interface carrying a service',
      {
        device: 'access-1',
        metric: 'optical_rx_dbm',
        value: -8,
        time: '2023-11-14T22:13:20.000Z',
        tags: { interface: 'ge-0/0/1' },
      },
      [
        {
          device: 'access-1',
          metric: 'optical_rx_dbm',
          value: -8,
          timeMs: NOW,
          tags: { interface: 'ge-0/0/1' },
          service: 'acme-transit',
          customer: 'acme',
        },
      ],
    ],
    [
      'an array of envelopes with epoch-ms times',
      [
        { device: 'core-1', metric: 'cpu_percent', value: 5, time: 1 },
        { device: 'core-1', metric: 'cpu_percent', value: 6, time: 2 },
      ],
      [
        { device: 'core-1', metric: 'cpu_percent', value: 5, timeMs: 1, tags: {} },
        { device: 'core-1', metric: 'cpu_percent', value: 6, timeMs: 2, tags: {} },
      ],
    ],
  ])('accepts %s', (_name, message, points) => {
    expect(decode(JSON.stringify(message))).toEqual({ kind: 'accepted', points });
  });

  it('names line-protocol metrics after measurement and field, `value` after the measurement', () => {
    const decided = decode(
      'optical,device=core-1,interface=xe-0/0/2 rx_dbm=-7.5,tx_dbm=-2i 1700000000123456789\n' +
        'temperature_c,device=core-1 value=40,alarm=t',
    );
    expect(decided).toEqual({
      kind: 'accepted',
      points: [
        {
          device: 'core-1',
          metric: 'optical_rx_dbm',
          value: -7.5,
          timeMs: 1_700_000_000_123,
          tags: { interface: 'xe-0/0/2' },
        },
        {
          device: 'core-1',
          metric: 'optical_tx_dbm',
          value: -2,
          timeMs: 1_700_000_000_123,
          tags: { interface: 'xe-0/0/2' },
        },
        { device: 'core-1', metric: 'temperature_c', value: 40, timeMs: NOW, tags: {} },
        { device: 'core-1', metric: 'temperature_c_alarm', value: 1, timeMs: NOW, tags: {} },
      ],
    });
  });

  it.each([
    ['{"device": "core-1", ', 'bad-json'],
    ['[]', 'bad-envelope'],
    ['{"device":"core-1","metric":"cpu","value":"high"}', 'bad-envelope'],
    ['{"device":"core-1","metric":"cpu","value":1,"extra":true}', 'bad-envelope'],
    ['{"device":"core-1","metric":"cpu","value":1,"time":"yesterday"}', 'bad-envelope'],
    ['{"device":"core-1","metric":"cpu","value":1,"tags":{"customer":"x"}}', 'bad-envelope'],
    ['[{"device":"core-1","metric":"cpu","value":1},{"device":"x"}]', 'bad-envelope'],
    ['{"device":"nope","metric":"cpu","value":1}', 'unknown-device'],
    ['cpu value=1', 'bad-line-protocol'],
    ['cpu,device=core-1 value="high"', 'bad-line-protocol'],
    ['cpu,device=core-1,service=x value=1', 'bad-line-protocol'],
    ['cpu,device=core-1,bad-tag=x value=1', 'bad-line-protocol'],
    ['cpu,device=core-1 value=1\ncpu,device=ghost value=1', 'unknown-device'],
    ['not line protocol at all', 'bad-line-protocol'],
  ])('refuses %j as %s, whole', (payload, reason) => {
    expect(decode(payload)).toMatchObject({ kind: 'invalid', reason });
  });

  it('refuses a payload over the limit before reading it', () => {
    expect(decode('x'.repeat(65), 64)).toEqual({
      kind: 'invalid',
      reason: 'too-large',
      message: '65 bytes, limit 64',
    });
  });
});
