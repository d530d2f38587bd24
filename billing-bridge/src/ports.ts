/**
 * The interfaces the billing use-cases need from the outside world; `adapters/` implements them
 * on InfluxDB and PostgreSQL.
 */
import type { BillingExportLine, BillingExportRun } from '@faultline/shared';
import type {
  InterfaceReading,
  OutageRecord,
  PreviousRuns,
  PreviousUsage,
  Reconciliation,
  RunPlan,
} from './core/index.js';

/** Reads interface readings. */
export interface InterfaceReadings {
  /** The readings of one device interface with `fromMs ≤ time < toMs`. */
  read(device: string, iface: string, fromMs: number, toMs: number): Promise<InterfaceReading[]>;
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
  /** True once the run was delivered to the BSS webhook. */
  wasPushed(runId: string): Promise<boolean>;
  /** Records a delivery (idempotent). */
  recordPush(runId: string, status: number): Promise<void>;
}
