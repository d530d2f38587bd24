import { describe, expect, it } from 'vitest';
import { withoutCredentials } from './logger.js';

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
