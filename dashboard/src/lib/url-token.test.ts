import { describe, expect, it } from 'vitest';
import { takeTokenFromUrl } from './url-token.js';

describe('takeTokenFromUrl', () => {
  it.each([
    ['http://wall/?token=abc', 'abc', '/'],
    ['http://wall/?token=abc&view=noc#top', 'abc', '/?view=noc#top'],
    ['http://wall/noc?view=noc', null, '/noc?view=noc'],
    ['http://wall/?token=', null, '/'],
    ['http://wall/?token=%20abc%20', 'abc', '/'],
  ])('%s → %s, %s', (href, token, cleanedPath) => {
    expect(takeTokenFromUrl(href)).toEqual({ token, cleanedPath });
  });
});
