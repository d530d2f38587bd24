import type { Transport } from '@influxdata/influxdb-client';
import { describe, expect, it } from 'vitest';
import { int64Field, toPoint, toV1WritePath, v1WriteTransport } from './influx-writer.js';

async function* oneChunk(): AsyncIterableIterator<Uint8Array> {
  yield await Promise.resolve(new Uint8Array());
}

describe('toV1WritePath', () => {
  it.each([
    [
      '/api/v2/write?org=&bucket=faultline&precision=ms',
      'faultline',
      undefined,
      '/write?db=faultline&precision=ms',
    ],
    [
      '/api/v2/write?org=o&bucket=b&precision=us',
      'metrics',
      'autogen',
      '/write?db=metrics&rp=autogen&precision=u',
    ],
    [
      '/api/v2/write?org=o&bucket=b&precision=ns',
      'a b&c',
      undefined,
      '/write?db=a+b%26c&precision=ns',
    ],
    [
      '/api/v2/write?org=o&bucket=b&precision=s&consistency=all',
      'db',
      undefined,
      '/write?db=db&precision=s&consistency=all',
    ],
    ['/ping', 'db', undefined, '/ping'],
    ['/query?q=SHOW+DATABASES', 'db', undefined, '/query?q=SHOW+DATABASES'],
  ])('%s → %s', (path, database, rp, expected) => {
    expect(toV1WritePath(path, database, rp)).toBe(expected);
  });

  it('wraps every transport method', async () => {
    const seen: string[] = [];
    const base: Transport = {
      send: (path) => void seen.push(path),
      request: (path) => {
        seen.push(path);
        return Promise.resolve(undefined);
      },
      iterate: (path) => {
        seen.push(path);
        return oneChunk();
      },
      chunkCombiner: { concat: (a) => a, copy: (c) => c, toUtf8String: () => '' },
    };
    const transport = v1WriteTransport(base, 'db', undefined);
    transport.send('/api/v2/write?precision=ms', '', { method: 'POST' });
    await transport.request('/api/v2/write?precision=ms', '', { method: 'POST' });
    transport.iterate('/api/v2/write?precision=ms', '', { method: 'POST' });
    expect(seen).toEqual(Array(3).fill('/write?db=db&precision=ms'));
  });
});

describe('int64Field', () => {
  it.each([
    [0n, '0i'],
    [9_007_199_254_740_993n, '9007199254740993i'],
    [(1n << 63n) - 1n, '9223372036854775807i'],
    [1n << 63n, '-9223372036854775808i'],
    [(1n << 64n) - 1n, '-1i'],
  ])('%s → %s', (value, expected) => {
    expect(int64Field(value)).toBe(expected);
  });
});

describe('toPoint', () => {
  it('writes a full sample with exact integers', () => {
    const line = toPoint({
      device: 'access-1',
      interface: 'ge-0/0/1',
      ifIndex: 1,
      service: 'acme-transit',
      customer: 'acme',
      timeMs: 1_700_000_000_123,
      inOctets: 9_007_199_254_740_993n,
      outOctets: 42n,
      inBps: 1_000_000.5,
      outBps: 0,
      operStatus: 1,
    }).toLineProtocol({ convertTime: (t) => String(t) });
    expect(line).toBe(
      'interface,customer=acme,device=access-1,ifIndex=1,interface=ge-0/0/1,service=acme-transit ' +
        'in_bps=1000000.5,in_octets=9007199254740993i,oper_status=1i,out_bps=0,out_octets=42i 1700000000123',
    );
  });

  it('writes error and discard rates as floats', () => {
    const line = toPoint({
      device: 'core-1',
      interface: 'xe-0/0/2',
      ifIndex: 3,
      timeMs: 5,
      inErrorsPs: 12.5,
      outErrorsPs: 0,
      inDiscardsPs: 0.25,
      outDiscardsPs: 3,
    }).toLineProtocol({ convertTime: (t) => String(t) });
    expect(line).toBe(
      'interface,device=core-1,ifIndex=3,interface=xe-0/0/2 ' +
        'in_discards_ps=0.25,in_errors_ps=12.5,out_discards_ps=3,out_errors_ps=0 5',
    );
  });

  it('marks a quarantined sample and escapes tag values', () => {
    const line = toPoint({
      device: 'core 1',
      interface: 'Gi0/1,sub=2',
      ifIndex: 7,
      timeMs: 5,
      inOctets: 1n,
      quarantined: true,
    }).toLineProtocol({ convertTime: (t) => String(t) });
    expect(line).toBe(
      'interface,device=core\\ 1,ifIndex=7,interface=Gi0/1\\,sub\\=2 in_octets=1i,quarantined=T 5',
    );
  });
});
