import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freeTcpPort } from './ports.js';

/**
 * Private Redis, Mosquitto, PostgreSQL and InfluxDB servers that a fault test may kill and
 * restart: each on free 127.0.0.1 ports with its data in a temp folder. The shared servers on the
 * default ports are never touched; other tests use them at the same time.
 */
export interface PrivateService {
  /** The URL clients use (redis://, mqtt://, postgres://, http://). */
  readonly url: string;
  /** Starts it (again), with the data it had, resolving once it answers. */
  start(): Promise<void>;
  /** Stops it, resolving once it exited: SIGTERM is a clean stop, SIGKILL a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

const run = promisify(execFile);

/** True once something accepts TCP connections on the port. */
async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

export interface ProcessSpec {
  readonly name: string;
  readonly dir: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Resolves true once the server started as `pid` answers its clients. */
  readonly ready: (pid: number) => Promise<boolean>;
  /** Runs the server as this user (PostgreSQL refuses to run as root). */
  readonly user?: { uid: number; gid: number };
  /** The signal of a clean stop (PostgreSQL's fast shutdown is SIGINT). */
  readonly cleanStop?: NodeJS.Signals;
}

/** One server process that can be started, stopped and started again on the same data. */
export function processService(url: string, spec: ProcessSpec): PrivateService {
  let child: ChildProcess | undefined;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const running = child;
    child = undefined;
    if (running?.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal === 'SIGTERM' ? (spec.cleanStop ?? 'SIGTERM') : signal);
    await exited;
  };
  return {
    url,
    async start() {
      if (child !== undefined) return;
      const started = spawn(spec.command, spec.args, {
        stdio: 'ignore',
        cwd: spec.dir,
        ...(spec.user ?? {}),
      });
      started.on('error', () => undefined);
      child = started;
      for (let attempt = 0; attempt < 300; attempt += 1) {
        if (started.exitCode !== null) {
          throw new Error(`${spec.name} exited with ${String(started.exitCode)}`);
        }
        if (started.pid !== undefined && (await spec.ready(started.pid))) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${spec.name} did not become ready`);
    },
    stop,
    async destroy() {
      await stop('SIGKILL');
      await rm(spec.dir, { recursive: true, force: true });
    },
  };
}

/**
 * True once the Redis server (or sentinel) on `port` answers and is the process `pid`: a server
 * that failed to bind its port must not pass for started because another one answers there.
 */
export async function redisAnswersAs(port: number, pid: number): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'info', 'server'], {
      timeout: 2000,
    });
    return stdout.split(/\r?\n/).includes(`process_id:${String(pid)}`);
  } catch {
    return false;
  }
}

/**
 * A private redis-server. With `appendOnly` every write is in its append-only file (fsync at
 * every write) before it is acknowledged, so a restart, even after SIGKILL, keeps the queues;
 * without it a restart starts empty.
 */
export async function createPrivateRedis(options: {
  appendOnly: boolean;
}): Promise<PrivateService> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-redis-'));
  const port = await freeTcpPort();
  const persistence = options.appendOnly
    ? ['--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  return processService(`redis://127.0.0.1:${String(port)}`, {
    name: 'redis-server',
    dir,
    command: 'redis-server',
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--dir',
      dir,
      ...persistence,
    ],
    // Loading the append-only file happens after the socket opens: wait for it to answer.
    ready: (pid) => redisAnswersAs(port, pid),
  });
}

/**
 * A private Mosquitto with persistence: sessions and the QoS 1 messages queued for them survive a
 * restart. The queue per client is unbounded (the default of 1,000 silently drops the rest).
 */
export async function createPrivateMosquitto(): Promise<PrivateService> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-mosquitto-'));
  const port = await freeTcpPort();
  const confPath = join(dir, 'mosquitto.conf');
  await writeFile(
    confPath,
    [
      // As root, Mosquitto would switch to the `mosquitto` user, who cannot write this folder.
      'user root',
      `listener ${String(port)} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${dir}/`,
      'max_queued_messages 0',
      'log_dest none',
      '',
    ].join('\n'),
  );
  return processService(`mqtt://127.0.0.1:${String(port)}`, {
    name: 'mosquitto',
    dir,
    command: 'mosquitto',
    args: ['-c', confPath],
    ready: () => accepts(port),
  });
}

/** The uid and gid of a system user. */
async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const uid = await run('id', ['-u', name]);
  const gid = await run('id', ['-g', name]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A private PostgreSQL 15 cluster, `url` naming its `postgres` database (initdb takes a few seconds: share one per test file), run as
 * the `postgres` user with trust authentication on 127.0.0.1 and its socket in the temp folder.
 */
export async function createPrivatePostgres(): Promise<PrivateService> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-pg-'));
  const data = join(dir, 'data');
  await mkdir(data);
  const user = await systemUser('postgres');
  await chown(dir, user.uid, user.gid);
  await chown(data, user.uid, user.gid);
  await run(
    `${PG_BIN}/initdb`,
    ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'],
    { ...user, timeout: 60_000 },
  );
  const port = await freeTcpPort();
  const url = `postgres://postgres@127.0.0.1:${String(port)}/postgres`;
  return processService(url, {
    name: 'postgres',
    dir,
    command: `${PG_BIN}/postgres`,
    args: [
      ...['-D', data, '-p', String(port), '-k', dir],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
    ],
    user,
    cleanStop: 'SIGINT',
    ready: async () => {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  });
}

/**
 * A private InfluxDB 1.x (`influxd`): a generated config with data, meta and WAL folders under a
 * temp folder, HTTP and the RPC bind address on free 127.0.0.1 ports.
 */
export async function createPrivateInfluxd(): Promise<PrivateService> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-influxd-'));
  const httpPort = await freeTcpPort();
  const rpcPort = await freeTcpPort();
  const confPath = join(dir, 'influxd.conf');
  await writeFile(
    confPath,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${String(rpcPort)}"`,
      '[meta]',
      `  dir = "${join(dir, 'meta')}"`,
      '[data]',
      `  dir = "${join(dir, 'data')}"`,
      `  wal-dir = "${join(dir, 'wal')}"`,
      '  query-log-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${String(httpPort)}"`,
      '  log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[continuous_queries]',
      '  enabled = false',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${String(httpPort)}`;
  return processService(url, {
    name: 'influxd',
    dir,
    command: '/usr/bin/influxd',
    args: ['run', '-config', confPath],
    ready: async () => {
      try {
        const response = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(500) });
        return response.status === 204;
      } catch {
        return false;
      }
    },
  });
}

/**
 * nginx as the reverse proxy in front of an api listening on `upstreamPort` on 127.0.0.1, the way
 * it is deployed: every path passed on unchanged (WebSocket upgrades included), the client's
 * address appended to X-Forwarded-For. It listens on a free 127.0.0.1 port (`url`), as one
 * foreground process (no daemon, no workers: a kill leaves nothing behind, and as root it needs
 * no `user`), with its config, pid, temp files and log in a temp folder.
 */
export async function createPrivateNginx(options: {
  upstreamPort: number;
}): Promise<PrivateService> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-nginx-'));
  const port = await freeTcpPort();
  const config = `
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:${String(port)};
    location / {
      proxy_pass http://127.0.0.1:${String(options.upstreamPort)};
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), config);
  return processService(`http://127.0.0.1:${String(port)}`, {
    name: 'nginx',
    dir,
    command: 'nginx',
    args: ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    ready: () => accepts(port),
  });
}
