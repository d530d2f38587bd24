import type { Alarm, AlarmState, FaultEvent } from '@faultline/shared';
import type { AlarmDecision, OpenAlarms } from './core/alarm-reducer.js';
import type { AlarmWrites } from './core/alarm-writes.js';

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
