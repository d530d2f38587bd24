import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import {
  SOCKET_ERRORS,
  type AlarmChange,
  type BillingLive,
  type ClientToServerEvents,
  type IncidentChange,
  type Logger,
  type ServerToClientEvents,
  type TimelineGrew,
} from '@faultline/shared';
import { authorize } from '../core/authorize.js';
import type { ApiMetrics } from '../app/api-metrics.js';
import { createChangeRelay } from '../app/change-relay.js';
import type { AuthFailureGuard, Principal, TokenVerifier } from '@faultline/shared';

import type { AlarmReader, ChangeFeed, IncidentReader } from '../ports.js';

/** Per-connection data kept by socket.io. */
interface SocketData {
  principal: Principal;
}

/** The socket.io room of connections that have their snapshots and receive live changes. */
const LIVE_ROOM = 'live';
/** The room of connections whose role may read billing: they receive `billing:live`. */
const BILLING_ROOM = 'billing';

/** Live alarm and incident pushes over socket.io, attached to the api's HTTP server. */
export interface LiveUpdates {
  /** Subscribes to the feeds; connections are accepted from attachment on. */
  start(): Promise<void>;
  /** Disconnects every client and stops the feeds; the HTTP server itself is left to its owner. */
  close(): Promise<void>;
}

/** What live pushes need. */
export interface LiveUpdatesDeps {
  readonly server: HttpServer;
  /** A command connection; the adapter's publisher and subscriber are duplicated from it. */
  readonly redis: Redis;
  readonly prefix: string;
  readonly verify: TokenVerifier;
  readonly guard: AuthFailureGuard;
  /** Who a handshake comes from: the same function the HTTP access check counts by. */
  readonly clientAddress: (request: IncomingMessage) => string;
  readonly alarms: AlarmReader;
  readonly incidents: IncidentReader;
  readonly alarmFeed: ChangeFeed<AlarmChange>;
  readonly incidentFeed: ChangeFeed<IncidentChange>;
  /** Live billing views (one per customer) from the billing bridge, for billing/admin sockets. */
  readonly billingFeed?: ChangeFeed<BillingLive> | undefined;
  /** Incidents whose timeline grew (ticket entries, pages), pushed as `incidents:timeline`. */
  readonly timelineFeed?: ChangeFeed<TimelineGrew> | undefined;
  readonly metrics: ApiMetrics;
  readonly logger: Logger;
  /** How often buffered changes are pushed; bounds the message rate a storm can cause. */
  readonly flushIntervalMs?: number | undefined;
  /** The most alarms (and incidents) one snapshot carries, newest first. */
  readonly snapshotLimit?: number | undefined;
}

/** Beyond this many buffered changes the buffer is coalesced early, then its oldest dropped. */
const MAX_BUFFERED = 10_000;

function tokenOf(auth: unknown): string | undefined {
  return typeof auth === 'object' &&
    auth !== null &&
    'token' in auth &&
    typeof auth.token === 'string'
    ? auth.token
    : undefined;
}

/**
 * Attaches socket.io to the HTTP server: connections authenticate with `auth: { token }`, get one
 * `alarms:snapshot` and one `incidents:snapshot` from PostgreSQL, then `alarms:changed` and
 * `incidents:changed` batches relayed from the Redis channels, coalesced and flushed at most
 * every `flushIntervalMs`, or at once when a change is news: any alarm change but a repeat (raised,
 * escalated, cleared, acknowledged), any incident change but an update (opened, acknowledged,
 * resolved).
 *
 * Every api node subscribes to the channels itself, so each node pushes changes only to its own
 * sockets (`io.local`); the Redis adapter is there for rooms and emits that must span nodes. A
 * connection does not join the live room until its snapshots are sent; changes that arrive while
 * they are being read are kept for it and sent right after, so nothing falls in the gap.
 */
export function createLiveUpdates(deps: LiveUpdatesDeps): LiveUpdates {
  const { logger, metrics } = deps;
  const flushIntervalMs = deps.flushIntervalMs ?? 200;
  // A NOC in a storm may hold 10,000 open alarms; the dashboard renders only the rows in view.
  const snapshotLimit = deps.snapshotLimit ?? 20_000;

  // The Redis adapter subscribes (and publishes) without handling a rejection. With ioredis's
  // retry limit, a Redis that is down when the api starts rejects the subscription and the
  // unhandled rejection ends the process; without the limit the commands wait for Redis.
  const pub = deps.redis.duplicate({ maxRetriesPerRequest: null });
  const sub = deps.redis.duplicate({ maxRetriesPerRequest: null });
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
    const address = deps.clientAddress(socket.request);
    deps.guard
      .isBlocked(address)
      .then(async (blocked) => {
        if (blocked) {
          next(new Error(SOCKET_ERRORS.rateLimited));
          return;
        }
        const token = tokenOf(socket.handshake.auth);
        const principal = deps.verify(token);
        if (principal === undefined) {
          if (token !== undefined) await deps.guard.recordFailure(address);
          next(new Error(SOCKET_ERRORS.unauthorized));
          return;
        }
        if (!authorize(principal.role, 'live:subscribe').allowed) {
          next(new Error(SOCKET_ERRORS.forbidden));
          return;
        }
        socket.data.principal = principal;
        next();
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'socket.io handshake check failed');
        next(new Error('internal error'));
      });
  });

  const alarmRelay = createChangeRelay<AlarmChange>({
    keyOf: (change) => change.alarm.id,
    emit: (batch) => {
      io.local.to(LIVE_ROOM).emit('alarms:changed', batch);
      metrics.countRelayed(batch.length);
    },
    flushIntervalMs,
    isUrgent: (change) => change.kind !== 'repeated',
    maxBuffered: MAX_BUFFERED,
    onDropped: () => {
      metrics.countDropped();
    },
  });
  const incidentRelay = createChangeRelay<IncidentChange>({
    keyOf: (change) => change.incident.id,
    emit: (batch) => {
      io.local.to(LIVE_ROOM).emit('incidents:changed', batch);
      metrics.countRelayed(batch.length);
    },
    flushIntervalMs,
    isUrgent: (change) => change.kind !== 'updated',
    maxBuffered: MAX_BUFFERED,
    onDropped: () => {
      metrics.countDropped();
    },
  });

  // The latest view of each customer, so a billing socket sees every customer at once instead
  // of waiting for the bridge's next publication.
  const latestBilling = new Map<string, BillingLive>();

  io.on('connection', (socket) => {
    metrics.socketConnected();
    const log = logger.child({ socket: socket.id, principal: socket.data.principal.name });
    log.debug('live client connected');
    if (authorize(socket.data.principal.role, 'billing:read').allowed) {
      for (const live of latestBilling.values()) socket.emit('billing:live', live);
      void socket.join(BILLING_ROOM);
    }
    alarmRelay.hold(socket.id);
    incidentRelay.hold(socket.id);
    socket.on('disconnect', (reason) => {
      alarmRelay.forget(socket.id);
      incidentRelay.forget(socket.id);
      metrics.socketDisconnected();
      log.debug({ reason }, 'live client disconnected');
    });
    Promise.all([
      deps.alarms.list({ states: ['active', 'acknowledged'], limit: snapshotLimit }),
      deps.incidents.list({ states: ['open', 'acknowledged'], limit: snapshotLimit }),
    ])
      .then(([alarms, incidents]) => {
        const keptAlarms = alarmRelay.release(socket.id);
        const keptIncidents = incidentRelay.release(socket.id);
        // Disconnected while the snapshots were being read.
        if (keptAlarms === undefined || keptIncidents === undefined) return;
        socket.emit('alarms:snapshot', alarms);
        socket.emit('incidents:snapshot', incidents);
        if (keptAlarms.length > 0) socket.emit('alarms:changed', keptAlarms);
        if (keptIncidents.length > 0) socket.emit('incidents:changed', keptIncidents);
        void socket.join(LIVE_ROOM);
      })
      .catch((error: unknown) => {
        // The client reconnects and asks again; a partial view would be worse than none.
        log.error({ err: error }, 'live snapshot failed; disconnecting client');
        socket.disconnect(true);
      });
  });

  return {
    async start() {
      await deps.alarmFeed.start((change) => {
        alarmRelay.push(change);
      });
      await deps.incidentFeed.start((change) => {
        incidentRelay.push(change);
      });
      await deps.billingFeed?.start((live) => {
        latestBilling.set(live.customerId, live);
        io.local.to(BILLING_ROOM).emit('billing:live', live);
      });
      await deps.timelineFeed?.start((grew) => {
        io.local.to(LIVE_ROOM).emit('incidents:timeline', grew);
      });
    },
    async close() {
      alarmRelay.close();
      incidentRelay.close();
      await Promise.allSettled([
        deps.alarmFeed.stop(),
        deps.incidentFeed.stop(),
        deps.billingFeed?.stop(),
        deps.timelineFeed?.stop(),
      ]);
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
