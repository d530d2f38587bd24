import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLineProtocol } from './line-protocol.js';

describe('parseLineProtocol', () => {
  it.each([
    [
      'optical,device=core-1,interface=xe-0/0/1 rx_dbm=-7.5 1700000000000000000',
      {
        measurement: 'optical',
        tags: { device: 'core-1', interface: 'xe-0/0/1' },
        fields: { rx_dbm: -7.5 },
        timeNs: 1700000000000000000n,
      },
    ],
    ['cpu value=12i', { measurement: 'cpu', tags: {}, fields: { value: 12 } }],
    [
      'cpu value=12u,up=t,ok=FALSE',
      { measurement: 'cpu', tags: {}, fields: { value: 12, up: true, ok: false } },
    ],
    [
      'my\\ meas,tag\\,key=a\\ b\\=c f\\=x="say \\"hi\\", ok"',
      { measurement: 'my meas', tags: { 'tag,key': 'a b=c' }, fields: { 'f=x': 'say "hi", ok' } },
    ],
    ['temp value=1e3', { measurement: 'temp', tags: {}, fields: { value: 1000 } }],
  ])('parses %s', (line, expected) => {
    expect(parseLineProtocol(line)).toEqual({ ok: true, lines: [expected] });
  });

  it('skips blank lines and comments, and numbers lines from 1', () => {
    const result = parseLineProtocol('# header\n\na value=1\r\nb value=2\n');
    expect(result.ok && result.lines.map((l) => l.measurement)).toEqual(['a', 'b']);
    expect(parseLineProtocol('a value=1\n\nb value=x')).toMatchObject({ ok: false, line: 3 });
  });

  it.each([
    ['', 'no point in payload'],
    ['cpu', 'missing fields'],
    ['cpu,device value=1', 'invalid tag'],
    ['cpu,device= value=1', 'empty value for tag "device"'],
    ['cpu value=', 'invalid field value ""'],
    ['cpu value=abc', 'invalid field value "abc"'],
    ['cpu value="open', 'unterminated string field'],
    ['cpu value=1 12:00', 'invalid timestamp "12:00"'],
    ['cpu value=99999999999999999999i', 'integer field out of range: 99999999999999999999i'],
    ['cpu value=1e999', 'float field out of range: 1e999'],
    ['cpu =1', 'invalid field'],
  ])('refuses %j: %s', (line, message) => {
    expect(parseLineProtocol(line)).toEqual({ ok: false, line: 1, message });
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = parseLineProtocol(text);
        expect(typeof result.ok).toBe('boolean');
      }),
    );
  });
});
