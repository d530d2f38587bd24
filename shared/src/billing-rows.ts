/**
 * How a billing run and its lines are read from PostgreSQL (tables of migration `billing_001`,
 * through the views of `billing_002` that add the analysts' approvals and adjustments as lines
 * after the computed ones), for the billing bridge and the api alike: the queries and the row
 * mappers to the export types. Money columns are read as text so that no amount passes through
 * a float.
 */
import type { BillingExportLine, BillingExportRun } from './billing-export.js';

/** One run by id (`$1`). */
export const SELECT_BILLING_RUN = `
  SELECT id, customer_id, period, period_start, period_end, version, currency, content_hash,
    total_billed::text AS total_billed, total_held::text AS total_held, created_at
  FROM billing_runs_reviewed WHERE id = $1`;

/** The lines of a run (`$1`), in order. */
export const SELECT_BILLING_LINES = `
  SELECT line_no, line_key, service_id, kind, status, description, quantity,
    unit_price::text AS unit_price, period_fraction, amount::text AS amount, currency
  FROM billing_lines_reviewed WHERE run_id = $1 ORDER BY line_no`;

/**
 * The transaction-scoped advisory lock (`pg_advisory_xact_lock(hashtext(key))`) that serializes
 * the writers of one customer's period: billing runs and analysts' actions.
 */
export function billingPeriodLockKey(customerId: string, period: string): string {
  return `billing:${customerId}:${period}`;
}

function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** A `SELECT_BILLING_RUN` row as an export run. */
export function billingRunFromRow(row: Readonly<Record<string, unknown>>): BillingExportRun {
  return {
    id: String(row.id),
    customerId: String(row.customer_id),
    period: String(row.period),
    periodStart: iso(row.period_start),
    periodEnd: iso(row.period_end),
    version: Number(row.version),
    currency: String(row.currency),
    contentHash: String(row.content_hash),
    totalBilled: String(row.total_billed),
    totalHeld: String(row.total_held),
    createdAt: iso(row.created_at),
  };
}

/** A `SELECT_BILLING_LINES` row as an export line. */
export function billingLineFromRow(row: Readonly<Record<string, unknown>>): BillingExportLine {
  return {
    lineNo: Number(row.line_no),
    lineKey: String(row.line_key),
    serviceId: String(row.service_id),
    kind: String(row.kind) as BillingExportLine['kind'],
    status: String(row.status) as BillingExportLine['status'],
    description: String(row.description),
    quantity: String(row.quantity),
    unitPrice: String(row.unit_price),
    periodFraction: String(row.period_fraction),
    amount: String(row.amount),
    currency: String(row.currency),
  };
}
