import type {
  Alarm,
  BillingAction,
  BillingLive,
  CarePeriodCredits,
  AlarmState,
  BillingExportLine,
  BillingExportRun,
  BillingJobOutcome,
  BillingRunProgress,
  BillingRunRequest,
  Command,
  CommandResult,
  Incident,
  IncidentDetail,
  IncidentState,
  Override,
  PagingKeys,
  PushSubscriptionJson,
  StatusLink,
  TimelineEntry,
} from '@faultline/shared';
import type { AdjustmentRequest } from './core/billing-review.js';
import type { PolledInterfaceNow } from './core/network-health.js';

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

/** One billing run as listed: the stored run with its line and held counts. */
export interface BillingRunSummary extends BillingExportRun {
  readonly lineCount: number;
  readonly heldCount: number;
  readonly requestedBy: string;
  /** The run's SLA credits (billed lines under SLA credit keys, this version's), major units. */
  readonly totalCredits: string;
}

/** One line of a run with what it was computed from (jsonb, shapes in docs/billing.md). */
export interface BillingRunDetailLine extends BillingExportLine {
  readonly evidence: unknown;
  /** Usage lines only. */
  readonly coverage: unknown;
}

/** One run with its lines and reconciliation. */
export interface BillingRunDetail {
  readonly run: BillingRunSummary;
  readonly lines: BillingRunDetailLine[];
  readonly reconciliation: unknown;
}

/** Read access to billing runs, which the billing bridge writes. */
export interface BillingRunReader {
  /**
   * Runs newest first, filtered by period and customer, at most `limit`; undefined when there is
   * no `billing_runs` table yet (the billing bridge creates it).
   */
  list(filter: {
    readonly period?: string | undefined;
    readonly customerId?: string | undefined;
    readonly limit: number;
  }): Promise<BillingRunSummary[] | undefined>;
  /** One run with its lines, or undefined. */
  get(runId: string): Promise<BillingRunDetail | undefined>;
  /** The run and lines exactly as the shared export renderers take them, or undefined. */
  exportOf(
    runId: string,
  ): Promise<{ run: BillingExportRun; lines: BillingExportLine[] } | undefined>;
}

/** Where a billing job stands (`GET /api/billing/jobs/:id`). */
export interface BillingJobStatus {
  readonly id: string;
  readonly state: 'queued' | 'running' | 'done' | 'failed';
  readonly request: { readonly period?: string; readonly customer?: string };
  /** Customers decided so far, once the bridge has started (null before). */
  readonly progress: BillingRunProgress | null;
  /** When done: per customer, the run or why there is none. */
  readonly outcomes: BillingJobOutcome[];
  /** When failed: the bridge's reason. */
  readonly error: string | null;
  readonly enqueuedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** Asks the billing bridge for runs through the `billing` queue. */
export interface BillingRunRequester {
  /**
   * Adds a billing job and returns its id; the same request while one waits or runs gets that
   * job's id.
   */
  request(request: BillingRunRequest): Promise<string>;
  /** Where a job stands; undefined for an unknown job (or one finished long ago and dropped). */
  status(jobId: string): Promise<BillingJobStatus | undefined>;
  close(): Promise<void>;
}

/** The outcome of an analyst's request. */
export type BillingActionOutcome =
  | { readonly kind: 'done'; readonly action: BillingAction }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'no-run' };

/** Approvals of held lines and manual adjustments, written beside a run, never into it. */
export interface BillingReview {
  /** The run's actions in order, or undefined without such a run. */
  actions(runId: string): Promise<BillingAction[] | undefined>;
  approve(
    runId: string,
    request: { readonly lineNo: number; readonly reason: string; readonly actor: string },
  ): Promise<BillingActionOutcome>;
  adjust(
    runId: string,
    request: AdjustmentRequest & { readonly reason: string; readonly actor: string },
  ): Promise<BillingActionOutcome>;
}

/** An on-call override added through the api. */
export interface StoredOverride extends Override {
  readonly id: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** Paging's records as the api reads and writes them (PostgreSQL). */
export interface PagingRecords {
  /** The installation's paging keys, made on first use. */
  keys(): Promise<PagingKeys>;
  /** Keeps a browser's subscription for a person (an endpoint seen before changes hands). */
  saveSubscription(person: string, subscription: PushSubscriptionJson): Promise<void>;
  /** Forgets one of a person's subscriptions; false if they have none with that endpoint. */
  deleteSubscription(person: string, endpoint: string): Promise<boolean>;
  /** How many browsers a person subscribed. */
  subscriptionCount(person: string): Promise<number>;
  /** Overrides that have not ended by `nowMs`, by start. */
  overrides(nowMs: number): Promise<StoredOverride[]>;
  addOverride(override: Override, createdBy: string): Promise<StoredOverride>;
  /** False if there is no such override. */
  deleteOverride(id: string): Promise<boolean>;
  /** Records on the incident's paging timeline that `person` acknowledged from a page. */
  recordAcknowledgement(incidentId: string, person: string, via: 'webpush'): Promise<void>;
}

/** The billing bridge's latest live views (`BillingLive`), one per customer. */
export interface LiveBillingReader {
  /** The views of these customers that exist (a customer without one is left out). */
  latest(customerIds: readonly string[]): Promise<BillingLive[]>;
}

/** An incident affecting a customer, with its ticket's timeline. */
export interface CustomerIncident {
  readonly incident: Incident;
  readonly timeline: readonly TimelineEntry[];
}

/** One customer's records for the care desk and status pages, and the status links. */
export interface CareStore {
  /** The customer's open outages. */
  openOutages(customerId: string): Promise<{ serviceId: string; inMaintenance: boolean }[]>;
  /** Unresolved incidents impacting the customer, then those resolved since `resolvedSinceMs`. */
  incidents(
    customerId: string,
    resolvedSinceMs: number,
    limit: number,
  ): Promise<CustomerIncident[]>;
  /** The SLA credits of the customer's latest runs, newest period first, at most `limit`. */
  closedPeriods(customerId: string, limit: number): Promise<CarePeriodCredits[]>;
  /** Makes a status link; the token is returned here only. */
  createLink(
    customerId: string,
    label: string,
    createdBy: string,
  ): Promise<{ link: StatusLink; token: string }>;
  /** The customer's links, oldest first, revoked ones included. */
  links(customerId: string): Promise<StatusLink[]>;
  /** Revokes a link (once; again is a no-op); undefined for an unknown id. */
  revokeLink(id: string, revokedBy: string): Promise<StatusLink | undefined>;
  /** The customer of a valid, unrevoked link token, or undefined. */
  customerOfToken(token: string): Promise<string | undefined>;
}

/** An outage a customer claims that the network never saw (migration billing_004). */
export interface OutageClaim {
  readonly id: string;
  readonly customerId: string;
  readonly serviceId: string;
  /** [start, end), ISO. */
  readonly start: string;
  readonly end: string;
  /** The outside record it rests on: a carrier's ticket, a site visit report. */
  readonly reference: string;
  readonly evidence: string;
  readonly claimedBy: string;
  readonly claimedAt: string;
  /** Null until approved; once approved, billing rates it like any outage. */
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly approvalReason: string | null;
}

/** What an analyst records. */
export interface OutageClaimInput {
  readonly customerId: string;
  readonly serviceId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly reference: string;
  readonly evidence: string;
  readonly actor: string;
}

/** Claimed outages: recorded, listed and approved (each approval once). */
export interface OutageClaims {
  list(filter: { readonly customerId?: string | undefined }): Promise<OutageClaim[]>;
  record(claim: OutageClaimInput): Promise<OutageClaim>;
  /** Approves a pending claim; `undefined` when there is no such claim, `approved` when it was. */
  approve(
    id: string,
    approval: { readonly actor: string; readonly reason: string },
  ): Promise<
    | { readonly kind: 'done'; readonly claim: OutageClaim }
    | { readonly kind: 'already-approved'; readonly claim: OutageClaim }
    | undefined
  >;
}

/** Interface traffic and status as the collector's polls wrote them (InfluxDB). */
export interface PolledTraffic {
  /**
   * Mean rates of one interface per step over `[fromMs, toMs)`, one entry per step (rates null
   * where no poll gave one), ascending.
   */
  series(query: {
    readonly device: string;
    readonly iface: string;
    readonly fromMs: number;
    readonly toMs: number;
    readonly stepMs: number;
  }): Promise<{ timeMs: number; inBps: number | null; outBps: number | null }[]>;
  /**
   * Per polled interface (of one device, or all): the mean rates since `ratesSinceMs` and the
   * last oper status written since `statusSinceMs`, with its time.
   */
  latest(query: {
    readonly device?: string | undefined;
    readonly ratesSinceMs: number;
    readonly statusSinceMs: number;
  }): Promise<PolledInterfaceNow[]>;
}
