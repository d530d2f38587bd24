import { describe, expect, it } from 'vitest';
import { signAckToken, verifyAckToken } from './ack-token.js';
import { pushEndpointAllowed } from './page-payload.js';

const secret = 'a-secret-of-the-installation';
const grant = { incidentId: 'inc-1', person: 'alice', expMs: 2_000 };

describe('ack tokens', () => {
  const token = signAckToken(grant, secret);
  it.each([
    ['valid', token, 1_999, { ok: true, grant }],
    ['expired', token, 2_000, { ok: false, reason: 'expired' }],
    [
      'signed by another secret',
      signAckToken(grant, 'other'),
      0,
      { ok: false, reason: 'bad signature' },
    ],
    [
      'body changed',
      `${Buffer.from('{"i":"inc-2","p":"alice","e":2000}').toString('base64url')}.${token.split('.')[1] ?? ''}`,
      0,
      { ok: false, reason: 'bad signature' },
    ],
    ['no signature', 'abc', 0, { ok: false, reason: 'malformed' }],
  ])('%s', (_, given, now, want) => {
    expect(verifyAckToken(given, secret, now)).toEqual(want);
  });
});

describe('pushEndpointAllowed', () => {
  it.each([
    ['https://fcm.googleapis.com/fcm/send/abc', false, true],
    ['http://push.example/abc', true, false],
    ['http://127.0.0.1:4000/push/1', false, false],
    ['http://127.0.0.1:4000/push/1', true, true],
    ['http://[::1]:4000/push/1', true, true],
    ['https://user:pw@push.example/x', false, false],
    ['ftp://127.0.0.1/x', true, false],
    ['not a url', true, false],
  ])('%s (loopback http allowed: %s) → %s', (endpoint, allow, want) => {
    expect(pushEndpointAllowed(endpoint, allow)).toBe(want);
  });
});
