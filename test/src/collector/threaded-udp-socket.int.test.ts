import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ThreadedUdpSocket } from '@faultline/collector';
import { EVENTUALLY } from '../support/services.js';

/** Sends `count` datagrams to 127.0.0.1:`port` from another process, and waits for it to end. */
function sendFromAnotherProcess(port: number, count: number): void {
  const script = `
    const socket = require('node:dgram').createSocket('udp4');
    let left = ${String(count)};
    for (let n = 0; n < ${String(count)}; n++)
      socket.send(Buffer.from('datagram ' + n), ${String(port)}, '127.0.0.1', () => {
        if (--left === 0) socket.close();
      });`;
  const result = spawnSync(process.execPath, ['-e', script], { timeout: 10_000 });
  if (result.status !== 0) throw new Error(`sender failed: ${result.stderr.toString()}`);
}

const ignore = (): void => undefined;

function closed(socket: ThreadedUdpSocket): Promise<void> {
  return new Promise((resolve) => {
    socket.close(() => {
      resolve();
    });
  });
}

describe('a UDP socket read by its own thread', () => {
  const opened: ThreadedUdpSocket[] = [];

  afterEach(async () => {
    await Promise.all(opened.map((socket) => closed(socket)));
    opened.length = 0;
  });

  async function listening(maxBacklog: number, onOverflow: (count: number) => void = ignore) {
    const socket = new ThreadedUdpSocket({
      type: 'udp4',
      recvBufferSize: 1 << 20,
      maxBacklog,
      onOverflow,
    });
    opened.push(socket);
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return socket;
  }

  it('takes datagrams while the main thread is blocked, keeping the backlog bound and counting the rest', async () => {
    let overflowed = 0;
    const socket = await listening(10, (count) => {
      overflowed += count;
    });
    const received: string[] = [];
    socket.on('message', (message: Buffer, rinfo: dgram.RemoteInfo) => {
      expect(rinfo.address).toBe('127.0.0.1');
      received.push(message.toString());
    });
    // spawnSync blocks this thread while the other process sends: only the socket's thread reads.
    sendFromAnotherProcess(socket.address().port, 50);
    await expect.poll(() => received.length + overflowed, EVENTUALLY).toBe(50);
    expect(received).toHaveLength(10);
    expect(received).toEqual(Array.from({ length: 10 }, (_, n) => `datagram ${String(n)}`));
    expect(overflowed).toBe(40);
  });

  it('sends replies from the bound port', async () => {
    const socket = await listening(100);
    const peer = dgram.createSocket('udp4');
    peer.bind(0, '127.0.0.1');
    await once(peer, 'listening');
    const reply = once(peer, 'message') as Promise<[Buffer, dgram.RemoteInfo]>;
    const sent = new Promise<number | undefined>((resolve, reject) => {
      socket.send(
        Buffer.from('xxreplyxx'),
        2,
        5,
        peer.address().port,
        '127.0.0.1',
        (error, bytes) => {
          if (error) reject(error);
          else resolve(bytes);
        },
      );
    });
    const [message, rinfo] = await reply;
    expect(message.toString()).toBe('reply');
    expect(rinfo.port).toBe(socket.address().port);
    expect(await sent).toBe(5);
    peer.close();
  });

  it('reports a port already taken as an error, and still closes', async () => {
    const first = await listening(100);
    const second = new ThreadedUdpSocket({
      type: 'udp4',
      recvBufferSize: 1 << 20,
      maxBacklog: 100,
      onOverflow: ignore,
    });
    second.bind(first.address().port, '127.0.0.1');
    const [error] = (await once(second, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('EADDRINUSE');
    await closed(second);
  });
});
