import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readSettings, redisOptions } from '@faultline/shared';
import {
  MASTER_NAME,
  createSentinelCluster,
  redisCli,
  relayToSentinel,
  type SentinelCluster,
  type SentinelRelay,
} from './sentinel-world.js';

// Issue #22: after a failover, every Redis client of a part could end for good ("Connection is
// closed." on every command) when the sentinels announced the new primary while the client was
// still asking them where the primary is. This drives that order of events on purpose: the
// client's question is held by a relay in front of its sentinel until the announcement has
// reached the client process, then answered.
describe('a Redis client through Sentinel, announced a failover while it reconnects', () => {
  let cluster: SentinelCluster;
  let relay: SentinelRelay;
  let client: Redis;

  beforeAll(async () => {
    cluster = await createSentinelCluster();
    const [sentinelPort = 0] = cluster.sentinelPorts;
    relay = await relayToSentinel(sentinelPort);
    const settings = readSettings({
      REDIS_URL: 'redis://primary.invalid:6379',
      REDIS_SENTINELS: `127.0.0.1:${String(relay.port)}`,
      REDIS_SENTINEL_MASTER: MASTER_NAME,
    });
    if (!settings.ok) throw new Error(JSON.stringify(settings.problems));
    client = new Redis({ ...redisOptions(settings.value), retryStrategy: () => 50 });
    client.on('error', () => undefined);
  }, 60_000);

  afterAll(async () => {
    client.disconnect();
    await relay.close();
    await cluster.destroy();
  });

  it('reaches the new primary and keeps working', async () => {
    const [primary] = cluster.servers;
    if (primary === undefined) throw new Error('no primary');
    expect(await client.set('before', '1')).toBe('OK');
    // Connected: the client's failover detector holds its subscription through the relay.
    await vi.waitFor(() => {
      expect(relay.relaying()).toBeGreaterThan(0);
    });
    relay.hold();
    // The primary drops the client: it reconnects, asking the sentinel (held) where the primary is.
    await redisCli(primary.port, 'client', 'kill', 'type', 'normal');
    await vi.waitFor(() => {
      expect(relay.held()).toBeGreaterThan(0);
    });
    // The sentinels promote a replica and announce it (+switch-master) while the question waits.
    const [sentinelPort = 0] = cluster.sentinelPorts;
    expect(await redisCli(sentinelPort, 'sentinel', 'failover', MASTER_NAME)).toBe('OK');
    await vi.waitFor(
      async () => {
        expect(await cluster.primaryPort()).not.toBe(primary.port);
      },
      { timeout: 30_000, interval: 100 },
    );
    // The last connection's failover detector is gone: closed by the announcement (+switch-master
    // comes once the replicas are reconfigured, after the sentinels already name the new primary),
    // or before it.
    await vi.waitFor(
      () => {
        expect(relay.relaying()).toBe(0);
      },
      { timeout: 30_000, interval: 100 },
    );
    relay.release();
    await vi.waitFor(
      async () => {
        expect(client.status).toBe('ready');
        expect(await client.set('after', '2')).toBe('OK');
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(await redisCli(await cluster.primaryPort(), 'get', 'after')).toBe('2');
    expect(client.status).not.toBe('end');
  }, 90_000);
});
