import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import type { RemoteInfo, SocketType } from 'node:dgram';
import { Worker } from 'node:worker_threads';

/**
 * A UDP socket read by a thread of its own. The thread does nothing but take datagrams off the
 * socket and hand them over in batches, so a busy main loop (decoding a storm, applying event
 * batches in the one-process system) never leaves the kernel's socket buffer to overflow: libuv
 * reads at most 32 datagrams per loop turn, and a long turn used to cost traps.
 *
 * What the main thread has not taken yet waits in memory, up to `maxBacklog` datagrams; past that
 * the thread drops what it reads and counts it (`overflowed`), a bounded loss that is told.
 *
 * It is a drop-in for what net-snmp's receiver uses of a `dgram` socket (through its
 * `dgramModule` hook): `bind`, `send`, `address`, `close`, and the `listening`, `message`,
 * `error` and `close` events.
 */
export interface ThreadedSocketOptions {
  readonly type: SocketType;
  readonly recvBufferSize: number;
  /** Most datagrams handed over and not yet taken by the main thread. */
  readonly maxBacklog: number;
  /** Told of each datagram the thread had to drop because the backlog was full. */
  readonly onOverflow: (count: number) => void;
}

/** The reading thread's nice value where it may be raised (0 is the default, -20 the highest). */
export const READER_NICE = -10;

/** Datagrams per hand-over: large enough to amortize the message, small enough to stay prompt. */
const BATCH = 256;

// The thread's code, as plain JavaScript so it runs from the TypeScript sources (tests) and the
// build alike. Messages in: bind, send, taken (the main thread processed n), close.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const dgram = require('node:dgram');
const socket = dgram.createSocket({ type: workerData.type, recvBufferSize: workerData.recvBufferSize });
// Where allowed (root or CAP_SYS_NICE), this thread runs at a higher priority than the rest of the
// machine, so a storm that keeps every core busy does not leave the socket's buffer unread; on
// Linux a nice value belongs to a thread, so only this one is raised. Elsewhere it stays as is.
try {
  require('node:os').setPriority(${String(READER_NICE)});
} catch {}
let batch = [];
let scheduled = false;
let outstanding = 0;
let overflowed = 0;
const flush = () => {
  scheduled = false;
  if (overflowed > 0) {
    parentPort.postMessage({ kind: 'overflow', count: overflowed });
    overflowed = 0;
  }
  if (batch.length === 0) return;
  parentPort.postMessage({ kind: 'messages', batch });
  batch = [];
};
socket.on('message', (message, rinfo) => {
  if (outstanding >= workerData.maxBacklog) overflowed += 1;
  else {
    outstanding += 1;
    // A copy of exactly the datagram: the clone carries no more than its own bytes.
    batch.push([new Uint8Array(message), rinfo.address, rinfo.family, rinfo.port, rinfo.size]);
  }
  if (batch.length >= ${String(BATCH)}) flush();
  else if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
socket.on('listening', () => {
  parentPort.postMessage({
    kind: 'listening',
    address: socket.address(),
    recvBufferSize: socket.getRecvBufferSize(),
  });
});
socket.on('error', (error) => {
  parentPort.postMessage({ kind: 'error', message: error.message, code: error.code });
});
socket.on('close', () => {
  flush();
  parentPort.postMessage({ kind: 'close' });
  parentPort.close();
});
parentPort.on('message', (command) => {
  if (command.kind === 'bind') socket.bind(command.port, command.address);
  else if (command.kind === 'taken') outstanding -= command.count;
  else if (command.kind === 'send') {
    socket.send(command.buffer, command.port, command.address, (error) => {
      parentPort.postMessage({ kind: 'sent', id: command.id, message: error ? error.message : undefined });
    });
  } else if (command.kind === 'close') socket.close();
});
`;

type FromThread =
  | { kind: 'messages'; batch: [Uint8Array, string, 'IPv4' | 'IPv6', number, number][] }
  | { kind: 'overflow'; count: number }
  | { kind: 'listening'; address: AddressInfo; recvBufferSize: number }
  | { kind: 'error'; message: string; code?: string }
  | { kind: 'sent'; id: number; message?: string }
  | { kind: 'close' };

type SendCallback = (error: Error | null, bytes?: number) => void;

export class ThreadedUdpSocket extends EventEmitter {
  readonly #worker: Worker;
  readonly #sends = new Map<number, { callback: SendCallback; bytes: number }>();
  #nextSend = 0;
  #bound: AddressInfo | undefined;
  #recvBufferSize = 0;

  constructor(options: ThreadedSocketOptions) {
    super();
    this.#worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        type: options.type,
        recvBufferSize: options.recvBufferSize,
        maxBacklog: options.maxBacklog,
      },
    });
    this.#worker.on('message', (message: FromThread) => {
      this.#handle(message, options);
    });
    this.#worker.on('error', (error) => this.emit('error', error));
  }

  #handle(message: FromThread, options: ThreadedSocketOptions): void {
    switch (message.kind) {
      case 'messages': {
        for (const [bytes, address, family, port, size] of message.batch) {
          const rinfo: RemoteInfo = { address, family, port, size };
          const datagram = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          this.emit('message', datagram, rinfo);
        }
        this.#worker.postMessage({ kind: 'taken', count: message.batch.length });
        return;
      }
      case 'overflow':
        options.onOverflow(message.count);
        return;
      case 'listening':
        this.#bound = message.address;
        this.#recvBufferSize = message.recvBufferSize;
        this.emit('listening');
        return;
      case 'error':
        this.emit('error', Object.assign(new Error(message.message), { code: message.code }));
        return;
      case 'sent': {
        const pending = this.#sends.get(message.id);
        this.#sends.delete(message.id);
        if (message.message === undefined) pending?.callback(null, pending.bytes);
        else pending?.callback(new Error(message.message));
        return;
      }
      case 'close':
        this.#bound = undefined;
        this.emit('close');
    }
  }

  bind(port: number, address?: string): this {
    this.#worker.postMessage({ kind: 'bind', port, address });
    return this;
  }

  /** As `dgram`'s `send(buffer, offset, length, port, address, callback)`. */
  send(
    buffer: Buffer,
    offset: number,
    length: number,
    port: number,
    address: string,
    callback?: SendCallback,
  ): void {
    const id = this.#nextSend++;
    if (callback !== undefined) this.#sends.set(id, { callback, bytes: length });
    const bytes = Buffer.from(buffer.subarray(offset, offset + length));
    this.#worker.postMessage({ kind: 'send', id, buffer: bytes, port, address });
  }

  address(): AddressInfo {
    if (this.#bound === undefined) throw new Error('socket is not bound');
    return this.#bound;
  }

  getRecvBufferSize(): number {
    return this.#recvBufferSize;
  }

  close(callback?: () => void): this {
    if (callback !== undefined) this.once('close', callback);
    this.#worker.postMessage({ kind: 'close' });
    return this;
  }
}
