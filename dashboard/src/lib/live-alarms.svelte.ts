import { io, type Socket } from 'socket.io-client';
import type {
  AlarmChange,
  BillingLive,
  ClientToServerEvents,
  Incident,
  SOCKET_ERRORS,
  ServerToClientEvents,
  Severity,
} from '@faultline/shared';
import {
  applyIncidentChanges,
  applyIncidentSnapshot,
  sortIncidents,
  type IncidentMap,
  type Page,
} from './incident-list.js';
import {
  applyChanges,
  applySnapshot,
  expireCleared,
  severityTotals,
  sortEntries,
  type AlarmEntry,
} from './alarm-list.js';

/** Where the live feed stands, for the banner. */
export type ConnectionState = 'connecting' | 'live' | 'disconnected' | 'refused';

const UNAUTHORIZED: (typeof SOCKET_ERRORS)['unauthorized'] = 'unauthorized';
const FORBIDDEN: (typeof SOCKET_ERRORS)['forbidden'] = 'forbidden';
const RATE_LIMITED: (typeof SOCKET_ERRORS)['rateLimited'] = 'rate-limited';

/** How long a cleared alarm stays on screen, struck through, before it goes. */
export const CLEARED_RETENTION_MS = 10 * 60_000;
/** Wait before reconnecting after the server closed the connection itself. */
const SERVER_CLOSE_RETRY_MS = 3000;
/** Wait before reconnecting after too many refused tokens from this address. */
const RATE_LIMITED_RETRY_MS = 60_000;

/**
 * The live alarms and incidents of a signed-in browser: one socket.io connection that applies
 * the snapshots and each change batch to `entries` and `incidents`. Data stays on screen while
 * disconnected; `state` and `lastUpdateMs` let the views say how old it is. Every page shares it.
 */
export class LiveAlarms {
  entries = $state.raw<AlarmEntry[]>([]);
  // Replaced whole on every batch ($state.raw), never mutated: a plain Map is right here.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  incidents = $state.raw<IncidentMap>(new Map());
  /** Grows with every incident change, so pages showing one incident know to reload it. */
  incidentRevision = $state(0);
  /**
   * Per incident id, grows whenever its timeline grew after its change (a ticket entry, a page):
   * its page reads the detail again.
   */
  timelineRevisions = $state<Record<string, number>>({});
  state = $state<ConnectionState>('connecting');
  /** When the last snapshot or change arrived (local epoch ms), or null before the first. */
  lastUpdateMs = $state<number | null>(null);
  /** When the connection was lost (local epoch ms), or null while live. */
  lostAtMs = $state<number | null>(null);

  readonly sorted = $derived(sortEntries(this.entries));
  readonly totals: Map<Severity, number> = $derived(severityTotals(this.entries));
  readonly sortedIncidents: Incident[] = $derived(sortIncidents(this.incidents.values()));
  readonly alarmsById: Map<string, AlarmEntry> = $derived(
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt per derivation
    new Map(this.entries.map((entry) => [entry.alarm.id, entry])),
  );
  /** The live billing view of each customer (billing and admin roles only), by customer id. */
  // Replaced whole on every message ($state.raw), never mutated.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  billing = $state.raw<Map<string, BillingLive>>(new Map());
  /** Called with each page (incident opened, or paged again) while the page is open (notifications). */
  onPage: ((page: Page) => void) | undefined;

  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  /**
   * Alarm changes received since the last frame: a storm's batches are applied together once per
   * animation frame (one sort and one render of the table), not one by one.
   */
  #pendingChanges: (readonly AlarmChange[])[] = [];
  #frame: number | undefined;
  #expiry: ReturnType<typeof setInterval> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;

  /** Connects with the token; `onRefused` is called when the server rejects it. */
  connect(token: string, onRefused: (reason: string) => void): void {
    this.disconnect();
    this.state = 'connecting';
    // WebSocket only: no long-polling fallback, so several api nodes need no sticky sessions.
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      auth: { token },
      transports: ['websocket'],
    });
    this.#socket = socket;
    socket.on('connect', () => {
      this.state = 'live';
      this.lostAtMs = null;
    });
    socket.on('alarms:snapshot', (alarms) => {
      // Changes that came before the snapshot stay before it.
      this.#applyPendingChanges();
      const now = Date.now();
      this.entries = applySnapshot(this.entries, alarms, now);
      this.lastUpdateMs = now;
    });
    socket.on('alarms:changed', (changes) => {
      this.#pendingChanges.push(changes);
      if (this.#frame !== undefined) return;
      // A hidden tab gets no animation frames: it applies them at once.
      if (document.hidden) this.#applyPendingChanges();
      else {
        this.#frame = requestAnimationFrame(() => {
          this.#applyPendingChanges();
        });
      }
    });
    socket.on('incidents:snapshot', (incidents) => {
      this.incidents = applyIncidentSnapshot(incidents);
      this.incidentRevision += 1;
      this.lastUpdateMs = Date.now();
    });
    socket.on('incidents:changed', (changes) => {
      const { incidents, paged } = applyIncidentChanges(this.incidents, changes);
      this.incidents = incidents;
      this.incidentRevision += 1;
      this.lastUpdateMs = Date.now();
      for (const page of paged) this.onPage?.(page);
    });
    socket.on('incidents:timeline', ({ incidentId }) => {
      this.timelineRevisions[incidentId] = (this.timelineRevisions[incidentId] ?? 0) + 1;
    });
    socket.on('billing:live', (live) => {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, never mutated
      this.billing = new Map(this.billing).set(live.customerId, live);
    });
    socket.on('connect_error', (error) => {
      if (error.message === UNAUTHORIZED || error.message === FORBIDDEN) {
        this.state = 'refused';
        onRefused(error.message);
        return;
      }
      this.#markLost();
      // A refusal by the server's middleware (rate-limited, internal error) is not retried by
      // socket.io itself, unlike a transport failure: try again later.
      if (!socket.active) {
        const delayMs =
          error.message === RATE_LIMITED ? RATE_LIMITED_RETRY_MS : SERVER_CLOSE_RETRY_MS;
        this.#retry = setTimeout(() => socket.connect(), delayMs);
      }
    });
    socket.on('disconnect', (reason) => {
      this.#markLost();
      // After a server-side close socket.io does not reconnect by itself.
      if (reason === 'io server disconnect') {
        this.#retry = setTimeout(() => socket.connect(), SERVER_CLOSE_RETRY_MS);
      }
    });
    this.#expiry = setInterval(() => {
      const kept = expireCleared(this.entries, Date.now(), CLEARED_RETENTION_MS);
      if (kept.length !== this.entries.length) this.entries = kept;
    }, 5000);
  }

  disconnect(): void {
    this.#applyPendingChanges();
    if (this.#expiry !== undefined) clearInterval(this.#expiry);
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#expiry = undefined;
    this.#retry = undefined;
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = undefined;
  }

  #applyPendingChanges(): void {
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
    if (this.#pendingChanges.length === 0) return;
    const changes = this.#pendingChanges;
    this.#pendingChanges = [];
    const now = Date.now();
    this.entries = applyChanges(this.entries, changes.flat(), now);
    this.lastUpdateMs = now;
  }

  #markLost(): void {
    if (this.state === 'refused') return;
    this.state = 'disconnected';
    this.lostAtMs ??= Date.now();
  }
}
