/**
 * The interfaces the billing use-cases need from the outside world; `adapters/` implements them
 * on InfluxDB and PostgreSQL.
 */
import type { BillingExportLine, BillingExportRun, PagingChannel } from '@faultline/shared';
import type {
  BudgetWarning,
  InterfaceReading,
  LedgerExtent,
  LedgerInterval,
  LedgerSeries,
  LedgerStep,
  OutageRecord,
  PreviousRuns,
  PreviousUsage,
  Reconciliation,
  RunPlan,
  StoredBuckets,
} from './core/index.js';

/** Reads interface readings. */
export interface InterfaceReadings {
  /** The readings of one device interface with `fromMs ≤ time < toMs`. */
  read(device: string, iface: string, fromMs: number, toMs: number): Promise<InterfaceReading[]>;
}

/** One device interface, as the collector tags its `interface` points. */
export interface SeriesId {
  readonly device: string;
  readonly iface: string;
}

/** Readings of one series. */
export interface SeriesReadings extends SeriesId {
  readonly readings: InterfaceReading[];
}

/** Reads every series' new readings, for the usage ledger. */
export interface ReadingsFeed {
  /** The readings with `fromMs ≤ time < toMs`, per device interface, each in time order. */
  readBetween(fromMs: number, toMs: number): Promise<SeriesReadings[]>;
}

/** The usage ledger's store (each series' buckets, no-rate intervals and baseline). */
export interface UsageLedgerStore {
  /**
   * Makes `series` the followed ones: new ones are followed from where the follower stands,
   * others stop being followed. A ledger without a cursor starts at `startMs`. Returns the cursor.
   */
  begin(series: readonly SeriesId[], startMs: number): Promise<number>;
  /** Where the follower stands: every reading before it is in the ledger (null: not begun). */
  followedTo(): Promise<number | null>;
  /**
   * In one transaction, if the follower still stands at `fromMs`: gives `follow` the state of
   * the followed series among `series`, stores the steps it returns and moves the cursor to
   * `toMs`. False when another bridge moved the cursor first (nothing is written).
   */
  applyStep(
    fromMs: number,
    toMs: number,
    series: readonly SeriesId[],
    follow: (states: ReadonlyMap<string, LedgerSeries>) => ReadonlyMap<string, LedgerStep>,
  ): Promise<boolean>;
  /**
   * How far a series is followed (null: it is not), with a period's stored buckets and the
   * no-rate intervals ending or starting inside it (the period on the 5-minute grid).
   */
  readPeriod(
    series: SeriesId,
    fromMs: number,
    toMs: number,
  ): Promise<{ extent: LedgerExtent | null; stored: StoredBuckets; intervals: LedgerInterval[] }>;
}

/** The identity of a customer's period. */
export interface RunScope {
  readonly customerId: string;
  readonly period: string;
  readonly periodStartMs: number;
  readonly periodEndMs: number;
  readonly currency: string;
}

/** What was written (or found) for a run. */
export interface StoredRun {
  readonly run: BillingExportRun;
  readonly lines: readonly BillingExportLine[];
  /** False when the bill was unchanged and the latest run stands. */
  readonly created: boolean;
}

/** The store of billing runs. */
export interface BillingStore {
  readOutages(customerId: string, fromMs: number, toMs: number): Promise<OutageRecord[]>;
  /** The usage the latest run of a period reported, by service (empty without a run). */
  readUsage(customerId: string, period: string): Promise<Map<string, PreviousUsage>>;
  /**
   * Under a per-customer-period lock: reads what earlier runs billed, asks `decide` for the plan
   * and writes it as a new run version, or returns the latest run when the bill is unchanged.
   */
  commitRun(
    scope: RunScope,
    requestedBy: string,
    decide: (previous: PreviousRuns | null) => { plan: RunPlan; reconciliation: Reconciliation },
  ): Promise<StoredRun>;
  readRun(runId: string): Promise<StoredRun | null>;
  /** True once any run is stored (the desk has something to show). */
  hasRuns(): Promise<boolean>;
  /** True once the run was delivered to the BSS webhook. */
  wasPushed(runId: string): Promise<boolean>;
  /** Records a delivery (idempotent). */
  recordPush(runId: string, status: number): Promise<void>;
}

/** The budget warnings sent, one per warning identity (`budgetWarningKey`) and channel. */
export interface BudgetWarningLog {
  /** Records a warning to a channel; false when it was already recorded (sent before). */
  claim(warning: BudgetWarning, channel: string): Promise<boolean>;
  /** Forgets a claim whose sending failed, so that the next live view tries again. */
  release(warning: BudgetWarning, channel: string): Promise<void>;
}

/** Sends a budget warning to one paging channel (slack, teams, webhook or email). */
export type BudgetWarningSender = (channel: PagingChannel, warning: BudgetWarning) => Promise<void>;
