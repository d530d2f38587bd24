import type { Alarm, AlarmChange } from './alarm.js';
import type { BillingLive } from './billing.js';
import type { Incident, IncidentChange, TimelineGrew } from './incident.js';

/**
 * Events the api pushes to dashboards over socket.io. After a successful handshake the server
 * sends one `alarms:snapshot` (every alarm that is not cleared) and one `incidents:snapshot`
 * (every incident that is not resolved), then `alarms:changed` and `incidents:changed` batches in
 * publication order; a client applies each snapshot first and each batch after it.
 */
export interface ServerToClientEvents {
  /** Every alarm that is not cleared, newest `lastSeen` first, sent once per connection. */
  'alarms:snapshot': (alarms: Alarm[]) => void;
  /** Alarm changes since the previous batch, oldest first; at most one entry per alarm id. */
  'alarms:changed': (changes: AlarmChange[]) => void;
  /** Every incident that is not resolved, newest first, sent once per connection. */
  'incidents:snapshot': (incidents: Incident[]) => void;
  /** Incident changes since the previous batch, oldest first; at most one entry per incident id. */
  'incidents:changed': (changes: IncidentChange[]) => void;
  /** An incident's timeline grew (a ticket entry, a page): its detail is worth reading again. */
  'incidents:timeline': (grew: TimelineGrew) => void;
  /**
   * The live billing view of one customer (current period), to sockets whose role may read
   * billing only: the latest of each customer right after connecting, then each one published.
   */
  'billing:live': (live: BillingLive) => void;
}

/** Events dashboards send to the api. None: commands go through the REST API. */
export type ClientToServerEvents = Record<string, never>;

/** What a client sends in the socket.io handshake (`io(url, { auth })`). */
export interface SocketAuth {
  /** The same bearer token the REST API accepts. A secret: never logged. */
  token: string;
}

/** Socket.io connection errors the api reports in `connect_error` (`error.message`). */
export const SOCKET_ERRORS = {
  /** No token, or a token that matches no configured one. Retrying with it is pointless. */
  unauthorized: 'unauthorized',
  /** The token is valid but its role may not receive live alarms. */
  forbidden: 'forbidden',
  /** Too many failed sign-ins from this address; wait a minute. */
  rateLimited: 'rate-limited',
} as const;
