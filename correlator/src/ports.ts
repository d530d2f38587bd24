import type {
  Alarm,
  AlarmState,
  FaultEvent,
  Incident,
  IncidentChange,
  Override,
} from '@faultline/shared';
import type { DeliveryJob, PagingJob } from './core/jobs.js';
import type { Destination } from './core/paging/destinations.js';
import type { DeliveryAction } from './core/paging/page-actions.js';
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

/** One batch (an event job) of a partition, under its identity. */
export interface BatchToApply {
  /** `batchJobId(events)`: a redelivery of the same events has the same id. */
  readonly id: string;
  readonly events: readonly FaultEvent[];
}

/** Which alarms a listing returns. */
export type AlarmStateFilter = AlarmState | 'all';

/** The records of alarms (PostgreSQL). */
export interface AlarmStore {
  /**
   * Applies the batches of one partition together, in one transaction under the partition's lock,
   * reducing against the partition's open alarms kept in memory (loaded by its first commit, and
   * again whenever another process wrote the partition since),
   * skipping each batch whose id (`batchJobId`, the digest of its event ids) was applied before:
   * the ids are recorded in the same transaction. `afterCommit` runs after the commit while the
   * partition is still locked, so effects on other systems (the Redis mirror, the live feed)
   * happen in commit order per key even if two correlators briefly both believe they own it. If
   * it fails, the commit stands and the error is rethrown; a redelivery then finds its batches
   * applied, and `afterCommit` runs again with the current state of their keys.
   */
  applyBatch(
    partition: number,
    batches: readonly BatchToApply[],
    afterCommit: (applied: AppliedBatch) => Promise<void>,
  ): Promise<AppliedBatch>;
  /**
   * Forgets the partition's alarms kept in memory (its lease is lost or handed back). Kept, they
   * would still be checked against the partition's version before use; dropped, they free memory.
   */
  dropPartition(partition: number): void;
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

/** One line of an incident's paging record (the `pages` table). */
export interface PageRecord {
  readonly incidentId: string;
  /** Makes the write idempotent: a replay of the same step writes nothing twice. */
  readonly dedupKey: string;
  readonly jobId: string | null;
  readonly action: DeliveryAction | 'acknowledged' | 'escalation';
  readonly step: number | null;
  readonly person: string | null;
  /** The channel type (`webpush`, `email`, `slack`, …), or '' for a note of the escalation. */
  readonly channel: string;
  readonly destination: Destination | null;
  readonly status:
    | 'queued'
    | 'delivered'
    | 'retrying'
    | 'failed'
    | 'gone'
    | 'stopped'
    | 'unrouted'
    | 'unstaffed'
    | 'unreachable';
  readonly detail: string;
}

/** What paging reads and records (PostgreSQL). */
export interface PagingStore {
  /** The incident as it stands now, or undefined. */
  incident(id: string): Promise<Incident | undefined>;
  /** The devices of the incident's root alarms. */
  rootDevices(incident: Incident): Promise<string[]>;
  /** The overrides added through the api that have not ended by `nowMs`. */
  overrides(nowMs: number): Promise<Override[]>;
  /** The ids of a person's Web Push subscriptions. */
  subscriptions(person: string): Promise<string[]>;
  /** Every destination a page of the incident was queued for, each once. */
  pagedDestinations(incidentId: string): Promise<Destination[]>;
  record(entries: readonly PageRecord[]): Promise<void>;
}

/** Where paging work goes (BullMQ). */
export interface PagingQueues {
  /** One job per delivery, under its deterministic id. */
  deliver(jobs: readonly DeliveryJob[]): Promise<void>;
  /** The next escalation step, due in `delayMs`, under a deterministic id. */
  escalateLater(job: Extract<PagingJob, { kind: 'escalate' }>, delayMs: number): Promise<void>;
}

/** How a delivery ended, when it ended: delivered, or the destination no longer exists. */
export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly detail: string }
  | { readonly kind: 'gone'; readonly detail: string };

/**
 * One channel's sender (Web Push, e-mail, Slack, Teams, PagerDuty, signed webhook). It throws
 * when a delivery failed and may succeed later (it is retried with backoff); its messages name
 * the channel and the answer, never a secret or a URL (a Slack URL is a secret).
 */
export interface Notifier {
  send(job: DeliveryJob): Promise<DeliveryOutcome>;
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
  | 'clearedRootAlarms'
  | 'incidentRootKeys'
  | 'earlierFlaps'
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

/**
 * The correlation steps' pace, shared by every correlator: how long the last step anywhere asked
 * the steps to rest. Each correlator is kicked by its own batches and ticks on its own timer, and
 * the correlation lock only keeps two steps from overlapping; without a shared pace N correlators
 * would run the step (which reads every open alarm and incident) back to back, N times as often
 * as one.
 */
export interface StepPace {
  /**
   * Ms until a kicked step may start (`restMs`: the last step's rest) and until a timed one may
   * (`dueMs`: the interval after the last step); 0 when now.
   */
  read(): Promise<{ readonly restMs: number; readonly dueMs: number }>;
  /** A step ended: kicked steps rest `restMs` from now, timed ones `dueMs`. */
  ended(restMs: number, dueMs: number): Promise<void>;
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
