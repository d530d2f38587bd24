import { SentinelConnector, type RedisOptions, type SentinelConnectionOptions } from 'ioredis';
import type { Settings } from './settings.js';

/** ioredis's sentinel connector's own failover detector (a private field of it). */
interface WithFailoverDetector {
  failoverDetector?: { cleanup(): void } | undefined;
}

/**
 * ioredis's sentinel connector, without a race that ends a client for good. Its failover detector
 * (a subscription to the sentinels' `+switch-master`) outlives the connection it watches: when
 * the primary dies the client reconnects through the same connector, and if the sentinels
 * announce the new primary while that reconnection is still asking them where the primary is,
 * the old detector disconnects the connector mid-connect; the connect then fails with
 * "Connection is closed." and ioredis gives the client up (status `end`): every command after
 * it fails, for ever, and a part that retries them spins. Seen as a failover after which the
 * collector could add no batch again and the correlator read nothing (issue #22). A detector
 * watches one connection; each connect drops the last one's, and a new one is made once
 * connected, as before.
 */
export class RedisSentinelConnector extends SentinelConnector {
  /** ioredis hands a `Connector` its options untyped; with `sentinels` they are these. */
  constructor(options: unknown) {
    super(options as SentinelConnectionOptions);
  }

  override connect(
    ...args: Parameters<SentinelConnector['connect']>
  ): ReturnType<SentinelConnector['connect']> {
    const self = this as unknown as WithFailoverDetector;
    self.failoverDetector?.cleanup();
    self.failoverDetector = undefined;
    return super.connect(...args);
  }
}

/** The settings that say how to reach Redis. */
export type RedisSettings = Pick<
  Settings,
  'redisUrl' | 'redisSentinels' | 'redisSentinelMaster' | 'redisSentinelPassword'
>;

/**
 * ioredis options (which BullMQ takes as its `connection` too) for the configured Redis: the
 * server of `REDIS_URL`, or, with sentinels, the primary they name, found again after a failover.
 * Every part builds its connections from this, so a failover reaches all of them the same way.
 *
 * With sentinels, `failoverDetector` listens for the sentinels' `+switch-master` and reconnects at
 * once (through `RedisSentinelConnector`, which keeps that from ending a client), and a `READONLY` reply (a write that reached a primary just demoted to a replica) makes
 * the client reconnect to the new primary and send the command again instead of failing it.
 */
export function redisOptions(settings: RedisSettings): RedisOptions {
  const url = new URL(settings.redisUrl);
  const database = url.pathname.replace(/^\//, '');
  const credentials: RedisOptions = {
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(database === '' ? {} : { db: Number(database) }),
    ...(url.protocol === 'rediss:' ? { tls: { servername: url.hostname } } : {}),
  };
  if (settings.redisSentinels.length === 0) {
    return {
      ...credentials,
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port === '' ? 6379 : Number(url.port),
    };
  }
  return {
    ...credentials,
    sentinels: settings.redisSentinels.map(({ host, port }) => ({ host, port })),
    name: settings.redisSentinelMaster,
    ...(settings.redisSentinelPassword === undefined
      ? {}
      : { sentinelPassword: settings.redisSentinelPassword }),
    ...(url.protocol === 'rediss:' ? { enableTLSForSentinelMode: true } : {}),
    failoverDetector: true,
    Connector: RedisSentinelConnector,
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
  };
}
