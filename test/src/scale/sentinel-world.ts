import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  processService,
  redisAnswersAs,
  type PrivateService,
} from '../support/private-services.js';
import { freeTcpPort } from '../support/ports.js';

const run = promisify(execFile);

/** The primary's name among the test's sentinels. */
export const MASTER_NAME = 'faultline';

/** A private Redis primary with two replicas, watched by three sentinels, all on loopback. */
export interface SentinelCluster {
  /** The servers, the first being the primary at start. */
  readonly servers: readonly { readonly port: number; readonly service: PrivateService }[];
  /** `host:port,…` of the sentinels, as `REDIS_SENTINELS` takes them. */
  readonly sentinels: string;
  /** The sentinels' ports. */
  readonly sentinelPorts: readonly number[];
  /** The port of the primary the sentinels name now. */
  primaryPort(): Promise<number>;
  destroy(): Promise<void>;
}

/** One redis-cli command to the server or sentinel on `port`; its output, trimmed. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...args], { timeout: 2000 });
  return stdout.trim();
}

/**
 * Starts Debian's redis-server three times (append-only, fsync always, as docs/deployment.md
 * says) and redis-sentinel three times on free ports of their own, with a quorum of two and a
 * primary taken for down after one second. The shared Redis on 6379 is never touched.
 */
export async function createSentinelCluster(): Promise<SentinelCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-sentinel-'));
  const ports = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort()];
  const [primary = 0] = ports;
  const servers = ports.map((port, index) => {
    const data = join(dir, `redis-${String(index)}`);
    const service = processService(`redis://127.0.0.1:${String(port)}`, {
      name: 'redis-server',
      dir: data,
      command: 'redis-server',
      args: [
        ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', data],
        ...['--appendonly', 'yes', '--appendfsync', 'always'],
        ...(index === 0 ? [] : ['--replicaof', '127.0.0.1', String(primary)]),
      ],
      ready: (pid) => redisAnswersAs(port, pid),
    });
    return { port, service, data };
  });
  const sentinelPorts = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort()];
  const sentinels = sentinelPorts.map((port, index) => {
    const data = join(dir, `sentinel-${String(index)}`);
    return {
      port,
      data,
      service: processService(`redis://127.0.0.1:${String(port)}`, {
        name: 'redis-sentinel',
        dir: data,
        command: 'redis-sentinel',
        args: [join(data, 'sentinel.conf')],
        ready: (pid) => redisAnswersAs(port, pid),
      }),
    };
  });
  const destroy = async (): Promise<void> => {
    for (const { service } of [...sentinels, ...servers]) await service.destroy();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const server of servers) {
      await mkdir(server.data, { recursive: true });
      await server.service.start();
    }
    for (const sentinel of sentinels) {
      await mkdir(sentinel.data, { recursive: true });
      // Sentinel rewrites its file as it learns: one file each, writable.
      await writeFile(
        join(sentinel.data, 'sentinel.conf'),
        [
          `port ${String(sentinel.port)}`,
          'bind 127.0.0.1',
          `dir ${sentinel.data}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${String(primary)} 2`,
          `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
          `sentinel failover-timeout ${MASTER_NAME} 10000`,
          `sentinel parallel-syncs ${MASTER_NAME} 1`,
          '',
        ].join('\n'),
      );
      await sentinel.service.start();
    }
  } catch (error) {
    await destroy();
    throw error;
  }
  const [firstSentinel = 0] = sentinelPorts;
  return {
    servers,
    sentinels: sentinelPorts.map((port) => `127.0.0.1:${String(port)}`).join(','),
    sentinelPorts,
    async primaryPort() {
      const answer = await redisCli(
        firstSentinel,
        'sentinel',
        'get-master-addr-by-name',
        MASTER_NAME,
      );
      return Number(answer.split('\n')[1]);
    },
    destroy,
  };
}

/** A TCP relay in front of one sentinel that can hold the connections it accepts. */
export interface SentinelRelay {
  readonly port: number;
  /** Connections accepted from now on are held: taken, but nothing relayed until `release`. */
  hold(): void;
  /** Relays the held connections and every one after. */
  release(): void;
  /** Connections taken and not relayed yet. */
  held(): number;
  /** Connections being relayed now (held ones not counted). */
  relaying(): number;
  close(): Promise<void>;
}

/** A relay on a free loopback port to the sentinel on `port`. */
export async function relayToSentinel(port: number): Promise<SentinelRelay> {
  const waiting: Socket[] = [];
  const open = new Set<Socket>();
  let holding = false;
  const relay = (client: Socket): void => {
    const upstream = connect(port, '127.0.0.1');
    open.add(client);
    const end = (): void => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const server = createServer((client) => {
    client.on('error', () => client.destroy());
    if (holding) waiting.push(client);
    else relay(client);
  });
  const relayPort = await freeTcpPort();
  await new Promise<void>((resolve) => server.listen(relayPort, '127.0.0.1', resolve));
  return {
    port: relayPort,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const client of waiting.splice(0)) relay(client);
    },
    held: () => waiting.length,
    relaying: () => open.size,
    close: async () => {
      for (const client of [...waiting, ...open]) client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
