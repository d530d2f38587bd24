import type { AlarmRecord, OpenAlarms } from '../core/alarm-reducer.js';

/** What one commit of a partition did to it, for the memory to take once it is committed. */
export interface PartitionCommit<T> {
  /** The partition's version in PostgreSQL after the commit (`alarm_partitions.version`). */
  readonly version: number;
  /**
   * The partition's open alarms as the commit found them in PostgreSQL, when it had to load
   * them (the memory was not at the version before the commit); absent when it used the memory.
   */
  readonly loaded?: Map<string, AlarmRecord>;
  /** The keys the commit touched, and their open alarms after it (a key absent here has none). */
  readonly keys: readonly string[];
  readonly open: OpenAlarms;
  /** What the commit answers its caller. */
  readonly result: T;
}

/**
 * The open alarms of one partition, kept in memory by the partition's owner, with the version of
 * the partition in PostgreSQL they reflect. Every write of a partition's alarms bumps its version
 * in the same transaction (the owner's commits, a person's acknowledgement, another process that
 * briefly owned it too), so a commit that finds the version one past the memory's knows the
 * memory is PostgreSQL's state, and otherwise loads the partition again.
 */
export interface PartitionAlarms {
  /** The open alarms if they are PostgreSQL's at `version`; undefined when they must be loaded. */
  at(version: number): OpenAlarms | undefined;
  /**
   * Runs one commit (`commit` begins, writes and commits its transaction) and only then takes
   * what it committed. If it throws, nothing is taken and the memory is dropped: a failed commit
   * (COMMIT itself may have failed with its outcome unknown) leaves it reloaded by the next.
   */
  apply<T>(commit: () => Promise<PartitionCommit<T>>): Promise<T>;
  /** Forgets the alarms (the lease is lost or handed back); the next commit loads them. */
  drop(): void;
}

/** An empty memory: its first commit loads the partition. */
export function createPartitionAlarms(): PartitionAlarms {
  let version: number | undefined;
  let open = new Map<string, AlarmRecord>();

  function drop(): void {
    version = undefined;
    open = new Map();
  }

  return {
    at: (wanted) => (version === wanted ? open : undefined),
    async apply<T>(commit: () => Promise<PartitionCommit<T>>): Promise<T> {
      let committed: PartitionCommit<T>;
      try {
        committed = await commit();
      } catch (error) {
        drop();
        throw error;
      }
      if (committed.loaded !== undefined) open = committed.loaded;
      for (const key of committed.keys) {
        const record = committed.open.get(key);
        if (record === undefined) open.delete(key);
        else open.set(key, record);
      }
      version = committed.version;
      return committed.result;
    },
    drop,
  };
}
