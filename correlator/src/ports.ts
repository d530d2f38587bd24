import type { Alarm, AlarmState, FaultEvent, Incident, IncidentChange } from '@faultline/shared';
import type { AlarmDecision, OpenAlarms } from './core/alarm-reducer.js';
import type { AlarmWrites } from './core/alarm-writes.js';
import type { CorrelationInput, CorrelationPlan } from './core/incidents.js';
import type { OutboxJob } from './core/jobs.js';

/** One batch as committed: what it decided and wrote, and where its keys stand now. */
export interface AppliedBatch {
  readonly decisions: readonly AlarmDecision[];
  readonly writes: AlarmWrites;
  /** Every reduction key the batch read or wrote (problem keys and clear keys), sorted. */
  readonly keys: readonly string[];
  /** The open alarms of those keys after the commit; a key missing here has no open alarm. */
  readonly open: OpenAlarms;
}

/** Which alarms a listing returns. */
export type AlarmStateFilter = AlarmState | 'all';

/** The records of alarms (PostgreSQL). */
export interface AlarmStore {
  /**
   * Applies one batch idempotently, atomically per reduction key: all events of one key commit
   * together (a wide batch may commit its keys in several parts). `afterCommit` runs after each
   * commit while that part's keys are still locked, so effects on other systems (the Redis
   * mirror, the live feed) happen in commit order per key even with several workers. If it fails,
   * the part stays committed and the error is rethrown; a redelivery then finds duplicates, and
   * `afterCommit` runs again with the current state of the keys.
   */
  applyBatch(
    events: readonly FaultEvent[],
    afterCommit: (applied: AppliedBatch) => Promise<void>,
  ): Promise<AppliedBatch>;
  /** Alarms in a state (or all), most recently seen first. */
  listAlarms(filter: {
    readonly state: AlarmStateFilter;
    readonly limit: number;
  }): Promise<Alarm[]>;
  /** One alarm by id, or undefined. */
  getAlarm(id: string): Promise<Alarm | undefined>;
}

/** The hot alarm state (Redis): a mirror of the open alarms and the live change feed. */
export interface HotState {
  /** Mirrors the batch's keys and publishes its changes. */
  mirror(applied: AppliedBatch): Promise<void>;
}

/** What one correlation step reads from the store; the rest of its input is configuration. */
export type StoredCorrelationInput = Pick<
  CorrelationInput,
  | 'alarms'
  | 'incidents'
  | 'outages'
  | 'nowMs'
  | 'flaps'
  | 'resolved'
  | 'resolvedRootAlarms'
  | 'incidentRootKeys'
>;

/** One correlation step's access to the store, inside its transaction. */
export interface CorrelationTx {
  /** The open alarms, incidents and outages, the flaps, and the store's clock (`nowMs`). */
  load(): Promise<StoredCorrelationInput>;
  /**
   * Writes the plan (incidents, annotations, outages, announcements) and its jobs into the outbox;
   * returns the annotated alarms as they stand after the write (for the hot state).
   */
  write(plan: CorrelationPlan, jobs: readonly OutboxJob[], nowMs: number): Promise<Alarm[]>;
  /** Reminders of unacknowledged incidents and auto-clean of stale alarms, at `nowMs`. */
  housekeep(nowMs: number): Promise<void>;
}

/** Where the correlation step's state lives (PostgreSQL). */
export interface CorrelationStore {
  /**
   * Runs `work` in one transaction under the correlation lock (one step at a time across every
   * correlator), committing what it wrote; `skipped` when another process holds the lock.
   */
  inLock<T>(
    work: (tx: CorrelationTx) => Promise<T>,
  ): Promise<{ readonly skipped: true } | { readonly skipped: false; readonly value: T }>;
}

/** The outcome of one correlation step. */
export interface CorrelationStep {
  /** True when another process held the correlation lock: this one did nothing. */
  readonly skipped: boolean;
  readonly plan: CorrelationPlan | undefined;
  /** Alarms whose annotations changed, as they stand after the commit (for the hot state). */
  readonly annotatedAlarms: readonly Alarm[];
  readonly changes: readonly IncidentChange[];
}

/** One incident command's access to the store, inside its transaction. */
export interface IncidentTx {
  /** The incident, locked until the commit; undefined when none has this id. */
  lockIncident(id: string): Promise<Incident | undefined>;
  /** The incident, unlocked; undefined when none has this id. */
  readIncident(id: string): Promise<Incident | undefined>;
  saveIncident(incident: Incident): Promise<void>;
  /** Ends the incident's open outages at `nowIso` (never before they started). */
  endOutages(incidentId: string, nowIso: string): Promise<void>;
  /** Leaves jobs in the outbox, which a running correlator enqueues within a moment. */
  addJobs(jobs: readonly OutboxJob[]): Promise<void>;
}

/** Where incidents live (PostgreSQL). */
export interface IncidentStore {
  /**
   * Runs `work` in one transaction under the correlation lock (so it never races a correlation
   * step), with the store's clock; commits what it wrote, or nothing when it throws.
   */
  inLock<T>(work: (tx: IncidentTx, nowIso: string) => Promise<T>): Promise<T>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Incidents, unresolved first, newest first. */
  listIncidents(filter: {
    readonly state: 'unresolved' | 'all';
    readonly limit: number;
  }): Promise<Incident[]>;
}
