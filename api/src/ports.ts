import type { Alarm, AlarmChange, AlarmState } from '@faultline/shared';

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

/** A live feed of alarm changes; `stop` unsubscribes and releases the connection. */
export interface AlarmChangeFeed {
  start(onChanges: (change: AlarmChange) => void): Promise<void>;
  stop(): Promise<void>;
}
