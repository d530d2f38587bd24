/**
 * Follows the collector's readings into the usage ledger: InfluxDB's new points, a time window
 * at a time, each window applied to PostgreSQL in one transaction with the cursor.
 *
 * Why InfluxDB and not a stream from the collector: the raw path (re-rating, evidence) reads
 * InfluxDB, so following InfluxDB gives the ledger the very readings the raw path bills, the same
 * merges of late and duplicate points, and nothing to change in the collector. The window stops
 * `settleMs` before now, so that the collector's buffered and retried writes (its
 * `influx.maxRetryS`) are in before their time is followed; a point written later than that is in
 * the raw path only (docs/billing.md says what to do then: re-rate from the raw readings).
 *
 * Exactness: a window is read, then applied only if the cursor has not moved (several bridges may
 * follow; one applies each window), in one transaction with the buckets, intervals and baselines.
 * A bridge killed mid-window leaves the cursor where it was, and the window is read again.
 */
import type { Logger } from '@faultline/shared';
import { followReadings, seriesKey, type LedgerStep } from '../core/index.js';
import type { ReadingsFeed, SeriesId, SeriesReadings, UsageLedgerStore } from '../ports.js';

/** What the follower needs. */
export interface UsageFollowerDeps {
  readonly feed: ReadingsFeed;
  readonly store: UsageLedgerStore;
  /** The billed device interfaces. */
  readonly series: readonly SeriesId[];
  /** How long after its time a reading is followed. */
  readonly settleMs: number;
  /** Where a new ledger starts: this long before now. */
  readonly backfillMs: number;
  /** The longest window read at once. */
  readonly windowMs: number;
  readonly now: () => number;
  readonly logger: Logger;
}

/** What one catch-up did. */
export interface CatchUp {
  /** Windows applied by this bridge. */
  readonly windows: number;
  /** Readings followed. */
  readonly readings: number;
  /** Where the follower stands now. */
  readonly followedToMs: number;
}

/** The follower. */
export interface UsageFollower {
  /** Follows every window up to `now − settleMs`, or until `stop` is aborted (between windows). */
  catchUp(stop?: AbortSignal): Promise<CatchUp>;
}

/** Creates the follower. */
export function createUsageFollower(deps: UsageFollowerDeps): UsageFollower {
  const followed = new Set(deps.series.map((one) => seriesKey(one.device, one.iface)));
  let begun: Promise<number> | undefined;
  return {
    async catchUp(stop) {
      begun ??= deps.store.begin(deps.series, deps.now() - deps.backfillMs);
      let cursor = await begun.catch((error: unknown) => {
        begun = undefined;
        throw error;
      });
      const untilMs = deps.now() - deps.settleMs;
      let windows = 0;
      let readings = 0;
      while (cursor < untilMs && stop?.aborted !== true) {
        // Windows without a billed reading (a backfill over quiet time) are read on and applied
        // with the next one that has some, or the last.
        let toMs = cursor;
        let found: SeriesReadings[] = [];
        do {
          const fromMs = toMs;
          toMs = Math.min(untilMs, fromMs + deps.windowMs);
          found = (await deps.feed.readBetween(fromMs, toMs)).filter((one) =>
            followed.has(seriesKey(one.device, one.iface)),
          );
        } while (found.length === 0 && toMs < untilMs);
        const applied = await deps.store.applyStep(cursor, toMs, found, (states) => {
          const steps = new Map<string, LedgerStep>();
          for (const one of found) {
            const key = seriesKey(one.device, one.iface);
            const state = states.get(key);
            if (state !== undefined) steps.set(key, followReadings(state, one.readings));
          }
          return steps;
        });
        if (applied) {
          windows++;
          readings += found.reduce((sum, one) => sum + one.readings.length, 0);
          cursor = toMs;
        } else {
          // Another bridge applied this window: go on from where it stands.
          cursor = (await deps.store.followedTo()) ?? cursor;
        }
      }
      if (windows > 0) {
        deps.logger.debug({ windows, readings, followedToMs: cursor }, 'usage ledger followed');
      }
      return { windows, readings, followedToMs: cursor };
    },
  };
}
