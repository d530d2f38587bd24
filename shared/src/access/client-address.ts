import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';

/**
 * Who a request comes from, the same way for HTTP requests and socket.io handshakes: its TCP
 * peer, unless that peer is one of the configured reverse proxies (`api.trustedProxies`), in
 * which case the client is the nearest address in X-Forwarded-For that is not itself a trusted
 * proxy. X-Forwarded-For from any other peer is ignored: a client cannot pick its own identity.
 */
export interface ClientAddressing {
  /** Whether a hop is a trusted proxy, for fastify's `trustProxy` (so `request.ip` agrees). */
  readonly trust: (address: string, hop: number) => boolean;
  /** The client address of a request (an HTTP request or a socket.io handshake). */
  readonly of: (request: IncomingMessage) => string;
}

/** Client addressing that trusts X-Forwarded-For from the given addresses and CIDR ranges only. */
export function createClientAddressing(trustedProxies: readonly string[]): ClientAddressing {
  const trust = proxyaddr.compile([...trustedProxies]);
  return {
    trust,
    of: (request) => proxyaddr(request, trust),
  };
}
