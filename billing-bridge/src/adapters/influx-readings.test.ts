import { describe, expect, it } from 'vitest';
import {
  influxString,
  interfaceQuery,
  parseAnswer,
  readingsFromAnswer,
} from './influx-readings.js';

describe('interfaceQuery', () => {
  it('escapes tag values and uses epoch-ms bounds', () => {
    expect(influxString("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
    expect(interfaceQuery('access-1', 'ge-0/0/1', 1000, 2000)).toBe(
      'SELECT in_octets, out_octets, in_bps, out_bps, quarantined FROM interface ' +
        "WHERE device = 'access-1' AND interface = 'ge-0/0/1' AND time >= 1000ms AND time < 2000ms",
    );
  });
});

describe('readingsFromAnswer', () => {
  it('reads counters exactly, rates as presence, quarantine as a flag', () => {
    const readings = readingsFromAnswer({
      results: [
        {
          series: [
            {
              columns: ['time', 'in_octets', 'out_octets', 'in_bps', 'out_bps', 'quarantined'],
              values: [
                [1000, '18446744073709551615', 5, 1.5, null, null],
                [2000, 7, 6, null, null, true],
                [3000, null, 6, null, null, null],
              ],
            },
          ],
        },
      ],
    });
    expect(readings).toEqual([
      {
        timeMs: 1000,
        inOctets: 18_446_744_073_709_551_615n,
        outOctets: 5n,
        hasRate: true,
        quarantined: false,
      },
      { timeMs: 2000, inOctets: 7n, outOctets: 6n, hasRate: false, quarantined: true },
      { timeMs: 3000, inOctets: null, outOctets: 6n, hasRate: false, quarantined: false },
    ]);
    expect(readingsFromAnswer({ results: [{}] })).toEqual([]);
  });

  it('turns a statement error into an exception', () => {
    expect(() => readingsFromAnswer({ results: [{ error: 'database not found: x' }] })).toThrow(
      /database not found/,
    );
  });
});

describe('parseAnswer', () => {
  it('reads the format InfluxDB chose: MessagePack, else JSON', () => {
    // {"error": "x"} both ways.
    const msgpack = Uint8Array.from([0x81, 0xa5, ...Buffer.from('error'), 0xa1, 0x78]);
    expect(parseAnswer(msgpack, 'application/x-msgpack')).toEqual({ error: 'x' });
    const json = new TextEncoder().encode('{"error":"x","n":[18446744073709551615]}');
    expect(parseAnswer(json, 'application/json')).toEqual({
      error: 'x',
      n: ['18446744073709551615'],
    });
  });

  it('takes MessagePack bigints as counters and as rates', () => {
    const readings = readingsFromAnswer({
      results: [
        {
          series: [
            {
              columns: ['time', 'in_octets', 'out_octets', 'in_bps', 'out_bps', 'quarantined'],
              values: [[1000, -(2n ** 63n), 2n ** 60n, null, 2n ** 60n, null]],
            },
          ],
        },
      ],
    });
    expect(readings).toEqual([
      {
        timeMs: 1000,
        inOctets: -(2n ** 63n),
        outOctets: 2n ** 60n,
        hasRate: true,
        quarantined: false,
      },
    ]);
  });
});
