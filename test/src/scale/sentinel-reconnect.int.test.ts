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
    // A command never answered fails after 10 s instead of holding the test until its timeout.
    client = new Redis({
      ...redisOptions(settings.value),
      retryStrategy: () => 50,
      commandTimeout: 10_000,
    });
    client.on('error', () => undefined);
  }, 60_000);

  afterAll(async () => {
    client.disconnect();
    await relay.close();
    await cluster.destroy();
  });

  it('reaches the new primary and keeps working', async () => {
    // Every step is bounded, and a failure says which step it was and what the client and the relay
    // did until then (a test timeout would say neither).
    const started = Date.now();
    const timeline: string[] = [];
    const note = (what: string): void => {
      timeline.push(
        `${String(Date.now() - started)} ms ${what} (client ${client.status}, relaying ${String(relay.relaying())}, held ${String(relay.held())})`,
      );
    };
    for (const event of ['close', 'reconnecting', 'connect', 'ready', 'end']) {
      client.on(event, () => {
        note(`client ${event}`);
      });
    }
    const step = async (what: string, action: () => Promise<unknown>): Promise<void> => {
      note(what);
      try {
        await action();
      } catch (error) {
        note(`failed: ${error instanceof Error ? error.message : String(error)}`);
        throw new Error(`step "${what}" failed; what happened:\n${timeline.join('\n')}`, {
          cause: error,
        });
      }
    };
    const [primary] = cluster.servers;
    if (primary === undefined) throw new Error('no primary');
    const [sentinelPort = 0] = cluster.sentinelPorts;
    await step('write before', async () => {
      expect(await client.set('before', '1')).toBe('OK');
    });
    await step("the failover detector's subscription goes through the relay", () =>
      vi.waitFor(() => {
        expect(relay.relaying()).toBeGreaterThan(0);
      }),
    );
    relay.hold();
    // The primary drops the client: it reconnects, asking the sentinel (held) where the primary is.
    await step('the primary drops the client', () =>
      redisCli(primary.port, 'client', 'kill', 'type', 'normal'),
    );
    await step("the client's question to the sentinel is held", () =>
      vi.waitFor(
        () => {
          expect(relay.held()).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 20 },
      ),
    );
    // The sentinels promote a replica and announce it (+switch-master) while the question waits.
    await step('a failover is asked for', async () => {
      expect(await redisCli(sentinelPort, 'sentinel', 'failover', MASTER_NAME)).toBe('OK');
    });
    await step('the sentinels name a new primary', () =>
      vi.waitFor(
        async () => {
          expect(await cluster.primaryPort()).not.toBe(primary.port);
        },
        { timeout: 30_000, interval: 100 },
      ),
    );
    // The last connection's failover detector is gone: closed by the announcement (+switch-master
    // comes once the replicas are reconfigured, after the sentinels already name the new primary),
    // or before it.
    await step("the last connection's failover detector is gone", () =>
      vi.waitFor(
        () => {
          expect(relay.relaying()).toBe(0);
        },
        { timeout: 15_000, interval: 100 },
      ),
    );
    relay.release();
    await step('the client reaches the new primary and writes', () =>
      vi.waitFor(
        async () => {
          expect(client.status).toBe('ready');
          expect(await client.set('after', '2')).toBe('OK');
        },
        { timeout: 20_000, interval: 100 },
      ),
    );
    await step('the write is on the primary the sentinels name', async () => {
      expect(await redisCli(await cluster.primaryPort(), 'get', 'after')).toBe('2');
    });
    expect(client.status).not.toBe('end');
  }, 120_000);
});
