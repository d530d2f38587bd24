import type {
  Alarm,
  AlarmState,
  Command,
  CommandResult,
  Incident,
  IncidentDetail,
  IncidentState,
} from '@faultline/shared';

/** Which alarms to list. */
export interface AlarmQuery {
  readonly states: readonly AlarmState[];
  readonly limit: number;
  readonly device?: string | undefined;
}

/** Read access to the alarms the correlator records in PostgreSQL. */
export interface AlarmReader {
  /** Alarms in the given states, newest `lastSeen` first. */
  list(query: AlarmQuery): Promise<Alarm[]>;
  /** One alarm by id, or undefined when there is none. */
  get(id: string): Promise<Alarm | undefined>;
}

/** The state of one backing service, as `GET /api/health` reports it. */
export interface ServiceCheck {
  readonly ok: boolean;
  /** Why the check failed; a short, non-secret text. */
  readonly error?: string;
}

/** A probe of one backing service. */
export type HealthProbe = () => Promise<ServiceCheck>;

/** Which incidents to list. */
export interface IncidentQuery {
  readonly states: readonly IncidentState[];
  readonly limit: number;
  /** Text to look for in ids, titles, tickets, people and cut-off devices. */
  readonly search?: string | undefined;
}

/** Read access to the incidents the correlator records in PostgreSQL. */
export interface IncidentReader {
  /** Incidents in the given states: unresolved first, newest first. */
  list(query: IncidentQuery): Promise<Incident[]>;
  /** One incident with its alarms, ticket, timeline and outages, or undefined. */
  detail(id: string): Promise<Omit<IncidentDetail, 'impactedServices'> | undefined>;
}

/** A live feed of one kind of change; `stop` unsubscribes and releases the connection. */
export interface ChangeFeed<T> {
  start(onChange: (change: T) => void): Promise<void>;
  stop(): Promise<void>;
}

/** How a command sent to the correlator ended. */
export type CommandOutcome =
  | { readonly status: 'done'; readonly result: CommandResult }
  /** No correlator answered in time; `withdrawn` tells whether the job was taken back unapplied. */
  | { readonly status: 'timeout'; readonly withdrawn: boolean }
  /** The correlator failed to apply it (a database error, say); details are in its log. */
  | { readonly status: 'failed' };

/** Sends commands to the correlator (the only writer of alarms and incidents) and awaits them. */
export interface CommandSender {
  /** Sends one command; the same `jobId` twice runs it once and answers the same result. */
  send(command: Command, jobId: string): Promise<CommandOutcome>;
  close(): Promise<void>;
}

/** One billing run, as the placeholder billing page lists it. */
export interface BillingRunSummary {
  readonly id: string;
  readonly customerId: string | null;
  readonly periodStart: string | null;
  readonly periodEnd: string | null;
  readonly state: string | null;
}

/** Read access to billing runs, which the billing bridge writes. */
export interface BillingRunReader {
  /** Up to `limit` runs, or undefined when there is no `billing_runs` table yet. */
  list(limit: number): Promise<BillingRunSummary[] | undefined>;
}
