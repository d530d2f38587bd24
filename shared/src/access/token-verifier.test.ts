import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearerToken, createTokenVerifier } from './token-verifier.js';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

const verify = createTokenVerifier({
  tokens: [
    { name: 'noc-wall', role: 'viewer', sha256: digest('wall-token-0123456789') },
    { name: 'alice', role: 'engineer', sha256: digest('alice-token-0123456789') },
  ],
  adminToken: 'admin-token-0123456789',
  viewerToken: 'viewer-token-0123456789',
});

describe('createTokenVerifier', () => {
  it.each([
    ['wall-token-0123456789', { name: 'noc-wall', role: 'viewer' }],
    ['alice-token-0123456789', { name: 'alice', role: 'engineer' }],
    ['admin-token-0123456789', { name: 'admin', role: 'admin' }],
    ['viewer-token-0123456789', { name: 'wall', role: 'viewer' }],
    ['wrong-token', undefined],
    ['', undefined],
    [undefined, undefined],
    [digest('wall-token-0123456789'), undefined],
  ])('%s → %j', (token, expected) => {
    expect(verify(token)).toEqual(expected);
  });

  it('has no admin when no admin token is set', () => {
    expect(createTokenVerifier({ tokens: [], adminToken: undefined })('')).toBeUndefined();
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer  abc ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('%s → %s', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});
