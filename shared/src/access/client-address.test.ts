import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createClientAddressing } from './client-address.js';

/** The parts of a request that decide who sent it. */
function request(peer: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('createClientAddressing', () => {
  it.each<[string, readonly string[], string, string | undefined, string]>([
    ['no proxy trusted: the peer', [], '127.0.0.1', '10.0.0.7', '127.0.0.1'],
    ['a trusted proxy: the forwarded client', ['127.0.0.1'], '127.0.0.1', '10.0.0.7', '10.0.0.7'],
    ['an untrusted peer: its own address', ['127.0.0.1'], '10.0.0.9', '10.0.0.7', '10.0.0.9'],
    [
      'a forged header before the proxy: the address the proxy appended',
      ['127.0.0.1'],
      '127.0.0.1',
      '1.2.3.4, 10.0.0.7',
      '10.0.0.7',
    ],
    [
      'a chain of trusted proxies: the first untrusted hop',
      ['127.0.0.1', '10.1.0.0/16'],
      '127.0.0.1',
      '10.0.0.7, 10.1.2.3',
      '10.0.0.7',
    ],
    [
      'a trusted proxy without the header: the proxy',
      ['127.0.0.1'],
      '127.0.0.1',
      undefined,
      '127.0.0.1',
    ],
  ])('%s', (_label, trusted, peer, forwardedFor, expected) => {
    const clients = createClientAddressing(trusted);
    expect(clients.of(request(peer, forwardedFor))).toBe(expected);
  });

  it('agrees with its trust function, which fastify uses for request.ip', () => {
    const clients = createClientAddressing(['127.0.0.1']);
    expect(clients.trust('127.0.0.1', 0)).toBe(true);
    expect(clients.trust('127.0.0.2', 0)).toBe(false);
  });
});
