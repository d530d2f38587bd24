import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private InfluxDB 1.x server a test may stop and start (never the shared one). */
export interface PrivateInfluxd {
  readonly url: string;
  /** Starts it (again), with the same data, resolving once `/ping` answers. */
  start(): Promise<void>;
  /** Stops it (SIGTERM), resolving once it exited. */
  stop(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

async function freeTcpPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`influxd exited with ${String(child.exitCode)}`);
    try {
      const response = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(500) });
      if (response.status === 204) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('influxd did not answer /ping');
}

/**
 * Creates (not yet started) an `influxd` of its own: a generated config with data, meta and WAL
 * folders under a temp folder, HTTP and the RPC bind address on free 127.0.0.1 ports.
 */
export async function createPrivateInfluxd(): Promise<PrivateInfluxd> {
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
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running?.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  return {
    url,
    async start() {
      if (child !== undefined) return;
      const started = spawn('/usr/bin/influxd', ['run', '-config', confPath], {
        stdio: 'ignore',
      });
      child = started;
      await waitForPing(url, started);
    },
    stop,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
