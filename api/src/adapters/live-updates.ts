import type { Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import {
  SOCKET_ERRORS,
  type AlarmChange,
  type ClientToServerEvents,
  type Logger,
  type ServerToClientEvents,
} from '@faultline/shared';
import { authorize } from '../core/authorize.js';
import { coalesceChanges } from '../core/coalesce-changes.js';
import type { ApiMetrics } from '../app/api-metrics.js';
import type { Principal, TokenVerifier } from '../app/token-verifier.js';
import type { AlarmChangeFeed, AlarmReader } from '../ports.js';

/** Per-connection data kept by socket.io. */
interface SocketData {
  principal: Principal;
}

/** The socket.io room of connections that have their snapshot and receive live changes. */
const LIVE_ROOM = 'alarms:live';

/** Live alarm pushes over socket.io, attached to the api's HTTP server. */
export interface LiveAlarms {
  /** Subscribes to the alarm feed; connections are accepted from attachment on. */
  start(): Promise<void>;
  /** Disconnects every client and stops the feed; the HTTP server itself is left to its owner. */
  close(): Promise<void>;
}

/** What live alarm pushes need. */
export interface LiveAlarmsDeps {
  readonly server: HttpServer;
  /** A command connection; the adapter's publisher and subscriber are duplicated from it. */
  readonly redis: Redis;
  readonly prefix: string;
  readonly verify: TokenVerifier;
  readonly alarms: AlarmReader;
  readonly feed: AlarmChangeFeed;
  readonly metrics: ApiMetrics;
  readonly logger: Logger;
  /** How often buffered changes are pushed; bounds the message rate a storm can cause. */
  readonly flushIntervalMs?: number | undefined;
  /** The most alarms one snapshot carries, newest first. */
  readonly snapshotLimit?: number | undefined;
}

/** Beyond this many buffered changes the buffer is coalesced early, then its oldest dropped. */
const MAX_BUFFERED = 10_000;

/**
 * Attaches socket.io to the HTTP server: connections authenticate with `auth: { token }`, get one
 * `alarms:snapshot` from PostgreSQL, then `alarms:changed` batches relayed from the Redis alarm
 * channel, coalesced and flushed at most every `flushIntervalMs`.
 *
 * Every api node subscribes to the alarm channel itself, so each node pushes changes only to its
 * own sockets (`io.local`); the Redis adapter is there for rooms and emits that must span nodes.
 * A connection does not join the live room until its snapshot is sent; changes that arrive while
 * its snapshot is being read are kept for it and sent right after, so nothing falls in the gap.
 */
export function createLiveAlarms(deps: LiveAlarmsDeps): LiveAlarms {
  const { logger, metrics } = deps;
  const flushIntervalMs = deps.flushIntervalMs ?? 200;
  const snapshotLimit = deps.snapshotLimit ?? 5000;

  const pub = deps.redis.duplicate();
  const sub = deps.redis.duplicate();
  for (const [role, connection] of [
    ['publisher', pub],
    ['subscriber', sub],
  ] as const) {
    connection.on('error', (error: unknown) => {
      logger.warn({ err: error, role }, 'socket.io adapter redis connection error');
    });
  }

  const io = new Server<
    ClientToServerEvents,
    ServerToClientEvents,
    Record<string, never>,
    SocketData
  >(deps.server, {
    serveClient: false,
    // Clients only listen; a small cap keeps a misbehaving one from pushing large frames.
    maxHttpBufferSize: 16 * 1024,
    adapter: createAdapter(pub, sub, { key: `${deps.prefix}:socket.io` }),
  });

  // Upgraded (WebSocket) connections, so close can end them for sure: a WebSocket's closing
  // handshake may wait for a peer that never answers, and the HTTP server's close waits on it.
  const upgraded = new Set<Duplex>();
  const onUpgrade = (_request: unknown, socket: Duplex): void => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  };
  deps.server.on('upgrade', onUpgrade);

  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token =
      typeof auth === 'object' && auth !== null && 'token' in auth && typeof auth.token === 'string'
        ? auth.token
        : undefined;
    const principal = deps.verify(token);
    if (principal === undefined) {
      next(new Error(SOCKET_ERRORS.unauthorized));
      return;
    }
    if (!authorize(principal.role, 'live:subscribe').allowed) {
      next(new Error(SOCKET_ERRORS.forbidden));
      return;
    }
    socket.data.principal = principal;
    next();
  });

  let buffer: AlarmChange[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** Changes kept for connections whose snapshot is being read, by socket id. */
  const awaitingSnapshot = new Map<string, AlarmChange[]>();

  const flush = (): void => {
    timer = undefined;
    if (buffer.length === 0) return;
    const batch = coalesceChanges(buffer);
    buffer = [];
    io.local.to(LIVE_ROOM).emit('alarms:changed', batch);
    metrics.countRelayed(batch.length);
  };

  const onChange = (change: AlarmChange): void => {
    buffer.push(change);
    if (buffer.length > MAX_BUFFERED) {
      buffer = coalesceChanges(buffer);
      while (buffer.length > MAX_BUFFERED) {
        buffer.shift();
        metrics.countDropped();
      }
    }
    for (const kept of awaitingSnapshot.values()) kept.push(change);
    timer ??= setTimeout(flush, flushIntervalMs);
  };

  io.on('connection', (socket) => {
    metrics.socketConnected();
    const log = logger.child({ socket: socket.id, principal: socket.data.principal.name });
    log.debug('live client connected');
    awaitingSnapshot.set(socket.id, []);
    socket.on('disconnect', (reason) => {
      awaitingSnapshot.delete(socket.id);
      metrics.socketDisconnected();
      log.debug({ reason }, 'live client disconnected');
    });
    deps.alarms
      .list({ states: ['active', 'acknowledged'], limit: snapshotLimit })
      .then((alarms) => {
        const kept = awaitingSnapshot.get(socket.id);
        if (kept === undefined) return; // Disconnected while the snapshot was being read.
        awaitingSnapshot.delete(socket.id);
        socket.emit('alarms:snapshot', alarms);
        if (kept.length > 0) socket.emit('alarms:changed', coalesceChanges(kept));
        void socket.join(LIVE_ROOM);
      })
      .catch((error: unknown) => {
        // The client reconnects and asks again; a partial view would be worse than none.
        log.error({ err: error }, 'alarm snapshot failed; disconnecting client');
        socket.disconnect(true);
      });
  });

  return {
    async start() {
      await deps.feed.start(onChange);
    },
    async close() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await deps.feed.stop();
      // Closing the engine ends every client connection (long-polling and WebSocket alike), so
      // the HTTP server's own close is not held open by upgraded sockets. io.close() is avoided
      // because it also closes the HTTP server, which fastify owns.
      io.local.disconnectSockets(true);
      io.engine.close();
      deps.server.off('upgrade', onUpgrade);
      for (const socket of upgraded) socket.destroy();
      upgraded.clear();
      await io.of('/').adapter.close();
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
