import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/**
 * Ports for the tests' own servers (private Redis, sentinels, relays, SNMP agents, …).
 *
 * They are never taken from the kernel's ephemeral range (`net.ipv4.ip_local_port_range`,
 * 32768–60999 by default): the kernel hands those to every `listen(0)` and every outgoing
 * connection of every test file running beside, so a port found free there could be taken before
 * its server bound it, or while a restart test had its server stopped, and a test would then talk
 * to another test's server. Below that range (above it on a machine whose range starts low), each
 * vitest worker takes from a block of its own, so no two files running at once ever pick the same
 * port, and a port once picked stays unused by anyone else while its server is down.
 */
const BLOCKS = 16;
const LOWEST = 10_000;

function ephemeralRange(): [number, number] {
  try {
    const [low = 32_768, high = 60_999] = readFileSync(
      '/proc/sys/net/ipv4/ip_local_port_range',
      'utf8',
    )
      .trim()
      .split(/\s+/)
      .map(Number);
    return [low, high];
  } catch {
    return [32_768, 60_999];
  }
}

function workerBlock(): { first: number; size: number } {
  const [low, high] = ephemeralRange();
  const [start, end] = low - LOWEST >= BLOCKS * 100 ? [LOWEST, low - 1] : [high + 1, 65_535];
  const size = Math.floor((end - start + 1) / BLOCKS);
  if (size < 16)
    throw new Error(
      `no room for test ports outside the ephemeral range ${String(low)}–${String(high)}`,
    );
  const worker = Number(process.env.VITEST_POOL_ID ?? '0');
  return { first: start + (worker % BLOCKS) * size, size };
}

const block = workerBlock();
// Files of one worker run one after another; each starts somewhere else in the block.
let next = Math.floor(Math.random() * block.size);

function bindsTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

function bindsUdp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => {
      socket.close(() => {
        resolve(true);
      });
    });
  });
}

async function take(binds: (port: number) => Promise<boolean>): Promise<number> {
  for (let tried = 0; tried < block.size; tried += 1) {
    const port = block.first + (next % block.size);
    next += 1;
    if (await binds(port)) return port;
  }
  throw new Error(
    `no free port left in ${String(block.first)}–${String(block.first + block.size - 1)}: a test leaks servers`,
  );
}

/** A TCP port on 127.0.0.1, free now and picked by no other test file running beside this one. */
export function freeTcpPort(): Promise<number> {
  return take(bindsTcp);
}

/** A UDP port on 127.0.0.1, free now and picked by no other test file running beside this one. */
export function freeUdpPort(): Promise<number> {
  return take(bindsUdp);
}
