import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat, createLogger, withoutCredentials, type LogFormat } from './logger.js';

describe('withoutCredentials', () => {
  it.each([
    ['mqtt://collector:s3cret@broker:1883', 'mqtt://[secret]@broker:1883'],
    ['redis://:s3cret@127.0.0.1:6379/0', 'redis://[secret]@127.0.0.1:6379/0'],
    [
      'postgres://postgres@127.0.0.1:5432/faultline',
      'postgres://[secret]@127.0.0.1:5432/faultline',
    ],
    ['mqtt://127.0.0.1:1883', 'mqtt://127.0.0.1:1883'],
    ['not a url', 'not a url'],
  ])('%s → %s', (url, expected) => {
    expect(withoutCredentials(url)).toBe(expected);
  });
});

describe('chooseLogFormat', () => {
  it.each([
    ['auto', true, 'pretty'],
    ['auto', false, 'json'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ] as const)('%s on a terminal: %s → %s', (setting, isTerminal, expected) => {
    expect(chooseLogFormat(setting, isTerminal)).toBe(expected);
  });
});

describe('createLogger', () => {
  /** What a logger in `format` writes for one warning of a component's part. */
  function written(format: LogFormat): string {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    createLogger({ level: 'info', format, destination })
      .child({ component: 'collector' })
      .child({ part: 'poller' })
      .warn(
        { device: 'core-1', token: 'secret-token', snmp: { community: 'secret-community' } },
        'device poll failed',
      );
    // eslint-disable-next-line no-control-regex -- colours, when the terminal has them
    return chunks.join('').replace(/\u001b\[[0-9;]*m/g, '');
  }

  it('writes one readable line for a person, with the secrets redacted', () => {
    const line = written('pretty');
    expect(line.trimEnd().split('\n')).toHaveLength(1);
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: collector\/poller: device poll failed /);
    expect(line).toContain('"device":"core-1"');
    expect(line).not.toMatch(/secret-/);
  });

  it('writes one JSON object a line for a machine, with the secrets redacted', () => {
    const line = written('json');
    expect(JSON.parse(line)).toMatchObject({
      level: 40,
      component: 'collector',
      part: 'poller',
      msg: 'device poll failed',
      token: '[secret]',
      snmp: { community: '[secret]' },
    });
  });
});
