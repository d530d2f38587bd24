import { describe, expect, it } from 'vitest';
import {
  controlTopic,
  parseControlReply,
  parseControlRequest,
  replyTopic,
} from './simulator-control.js';

describe('parseControlRequest', () => {
  it.each<[string, string, unknown]>([
    ['a bare scenario', '{"scenario":"fibre-cut"}', { scenario: 'fibre-cut' }],
    [
      'a scenario with a reply topic and speedup',
      '{"scenario":"fibre-cut","speedup":10,"id":"ab12","replyTo":"faultline/simulator/reply/ab12"}',
      { scenario: 'fibre-cut', speedup: 10, id: 'ab12', replyTo: 'faultline/simulator/reply/ab12' },
    ],
    ['a list request', '{"list":true,"id":"x"}', { list: true, id: 'x' }],
  ])('accepts %s', (_, payload, expected) => {
    expect(parseControlRequest(payload)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, string]>([
    ['not JSON', 'fibre-cut'],
    ['an empty object', '{}'],
    ['an unknown key', '{"scenario":"fibre-cut","force":true}'],
    ['a wildcard reply topic', '{"scenario":"x","replyTo":"a/#"}'],
    ['a speedup of zero', '{"scenario":"x","speedup":0}'],
  ])('rejects %s', (_, payload) => {
    expect(parseControlRequest(payload).ok).toBe(false);
  });
});

describe('parseControlReply', () => {
  it.each<[string, boolean]>([
    ['{"id":"a","ok":true,"scenario":"fibre-cut","steps":4,"lengthMs":190000}', true],
    [
      '{"id":"a","ok":true,"scenarios":[{"name":"fibre-cut","description":"A cut","valid":true}]}',
      true,
    ],
    ['{"id":"a","ok":true,"scenarios":["fibre-cut"]}', false],
    ['{"id":"a","ok":false,"error":"no scenario named x","reason":"unknown-scenario"}', true],
    ['{"id":"a","ok":false,"error":"x","reason":"gone"}', false],
    ['{"id":"a","ok":false,"error":"no scenario named x"}', true],
    ['{"id":"a","ok":"yes"}', false],
  ])('%s → %s', (payload, ok) => {
    expect(parseControlReply(payload).ok).toBe(ok);
  });
});

describe('topics', () => {
  it('puts control and replies under the instance prefix', () => {
    expect(controlTopic('faultline')).toBe('faultline/simulator/control');
    expect(replyTopic('t_1', 'abc')).toBe('t_1/simulator/reply/abc');
  });
});
